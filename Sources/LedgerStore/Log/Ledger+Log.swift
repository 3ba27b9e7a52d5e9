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
}
