import LedgerDomain

/// What a replay did.
public struct ReplaySummary: Sendable {
    public var events: Int64
    public var versions: Int
    /// The digest of the projections (see `ProjectionDigest`).
    public var digest: String
}

/// The first stored view row that differs from a fresh replay.
public struct ViewFault: Sendable, Equatable {
    /// The view, named by entity kind, e.g. `incident`.
    public var view: String
    public var stream: String
    public var reason: String
}

extension Ledger {
    /// Whether the file has the stored views (schema 2 and later).
    public var hasViews: Bool { schemaVersion >= 2 }

    /// Calls `body` with each stream's events (`seq <= atSeq`), stream by stream in byte order.
    func forEachStream(
        atSeq: Int64 = Int64.max, progress: (Int64) -> Void = { _ in }, _ body: (String, [LoggedEvent]) throws -> Void
    ) throws -> Int64 {
        let statement = try database.prepare(
            "SELECT \(StoredEventRow.columns) FROM events WHERE seq <= ?1 ORDER BY stream, stream_version")
        try statement.bind(atSeq, at: 1)
        var current: String?
        var events: [LoggedEvent] = []
        var count: Int64 = 0
        while try statement.step() {
            let stored = StoredEventRow.read(statement)
            if stored.stream != current {
                if let current { try body(current, events) }
                current = stored.stream
                events.removeAll(keepingCapacity: true)
            }
            events.append(LoggedEvent(seq: stored.seq, event: try stored.event()))
            count += 1
            progress(count)
        }
        if let current { try body(current, events) }
        return count
    }

    /// Rebuilds every stored view from the log, in one transaction.
    public func rebuildViews(progress: (Int64) -> Void = { _ in }) throws -> ReplaySummary {
        try database.transaction {
            try rebuildViewsInTransaction(progress: progress)
        }
    }

    func rebuildViewsInTransaction(progress: (Int64) -> Void = { _ in }) throws -> ReplaySummary {
        try database.execute("DELETE FROM event_versions")
        let table = VersionTable(database: database)
        var digest = ProjectionDigest()
        let events = try forEachStream(progress: progress) { stream, events in
            for version in EventTimeline.history(of: stream, events: events) {
                try table.insert(version)
                digest.add(version)
            }
        }
        table.reset()
        if schemaVersion >= 3 { try ScreeningIndex.rebuild(in: database) }
        return ReplaySummary(events: events, versions: digest.count, digest: digest.finalize())
    }

    /// Replays the log up to `atSeq` in memory, writing nothing: the projections as they stood then.
    public func replay(atSeq: Int64, progress: (Int64) -> Void = { _ in }) throws -> ReplaySummary {
        var digest = ProjectionDigest()
        let events = try forEachStream(atSeq: atSeq, progress: progress) { stream, events in
            for version in EventTimeline.history(of: stream, events: events) { digest.add(version) }
        }
        return ReplaySummary(events: events, versions: digest.count, digest: digest.finalize())
    }

    /// The digest of the stored views as they stood when the log ended at `atSeq`.
    public func storedDigest(atSeq: Int64 = Int64.max) throws -> String {
        let statement = try database.prepare(
            """
            SELECT \(VersionTable.columns) FROM event_versions WHERE from_seq <= ?1
            ORDER BY stream, seq, from_seq, from_date
            """)
        try statement.bind(atSeq, at: 1)
        var digest = ProjectionDigest()
        while try statement.step() {
            if let version = try VersionTable.read(statement).asOfSeq(atSeq) { digest.add(version) }
        }
        return digest.finalize()
    }

    /// Compares the stored views with a fresh replay of the log, stream by stream; nil when equal.
    public func verifyViews() throws -> ViewFault? {
        let stored = try database.prepare(
            "SELECT \(VersionTable.columns) FROM event_versions ORDER BY stream, seq, from_seq, from_date")
        var pending: EventVersion?
        var exhausted = false
        func nextStored() throws -> EventVersion? {
            if let version = pending {
                pending = nil
                return version
            }
            guard !exhausted, try stored.step() else {
                exhausted = true
                return nil
            }
            do {
                return try VersionTable.read(stored)
            } catch {
                let stream = stored.string(5)
                throw ViewMismatch(
                    fault: ViewFault(view: stored.string(6), stream: stream, reason: "a stored row cannot be read"))
            }
        }
        do {
            _ = try forEachStream { stream, events in
                while let version = try nextStored() {
                    if byteOrderLess(version.stream, stream) {
                        throw ViewMismatch(
                            fault: ViewFault(
                                view: version.kind.rawValue, stream: version.stream,
                                reason: "a stored version has no event behind it"))
                    }
                    pending = version
                    break
                }
                for version in EventTimeline.history(of: stream, events: events) {
                    guard let actual = try nextStored(), actual.stream == stream else {
                        throw ViewMismatch(
                            fault: ViewFault(
                                view: version.kind.rawValue, stream: stream, reason: "a version is missing"))
                    }
                    if actual != version {
                        throw ViewMismatch(
                            fault: ViewFault(
                                view: version.kind.rawValue, stream: stream,
                                reason:
                                    "the version of event \(version.event.seq) from \(version.fromDate) at seq \(version.fromSeq) differs from a fresh replay"
                            ))
                    }
                }
                if let extra = try nextStored() {
                    if extra.stream == stream {
                        throw ViewMismatch(
                            fault: ViewFault(
                                view: extra.kind.rawValue, stream: stream, reason: "an extra version is stored"))
                    }
                    pending = extra
                }
            }
            if let extra = try nextStored() {
                return ViewFault(
                    view: extra.kind.rawValue, stream: extra.stream, reason: "a stored version has no event behind it")
            }
        } catch let mismatch as ViewMismatch {
            stored.reset()
            return mismatch.fault
        }
        stored.reset()
        return nil
    }

    /// The entities as of `asOf` when the log ended at `atSeq`: from the stored views, or,
    /// in a ledger written before they existed, folded from the log in memory.
    public func entities(asOf: Day, atSeq: Int64?) throws -> any EntitySource {
        let seq = atSeq ?? (Int64.max - 1)
        if hasViews { return StoredEntities(database: database, asOf: asOf, atSeq: seq) }
        var events: [LoggedEvent] = []
        try forEachEvent(LogFilter()) { stored in
            if stored.seq <= seq { events.append(LoggedEvent(seq: stored.seq, event: try stored.event())) }
        }
        return InMemoryEntities(events: events, asOf: asOf)
    }

    /// The last `seq` recorded at or before `timestamp` (RFC 3339 UTC with milliseconds); 0 if none.
    public func seq(recordedUntil timestamp: String) throws -> Int64 {
        let statement = try database.prepare("SELECT max(seq) FROM events WHERE recorded_at <= ?1")
        try statement.bind(timestamp, at: 1)
        return try statement.step() ? statement.int64(0) : 0
    }

    /// One stream's events in order, for `history`.
    public func events(of stream: String) throws -> [LoggedEvent] {
        var events: [LoggedEvent] = []
        try forEachEvent(LogFilter(stream: stream)) { stored in
            events.append(LoggedEvent(seq: stored.seq, event: try stored.event()))
        }
        return events
    }
}

/// Ends a comparison at the first difference.
struct ViewMismatch: Error {
    var fault: ViewFault
}

func byteOrderLess(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}
