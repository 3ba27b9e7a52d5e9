/// The fold from a stream's events to the entity as known on a day (contract section 3):
/// an event counts iff its `known_on` is on or before the day; a retraction or correction
/// counts from its own `known_on`, and before that the original stands.
public enum EntityFold {
    /// The entity of `stream` as of `asOf`, from its events in `seq` order (already cut at
    /// the wanted `seq`); nil when its creating event does not count that day.
    public static func snapshot(of stream: String, events: [LoggedEvent], asOf: Day) -> EntitySnapshot? {
        guard let kind = StreamName.kind(of: stream) else { return nil }
        let counted = countedEvents(events, asOf: asOf)
        guard let first = counted.first, first.type == kind.creatingType else { return nil }
        return EntitySnapshot(stream: stream, kind: kind, events: counted)
    }

    /// The events that count as of `asOf`, in `seq` order, with counted corrections applied
    /// to their targets; retractions and what they retracted are left out.
    public static func countedEvents(_ events: [LoggedEvent], asOf: Day) -> [CountedEvent] {
        let known = events.filter { $0.event.knownOn <= asOf }
        var retracted = Set<EventID>()
        for logged in known {
            if case .eventRetracted(let retraction) = logged.event.payload { retracted.insert(retraction.target) }
        }
        var counted: [CountedEvent] = []
        var indexByID: [EventID: Int] = [:]
        for logged in known where logged.event.type != .eventRetracted && !retracted.contains(logged.event.id) {
            let event = logged.event
            if case .eventCorrected(let correction) = event.payload, let index = indexByID[correction.target] {
                counted[index].apply(correction.patch)
            }
            indexByID[event.id] = counted.count
            counted.append(CountedEvent(logged))
        }
        return counted
    }
}
