import LedgerDomain

/// Which stored events `ledger log` reads.
public struct LogFilter: Sendable {
    public var stream: String?
    public var type: String?
    public var fromSeq: Int64?
    public var limit: Int64?

    public init(stream: String? = nil, type: String? = nil, fromSeq: Int64? = nil, limit: Int64? = nil) {
        self.stream = stream
        self.type = type
        self.fromSeq = fromSeq
        self.limit = limit
    }
}

extension Ledger {
    /// The log: its events as stored, its head, and what they say.
    public var log: LogReader { LogReader(database: database) }
}

/// Reads the append-only log (the `events` table): never the views.
public struct LogReader {
    let database: any SQLDatabase

    /// Streams the stored events that pass `filter`, in `seq` order, one at a time.
    public func forEachEvent(_ filter: LogFilter = LogFilter(), _ body: (StoredEvent) throws -> Void) throws {
        var conditions: [String] = []
        if filter.stream != nil { conditions.append("stream = ?1") }
        if filter.type != nil { conditions.append("type = ?2") }
        if filter.fromSeq != nil { conditions.append("seq >= ?3") }
        var sql = "SELECT \(StoredEventRow.columns) FROM events"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY seq"
        if filter.limit != nil { sql += " LIMIT ?4" }
        let statement = try database.prepareScan(sql)
        if let stream = filter.stream { try statement.bind(stream, at: 1) }
        if let type = filter.type { try statement.bind(type, at: 2) }
        if let fromSeq = filter.fromSeq { try statement.bind(fromSeq, at: 3) }
        if let limit = filter.limit { try statement.bind(limit, at: 4) }
        while try statement.step() {
            try body(StoredEventRow.read(statement))
        }
    }

    /// The number of events in the log: its last `seq`, since `seq` runs 1, 2, 3, … with no
    /// gaps (append assigns it, `verify` checks it). Read from the primary key's last entry,
    /// not counted: `count(*)` would read every page of an index (at 1,000,000 events most of
    /// a `prove`'s or a `checkpoint`'s time).
    public func eventCount() throws -> Int64 {
        try database.integer("SELECT coalesce(max(seq), 0) FROM events") ?? 0
    }

    /// The last event's `seq` and `hash`; `(0, genesis)` for an empty log.
    public func head() throws -> (seq: Int64, hash: String, recordedAt: String) {
        let statement = try database.prepare("SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1")
        guard try statement.step() else { return (0, String(repeating: "0", count: 64), "") }
        return (statement.int64(0), StoredHash.hexString(statement.blob(1)), statement.string(2))
    }

    /// The `hash` of event `seq`: the genesis (64 zeros) for 0, nil beyond the log.
    public func eventHash(seq: Int64) throws -> String? {
        if seq == 0 { return String(repeating: "0", count: 64) }
        let statement = try database.prepare("SELECT hash FROM events WHERE seq = ?1")
        try statement.bind(seq, at: 1)
        guard try statement.step() else { return nil }
        return StoredHash.hexString(statement.blob(0))
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
