/// How an entity's stored versions change as its stream grows: the one mechanism behind the
/// stored views, `replay` and `verify`, so that they cannot disagree.
public enum VersionHistory {
    /// The entity's versions over valid time after `events` (its stream so far, in `seq`
    /// order): one per day on which what could be known changes, adjacent equal states merged.
    /// The transaction-time bounds are left for the caller (`fromSeq` 0, `toSeq` nil).
    public static func currentVersions(of stream: String, events: [LoggedEvent]) -> [EntityVersion] {
        guard let kind = StreamName.kind(of: stream) else { return [] }
        let days = Array(Set(events.map(\.event.knownOn))).sorted()
        var versions: [EntityVersion] = []
        var previousState: String?
        for day in days {
            let snapshot = EntityFold.snapshot(of: stream, events: events, asOf: day)
            let state = snapshot.map(SnapshotCoding.encode)
            if state == previousState { continue }
            if var last = versions.last, last.toDate == nil {
                last.toDate = day
                versions[versions.count - 1] = last
            }
            if let snapshot, let state {
                versions.append(
                    EntityVersion(
                        stream: stream, kind: kind, fromDate: day, toDate: nil, fromSeq: 0, toSeq: nil,
                        sortKeys: SortKeys.of(snapshot), state: state, incident: IncidentSummary(snapshot)))
            }
            previousState = state
        }
        return versions
    }

    /// What appending one event changes in a stream's stored versions.
    public struct Change: Sendable {
        /// Versions open until now that close at the event's `seq`.
        public var closed: [EntityVersion]
        /// Versions that open at the event's `seq`.
        public var opened: [EntityVersion]
        /// The open versions afterwards: those left alone, then the opened ones.
        public var open: [EntityVersion]
    }

    /// What appending the event at `seq` changes: which of the `open` versions (those with
    /// no `toSeq`) close at `seq`, and which new versions open there. Versions whose range
    /// and state stay the same are left alone.
    public static func step(open: [EntityVersion], after events: [LoggedEvent], at seq: Int64, stream: String)
        -> Change
    {
        let current = currentVersions(of: stream, events: events)
        var kept: [EntityVersion] = []
        var closed: [EntityVersion] = []
        for version in open {
            if current.contains(where: { $0.hasSameContent(as: version) }) {
                kept.append(version)
            } else {
                var version = version
                version.toSeq = seq
                closed.append(version)
            }
        }
        let opened = current.filter { new in !open.contains { $0.hasSameContent(as: new) } }
            .map { version -> EntityVersion in
                var version = version
                version.fromSeq = seq
                return version
            }
        return Change(closed: closed, opened: opened, open: kept + opened)
    }

    /// Every version the stream ever had, as appending its events one by one leaves them:
    /// what the stored views must hold for the stream.
    public static func history(of stream: String, events: [LoggedEvent]) -> [EntityVersion] {
        var all: [EntityVersion] = []
        var openIndexes: [Int] = []
        for count in events.indices.map({ $0 + 1 }) {
            let prefix = Array(events[..<count])
            let open = openIndexes.map { all[$0] }
            let change = step(open: open, after: prefix, at: events[count - 1].seq, stream: stream)
            var stillOpen: [Int] = []
            for index in openIndexes {
                if let closing = change.closed.first(where: { $0.hasSameContent(as: all[index]) }) {
                    all[index].toSeq = closing.toSeq
                } else {
                    stillOpen.append(index)
                }
            }
            for version in change.opened {
                stillOpen.append(all.count)
                all.append(version)
            }
            openIndexes = stillOpen
        }
        return all
    }
}
