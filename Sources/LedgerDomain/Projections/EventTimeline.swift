/// How the stored versions of events change as a stream grows: the one mechanism behind
/// the stored views, `replay` and `verify`, so that they cannot disagree.
public enum EventTimeline {
    /// What appending one event changes in the stored versions.
    public struct Change: Sendable {
        /// Versions open until now that close at the appended event's `seq`.
        public var closed: [EventVersion]
        /// Versions that open at the appended event's `seq`.
        public var opened: [EventVersion]
    }

    /// The events whose versions the last of `events` can change: itself (unless it is a
    /// retraction, which has no rows), its target, and its target's target.
    public static func affected(by events: [LoggedEvent]) -> [LoggedEvent] {
        guard let last = events.last else { return [] }
        var result: [LoggedEvent] = []
        var current: LoggedEvent? = last
        while let event = current {
            if event.event.type != .eventRetracted { result.append(event) }
            guard let target = target(of: event.event) else { break }
            current = events.last { $0.event.id == target }
        }
        return result
    }

    static func target(of event: Event) -> String? {
        switch event.payload {
        case .eventRetracted(let retraction): retraction.target
        case .eventCorrected(let correction): correction.target
        default: nil
        }
    }

    /// The events that decide how `event` counts: itself, what retracts or corrects it, and
    /// what retracts those corrections.
    static func related(to event: LoggedEvent, in events: [LoggedEvent]) -> [LoggedEvent] {
        var ids: Set<String> = [event.event.id]
        for other in events where other.seq > event.seq {
            if let target = target(of: other.event), ids.contains(target) { ids.insert(other.event.id) }
        }
        return events.filter { ids.contains($0.event.id) }
    }

    /// The versions over valid time of `event`, given the stream's events so far (in `seq`
    /// order). Transaction-time bounds are left for the caller (`fromSeq` 0, `toSeq` nil).
    public static func currentVersions(of event: LoggedEvent, in events: [LoggedEvent], stream: String)
        -> [EventVersion]
    {
        guard let kind = StreamName.kind(of: stream), let creation = events.first else { return [] }
        let related = related(to: event, in: events)
        let days = Array(Set(related.map(\.event.knownOn))).sorted()
        var versions: [EventVersion] = []
        var previous: String?
        for day in days {
            let counted = EntityFold.countedEvents(related, asOf: day).first { $0.seq == event.seq }
            let dataJSON = counted.map { CanonicalJSON.string(of: .object($0.data)) }
            if dataJSON == previous { continue }
            if var last = versions.last, last.toDate == nil {
                last.toDate = day
                versions[versions.count - 1] = last
            }
            if let counted, let dataJSON {
                versions.append(
                    EventVersion(
                        stream: stream, kind: kind, event: counted, dataJSON: dataJSON, fromDate: day, toDate: nil,
                        fromSeq: 0, toSeq: nil, sort1: creation.event.occurredOn.description))
            }
            previous = dataJSON
        }
        return versions
    }

    /// What appending the last of `events` changes, given the open versions of the events it
    /// affects (see `affected(by:)`): versions whose range and data stay are left alone.
    public static func step(open: [EventVersion], after events: [LoggedEvent], stream: String) -> Change {
        guard let seq = events.last?.seq else { return Change(closed: [], opened: []) }
        var current: [EventVersion] = []
        for event in affected(by: events) {
            current.append(contentsOf: currentVersions(of: event, in: events, stream: stream))
        }
        let closed = open.filter { old in !current.contains { $0.hasSameContent(as: old) } }
            .map { version -> EventVersion in
                var version = version
                version.toSeq = seq
                return version
            }
        let opened = current.filter { new in !open.contains { $0.hasSameContent(as: new) } }
            .map { version -> EventVersion in
                var version = version
                version.fromSeq = seq
                return version
            }
        return Change(closed: closed, opened: opened)
    }

    /// Every version the stream's events ever had, as appending them one by one leaves them,
    /// in the order (seq, fromSeq, fromDate): what the stored views must hold for the stream.
    public static func history(of stream: String, events: [LoggedEvent]) -> [EventVersion] {
        var all: [EventVersion] = []
        var openBySeq: [Int64: [Int]] = [:]
        for count in events.indices.map({ $0 + 1 }) {
            let prefix = Array(events[..<count])
            let affectedSeqs = affected(by: prefix).map(\.seq)
            let open = affectedSeqs.flatMap { openBySeq[$0] ?? [] }.map { all[$0] }
            let change = step(open: open, after: prefix, stream: stream)
            for seq in affectedSeqs {
                openBySeq[seq] = (openBySeq[seq] ?? []).filter { index in
                    guard let closing = change.closed.first(where: { $0.hasSameContent(as: all[index]) }) else {
                        return true
                    }
                    all[index].toSeq = closing.toSeq
                    return false
                }
            }
            for version in change.opened {
                openBySeq[version.event.seq, default: []].append(all.count)
                all.append(version)
            }
        }
        return all.sorted { lhs, rhs in
            if lhs.event.seq != rhs.event.seq { return lhs.event.seq < rhs.event.seq }
            if lhs.fromSeq != rhs.fromSeq { return lhs.fromSeq < rhs.fromSeq }
            return lhs.fromDate < rhs.fromDate
        }
    }
}
