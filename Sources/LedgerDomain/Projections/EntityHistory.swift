/// An entity's state after each of its stream's events, as `ledger history` shows it: for
/// every prefix of the stream, exactly `EntityState.describe` of `EntityFold.snapshot` of
/// that prefix, but computed as the events come, so that a long stream costs time in
/// proportion to its length (a resolution's compliance counts and sources are kept up to
/// date, not counted again per event).
///
/// An event known after the day changes nothing; any other event is added to the counted
/// events as `EntityFold.countedEvents` adds it (a correction patches its counted target).
/// A retraction can take back what came before it (a retracted correction's patch), so the
/// counted events are then folded again from the whole prefix: retractions cost in
/// proportion to the stream, other events do not.
public struct EntityHistory {
    public let stream: String
    public let asOf: Day
    private let kind: StreamKind?
    private var events: [LoggedEvent] = []
    private var counted: [CountedEvent] = []
    private var indexByID: [EventID: Int] = [:]
    /// For a resolution: its compliance counts by key, and its publishers in order with counts.
    private var complianceCounts: [String: Int] = [:]
    private var publishers: [String] = []
    private var publisherCounts: [String: Int] = [:]

    public init(stream: String, asOf: Day) {
        self.stream = stream
        self.asOf = asOf
        kind = StreamName.kind(of: stream)
    }

    /// Adds the stream's next event and returns the entity's state after it.
    public mutating func add(_ logged: LoggedEvent) -> JSONValue {
        events.append(logged)
        let event = logged.event
        if event.knownOn <= asOf {
            if event.type == .eventRetracted {
                counted = EntityFold.countedEvents(events, asOf: asOf)
                indexByID = Dictionary(uniqueKeysWithValues: counted.enumerated().map { ($1.id, $0) })
                recount()
            } else {
                if case .eventCorrected(let correction) = event.payload, let index = indexByID[correction.target] {
                    let before = counted[index]
                    counted[index].apply(correction.patch)
                    uncount(before)
                    count(counted[index], isNew: false)
                }
                indexByID[event.id] = counted.count
                counted.append(CountedEvent(logged))
                count(counted[counted.count - 1], isNew: true)
            }
        }
        guard let kind, let first = counted.first, first.type == kind.creatingType else { return .null }
        guard kind == .resolution else {
            return EntityState.describe(EntitySnapshot(stream: stream, kind: kind, events: counted))
        }
        var state = first.content.json
        state["compliance_reports"] = EntityState.complianceReports(complianceCounts)
        state["sources"] = .array(publishers.map(JSONValue.string))
        return .object(state)
    }

    /// Counts a resolution's counted event: its compliance key, and (when new) its publisher.
    private mutating func count(_ event: CountedEvent, isNew: Bool) {
        guard kind == .resolution else { return }
        if let key = EntityState.complianceKey(of: event) { complianceCounts[key, default: 0] += 1 }
        guard isNew else { return }
        if publisherCounts[event.publisher, default: 0] == 0 { publishers.append(event.publisher) }
        publisherCounts[event.publisher, default: 0] += 1
    }

    /// Takes back a counted event's compliance key (before a correction changes it).
    private mutating func uncount(_ event: CountedEvent) {
        guard kind == .resolution, let key = EntityState.complianceKey(of: event) else { return }
        complianceCounts[key, default: 0] -= 1
    }

    /// Counts every counted event again (after a retraction).
    private mutating func recount() {
        complianceCounts = [:]
        publishers = []
        publisherCounts = [:]
        for event in counted { count(event, isNew: true) }
    }
}
