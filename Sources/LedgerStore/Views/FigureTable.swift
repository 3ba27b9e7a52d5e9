import LedgerDomain

/// The `figure_versions` table (migration 5): each version of each figure report, with the
/// fields the totals report reads typed beside its bounds (see `versions` for their meaning),
/// so that the totals read a small table in one pass instead of every figure's event in the
/// log (3,045 scattered pages of the bench ledger's log, 30 ms, for the figures alone).
final class FigureTable {
    private let database: any SQLDatabase
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

    /// A figure version's row, its values bound in this order.
    static let insertVersion = RowInsert(
        into: "figure_versions",
        columns: [
            "seq", "to_seq", "from_seq", "from_day", "to_day", "sort_day", "metric", "period", "value", "known_on",
            "publisher",
        ])

    /// Stores a version of a figure report.
    func insert(
        _ figure: FigureReported, knownOn: Day, publisher: String, seq: Int64, fromSeq: Int64, fromDay: Int64,
        toDay: Int64, toSeq: Int64, sortDay: Int64
    ) throws {
        let insert = try statements.insert(Self.insertVersion)
        try insert.bind(seq, at: 1)
        try insert.bind(toSeq, at: 2)
        try insert.bind(fromSeq, at: 3)
        try insert.bind(fromDay, at: 4)
        try insert.bind(toDay, at: 5)
        try insert.bind(sortDay, at: 6)
        try insert.bind(figure.metric.rawValue, at: 7)
        try insert.bind(Int64(figure.period), at: 8)
        try insert.bind(figure.value, at: 9)
        try insert.bind(knownOn.description, at: 10)
        try insert.bind(StoredText.encode(publisher), at: 11)
        try insert.step()
        insert.reset()
    }

    /// Closes a version (open until now) at `toSeq`, as `VersionTable.close` closes its row.
    func close(_ version: OpenVersion, at toSeq: Int64) throws {
        let close = try statements.write(
            """
            UPDATE figure_versions SET to_seq = ?1
            WHERE seq = ?2 AND to_seq = ?5 AND from_seq = ?3 AND from_day = ?4
            """, changing: "figure_versions")
        try close.bind(toSeq, at: 1)
        try close.bind(version.content.seq, at: 2)
        try close.bind(version.fromSeq, at: 3)
        try close.bind(ViewCodes.code(version.content.fromDate), at: 4)
        try close.bind(Schema.openSeq, at: 5)
        try close.step()
        close.reset()
    }

    /// Writes the figure versions of every figure report from `versions`, in place of any.
    /// The publisher is read by our reader (SQLite's `json_extract` would cut it at an escaped
    /// NUL); the metric, period and value, which the contract keeps to plain names and
    /// integers, by the engine's JSON functions.
    func rebuild() throws {
        try database.execute("DELETE FROM figure_versions")
        let json = database.dialect
        let rows = try database.prepareScan(
            """
            SELECT v.seq, v.to_seq, v.from_seq, v.from_day, v.to_day, v.sort_day,
                   \(json.jsonText("coalesce(v.data, e.data)", "metric")),
                   \(json.jsonInteger("coalesce(v.data, e.data)", "period")),
                   \(json.jsonInteger("coalesce(v.data, e.data)", "value")),
                   e.known_on, e.source
            FROM versions v JOIN events e ON e.seq = v.seq
            WHERE v.kind = \(ViewCodes.code(StreamKind.figure)) AND v.type = \(ViewCodes.code(EventType.figureReported))
            ORDER BY v.seq, v.to_seq, v.from_seq, v.from_day
            """)
        let insert = try statements.insert(Self.insertVersion)
        let reader = StrictJSONReader(limits: JSONLimits(maxDepth: 64, maxStringBytes: .max))
        while try rows.step() {
            guard case .object(let source)? = try? reader.read(rows.string(10)),
                case .string(let publisher)? = source["publisher"]
            else { throw LedgerStoreError.corruptView(stream: "figure at seq \(rows.int64(0))") }
            insert.reset()
            for column in Int32(0)..<6 { try insert.bind(rows.int64(column), at: column + 1) }
            try insert.bind(rows.string(6), at: 7)
            try insert.bind(rows.int64(7), at: 8)
            try insert.bind(rows.int64(8), at: 9)
            try insert.bind(rows.string(9), at: 10)
            try insert.bind(StoredText.encode(publisher), at: 11)
            try insert.step()
        }
        insert.reset()
    }

    /// Per period, the figure of `metric` known last (then logged last) among those that
    /// exist as of `asOf` when the log ended at `atSeq` (the rule of `FigureCreation.latest`).
    ///
    /// The periods are walked through `figure_versions_latest` one look-up each, and each
    /// period's figures backwards from the last known by `asOf`: a version counts no earlier
    /// than its event is known (`EventTimeline.currentVersions`), so the first row that exists
    /// is the latest, and the rows read are a few per period, not every figure of the ledger.
    func latest(of metric: Metric, asOf: Day, atSeq: Int64) throws -> [FigureCreation] {
        let nextPeriod = try statement(
            "SELECT period FROM figure_versions WHERE metric = ?1 AND period > ?2 ORDER BY period LIMIT 1")
        let latestInPeriod = try statement(
            """
            SELECT value, known_on, seq, publisher FROM figure_versions v
            WHERE metric = ?1 AND period = ?4 AND known_on <= ?5 AND \(VersionTable.existingAt)
            ORDER BY known_on DESC, seq DESC LIMIT 1
            """)
        var figures: [FigureCreation] = []
        var after = Int64.min
        while true {
            nextPeriod.reset()
            try nextPeriod.bind(metric.rawValue, at: 1)
            try nextPeriod.bind(after, at: 2)
            guard try nextPeriod.step() else { break }
            let period = nextPeriod.int64(0)
            nextPeriod.reset()
            after = period
            latestInPeriod.reset()
            try latestInPeriod.bind(metric.rawValue, at: 1)
            try latestInPeriod.bind(ViewCodes.code(asOf), at: 2)
            try latestInPeriod.bind(atSeq, at: 3)
            try latestInPeriod.bind(period, at: 4)
            try latestInPeriod.bind(asOf.description, at: 5)
            guard try latestInPeriod.step() else { continue }
            guard let knownOn = Day(latestInPeriod.string(1)) else {
                throw LedgerStoreError.corruptView(stream: "figure at seq \(latestInPeriod.int64(2))")
            }
            figures.append(
                FigureCreation(
                    period: Int(period), value: latestInPeriod.int64(0), knownOn: knownOn,
                    seq: latestInPeriod.int64(2), publisher: StoredText.decode(latestInPeriod.string(3))))
        }
        nextPeriod.reset()
        latestInPeriod.reset()
        return figures
    }
}
