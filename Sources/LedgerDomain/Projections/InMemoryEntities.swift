/// Entities folded from events in memory: what `replay` and the property tests compare the
/// stored views with, and how a report is answered from a log with no stored views.
public struct InMemoryEntities: EntitySource {
    private var byKind: [StreamKind: [EntitySnapshot]] = [:]

    /// The entities as of `asOf`, from `events` in `seq` order (already cut at the wanted `seq`).
    public init(events: [LoggedEvent], asOf: Day) {
        var streams: [String: [LoggedEvent]] = [:]
        for logged in events { streams[logged.event.stream.text, default: []].append(logged) }
        var byKind: [StreamKind: [EntitySnapshot]] = [:]
        for (stream, events) in streams {
            guard let snapshot = EntityFold.snapshot(of: stream, events: events, asOf: asOf) else { continue }
            byKind[snapshot.kind, default: []].append(snapshot)
        }
        self.byKind = byKind.mapValues(SortKeys.sorted)
    }

    public func forEachEntity(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws {
        for snapshot in byKind[kind] ?? [] { try body(snapshot) }
    }
}
