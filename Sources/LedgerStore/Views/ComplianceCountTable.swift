import LedgerDomain

/// The obligations report's counts kept ready at the log's head (migration 5), so that it
/// reads a few rows per obligation instead of every compliance report.
///
/// Each open version of a compliance report counts once, for its resolution, obligation and
/// status, on the days `[from_day, to_day)`: `compliance_sums` adds up, per year and per day
/// a count starts or stops (`level` 0, 2: `bucket` YYYY, YYYYMMDD), how the count changes,
/// so that a count as of a day is the sum of the years before it and the days of its year
/// up to it. Versions are independent, so
/// appending adds a report's own change (and a correction or retraction the change of the
/// versions it closes and opens), with no read of the resolution's other reports.
final class ComplianceCountTable {
    private struct SumKey: Hashable {
        var level: Int64
        var bucket: Int64
        var stream: Int64
        var obligation: String
        var status: String
    }

    private let database: any SQLDatabase
    /// Whether versions are counted as they are written (not while a replay counts them all at the end).
    var tracksChanges = true
    private var pending: [SumKey: Int64] = [:]
    private let statements: StatementCache

    init(database: any SQLDatabase) {
        self.database = database
        statements = StatementCache(database: database)
    }

    func reset() {
        statements.reset()
    }

    private func statement(_ sql: String) throws -> any SQLStatement {
        try statements.statement(sql)
    }

    /// Counts (`sign` 1) or uncounts (-1) a version of `report` open on `[fromDay, toDay)`.
    func add(_ report: ComplianceReported, stream: Int64, fromDay: Int64, toDay: Int64, sign: Int64) {
        guard tracksChanges, fromDay < toDay else { return }
        add(stream, report.obligation, report.status.rawValue, fromDay, sign)
        if toDay < Schema.openDay { add(stream, report.obligation, report.status.rawValue, toDay, -sign) }
    }

    private func add(_ stream: Int64, _ obligation: String, _ status: String, _ day: Int64, _ delta: Int64) {
        for (level, bucket) in [(0, day / 10_000), (2, day)] as [(Int64, Int64)] {
            let key = SumKey(level: level, bucket: bucket, stream: stream, obligation: obligation, status: status)
            pending[key, default: 0] += delta
        }
    }

    /// Whether enough counts changed for `flush()` to be due (memory stays bounded).
    var isFlushDue: Bool { pending.count >= 100_000 }

    /// Counts every open version of every compliance report (the table is empty).
    func rebuild() throws {
        let json = database.dialect
        let versions = try database.prepareScan(
            """
            SELECT v.stream_id, v.from_day, v.to_day, \(json.jsonText("coalesce(v.data, e.data)", "obligation")),
                   \(json.jsonText("coalesce(v.data, e.data)", "status"))
            FROM versions v JOIN events e ON e.seq = v.seq
            WHERE v.kind = ?1 AND v.type = ?2 AND v.to_seq = ?3
            """)
        try versions.bind(ViewCodes.code(StreamKind.resolution), at: 1)
        try versions.bind(ViewCodes.code(EventType.complianceReported), at: 2)
        try versions.bind(Schema.openSeq, at: 3)
        while try versions.step() {
            let (stream, from, to) = (versions.int64(0), versions.int64(1), versions.int64(2))
            let (obligation, status) = (versions.string(3), versions.string(4))
            guard from < to else { continue }
            add(stream, obligation, status, from, 1)
            if to < Schema.openDay { add(stream, obligation, status, to, -1) }
            if isFlushDue { try flush() }
        }
        versions.reset()
        try flush()
    }

    /// Adds the held changes to the stored counts (before COMMIT); a count that comes to
    /// nothing is deleted, so the table holds the same rows however the changes came.
    func flush() throws {
        if database.dialect.lookAheadEvents > 1 { return try flushAdding() }
        let key = "level = ?1 AND bucket = ?2 AND stream_id = ?3 AND obligation = ?4 AND status = ?5"
        let read = try statement("SELECT reports FROM compliance_sums WHERE \(key)")
        let write = try statements.write(
            """
            INSERT INTO compliance_sums (level, bucket, stream_id, obligation, status, reports)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (level, bucket, stream_id, obligation, status) DO UPDATE SET reports = excluded.reports
            """, changing: "compliance_sums")
        let delete = try statements.write("DELETE FROM compliance_sums WHERE \(key)", changing: "compliance_sums")
        for (sum, delta) in pending where delta != 0 {
            read.reset()
            try bind(sum, read)
            let total = (try read.step() ? read.int64(0) : 0) + delta
            read.reset()
            if total == 0 {
                delete.reset()
                try bind(sum, delete)
                try delete.step()
            } else {
                write.reset()
                try bind(sum, write)
                try write.bind(total, at: 6)
                try write.step()
            }
        }
        pending.removeAll(keepingCapacity: true)
        for statement in [read, write, delete] { statement.reset() }
    }

    /// `flush` where each read is a round trip (a server): each change is added by an upsert
    /// (many to a statement), then the counts that came to nothing are deleted, a hundred
    /// keys to a statement; no count is read back.
    private func flushAdding() throws {
        let changed = pending.filter { $0.value != 0 }.sorted { lhs, rhs in
            (lhs.key.level, lhs.key.bucket, lhs.key.stream, lhs.key.obligation, lhs.key.status)
                < (rhs.key.level, rhs.key.bucket, rhs.key.stream, rhs.key.obligation, rhs.key.status)
        }
        pending.removeAll(keepingCapacity: true)
        let add = try statements.insert(Self.addCount)
        for (sum, delta) in changed {
            add.reset()
            try bind(sum, add)
            try add.bind(delta, at: 6)
            try add.step()
        }
        add.reset()
        for start in stride(from: 0, to: changed.count, by: Self.keysPerDelete) {
            let keys = changed[start..<min(start + Self.keysPerDelete, changed.count)]
            let delete = try statements.write(
                """
                DELETE FROM compliance_sums WHERE reports = 0
                AND (level, bucket, stream_id, obligation, status) IN (VALUES \(SQLList.rows(keys.count, width: 5)))
                """, changing: "compliance_sums")
            for (offset, (sum, _)) in keys.enumerated() { try bind(sum, delete, from: Int32(offset * 5)) }
            try delete.step()
            delete.reset()
        }
    }

    /// How many keys one statement of `flushAdding` deletes at most.
    static let keysPerDelete = 100

    /// Adds a change (the key, then the change) to the stored count.
    static let addCount = RowInsert(
        into: "compliance_sums", columns: ["level", "bucket", "stream_id", "obligation", "status", "reports"],
        conflict: .update(
            key: ["level", "bucket", "stream_id", "obligation", "status"],
            set: "reports = compliance_sums.reports + excluded.reports"))

    /// Binds a count's key to parameters `base + 1…base + 5`.
    private func bind(_ sum: SumKey, _ statement: any SQLStatement, from base: Int32 = 0) throws {
        try statement.bind(sum.level, at: base + 1)
        try statement.bind(sum.bucket, at: base + 2)
        try statement.bind(sum.stream, at: base + 3)
        try statement.bind(sum.obligation, at: base + 4)
        try statement.bind(sum.status, at: base + 5)
    }

    /// The counts as of `asOf` at the log's head, by resolution stream: the years before its
    /// year and the days of its year up to it, added up here (a few thousand rows read in
    /// key order; a GROUP BY with a join to `streams` cost SQLite ten times the reading),
    /// then named by one look-up per resolution.
    func counts(asOf: Day) throws -> [String: ComplianceCounts] {
        let day = ViewCodes.code(asOf)
        let years = try statement(
            "SELECT stream_id, obligation, status, reports FROM compliance_sums WHERE level = 0 AND bucket < ?1")
        let days = try statement(
            """
            SELECT stream_id, obligation, status, reports FROM compliance_sums
            WHERE level = 2 AND bucket >= ?1 AND bucket <= ?2
            """)
        struct Key: Hashable {
            var stream: Int64
            var obligation: String
            var status: String
        }
        var sums: [Key: Int64] = [:]
        func add(_ rows: any SQLStatement) throws {
            while try rows.step() {
                sums[Key(stream: rows.int64(0), obligation: rows.string(1), status: rows.string(2)), default: 0] +=
                    rows.int64(3)
            }
            rows.reset()
        }
        try years.bind(day / 10_000, at: 1)
        try add(years)
        try days.bind(day / 10_000 * 10_000, at: 1)
        try days.bind(day, at: 2)
        try add(days)
        let name = try statement("SELECT name FROM streams WHERE stream_id = ?1")
        var names: [Int64: String] = [:]
        var counts: [String: ComplianceCounts] = [:]
        for (key, reports) in sums where reports != 0 {
            guard let status = ComplianceStatus(rawValue: key.status) else {
                throw LedgerStoreError.corruptView(stream: "compliance sums of stream id \(key.stream)")
            }
            if names[key.stream] == nil {
                name.reset()
                try name.bind(key.stream, at: 1)
                guard try name.step() else {
                    throw LedgerStoreError.corruptView(stream: "compliance sums of stream id \(key.stream)")
                }
                names[key.stream] = name.string(0)
                name.reset()
            }
            counts[names[key.stream]!, default: [:]][key.obligation, default: [:]][status] = reports
        }
        return counts
    }
}
