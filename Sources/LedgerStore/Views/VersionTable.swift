import LedgerDomain

/// The `entity_versions` table: reads and writes of stored entity versions, with the
/// prepared statements kept for reuse across a batch.
final class VersionTable {
    private let database: Database
    private var loadOpenStatement: Statement?
    private var closeStatement: Statement?
    private var insertStatement: Statement?

    static let columns = "stream, kind, from_date, to_date, from_seq, to_seq, sort1, sort2, state, amount, actors"

    init(database: Database) {
        self.database = database
    }

    /// Resets every kept statement (before COMMIT).
    func reset() {
        loadOpenStatement?.reset()
        closeStatement?.reset()
        insertStatement?.reset()
    }

    /// The versions of `stream` that no later event has closed.
    func openVersions(of stream: String) throws -> [EntityVersion] {
        let statement =
            try loadOpenStatement
            ?? database.prepare(
                "SELECT \(Self.columns) FROM entity_versions WHERE stream = ?1 AND to_seq = ?2 ORDER BY from_date")
        loadOpenStatement = statement
        statement.reset()
        try statement.bind(stream, at: 1)
        try statement.bind(Schema.openSeq, at: 2)
        var versions: [EntityVersion] = []
        while try statement.step() {
            if let version = Self.read(statement) { versions.append(version) }
        }
        statement.reset()
        return versions
    }

    /// Marks `version` (open until now) as closed at its `toSeq`.
    func close(_ version: EntityVersion) throws {
        let statement =
            try closeStatement
            ?? database.prepare(
                "UPDATE entity_versions SET to_seq = ?1 WHERE stream = ?2 AND from_seq = ?3 AND from_date = ?4")
        closeStatement = statement
        statement.reset()
        try statement.bind(version.toSeq ?? Schema.openSeq, at: 1)
        try statement.bind(version.stream, at: 2)
        try statement.bind(version.fromSeq, at: 3)
        try statement.bind(version.fromDate.description, at: 4)
        try statement.step()
    }

    /// Stores a new version.
    func insert(_ version: EntityVersion) throws {
        let statement =
            try insertStatement
            ?? database.prepare(
                "INSERT INTO entity_versions (\(Self.columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
        insertStatement = statement
        statement.reset()
        try statement.bind(version.stream, at: 1)
        try statement.bind(version.kind.rawValue, at: 2)
        try statement.bind(version.fromDate.description, at: 3)
        try statement.bind(version.toDate?.description ?? Schema.openDate, at: 4)
        try statement.bind(version.fromSeq, at: 5)
        try statement.bind(version.toSeq ?? Schema.openSeq, at: 6)
        try statement.bind(version.sortKeys.first, at: 7)
        try statement.bind(version.sortKeys.second, at: 8)
        try statement.bind(version.state, at: 9)
        if let incident = version.incident {
            try statement.bind(incident.amountUSD, at: 10)
            try statement.bind(incident.actors.joined(separator: "\n"), at: 11)
        }
        try statement.step()
    }

    /// A version from the statement's current row (selected with `columns`).
    static func read(_ statement: Statement) -> EntityVersion? {
        let stream = statement.string(0)
        guard let kind = StreamKind(rawValue: statement.string(1)), let fromDate = Day(statement.string(2)) else {
            return nil
        }
        let toDateText = statement.string(3)
        let toSeq = statement.int64(5)
        return EntityVersion(
            stream: stream, kind: kind, fromDate: fromDate,
            toDate: toDateText == Schema.openDate ? nil : Day(toDateText),
            fromSeq: statement.int64(4), toSeq: toSeq == Schema.openSeq ? nil : toSeq,
            sortKeys: SortKeys(statement.string(6), statement.string(7)), state: statement.string(8),
            incident: incidentSummary(statement, sort1: 6, amount: 9, actors: 10))
    }

    /// The incident summary from columns (`sort1` is the day it occurred); nil when `amount` is NULL.
    static func incidentSummary(_ statement: Statement, sort1: Int32, amount: Int32, actors: Int32) -> IncidentSummary?
    {
        guard !statement.isNull(amount), let occurred = Day(statement.string(sort1)) else { return nil }
        let list = statement.string(actors)
        return IncidentSummary(
            occurredOn: occurred, amountUSD: statement.int64(amount),
            actors: list.isEmpty ? [] : list.split(separator: "\n").map(String.init))
    }
}

/// Reads the stored views as of a day and a `seq`, in report order, by indexed queries.
public struct StoredEntities: EntitySource {
    let database: Database
    let asOf: Day
    let atSeq: Int64

    /// Summaries straight from their columns: no state is read.
    public func forEachIncidentSummary(_ body: (IncidentSummary) throws -> Void) throws {
        let statement = try database.prepare(
            """
            SELECT sort1, amount, actors FROM entity_versions
            WHERE kind = 'incident' AND from_date <= ?1 AND to_date > ?1 AND from_seq <= ?2 AND to_seq > ?2
            ORDER BY sort1, sort2, stream
            """)
        try statement.bind(asOf.description, at: 1)
        try statement.bind(atSeq, at: 2)
        while try statement.step() {
            guard let summary = VersionTable.incidentSummary(statement, sort1: 0, amount: 1, actors: 2) else {
                throw LedgerStoreError.corruptView(stream: "an incident")
            }
            try body(summary)
        }
    }

    public func forEachEntity(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws {
        let statement = try database.prepare(
            """
            SELECT stream, state FROM entity_versions
            WHERE kind = ?1 AND from_date <= ?2 AND to_date > ?2 AND from_seq <= ?3 AND to_seq > ?3
            ORDER BY sort1, sort2, stream
            """)
        try statement.bind(kind.rawValue, at: 1)
        try statement.bind(asOf.description, at: 2)
        try statement.bind(atSeq, at: 3)
        while try statement.step() {
            let stream = statement.string(0)
            guard let snapshot = SnapshotCoding.decode(stream: stream, state: statement.string(1)) else {
                throw LedgerStoreError.corruptView(stream: stream)
            }
            try body(snapshot)
        }
    }
}
