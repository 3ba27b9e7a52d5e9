import LedgerDomain

/// The `event_versions` table: reads and writes of stored event versions, with the
/// prepared statements kept for reuse across a batch.
final class VersionTable {
    private let database: Database
    private var loadOpenStatement: Statement?
    private var closeStatement: Statement?
    private var insertStatement: Statement?

    static let columns = """
        seq, from_seq, from_date, to_date, to_seq, stream, kind, sort1, type, id, occurred_on, known_on, publisher, \
        data
        """

    init(database: Database) {
        self.database = database
    }

    /// Resets every kept statement (before COMMIT).
    func reset() {
        loadOpenStatement?.reset()
        closeStatement?.reset()
        insertStatement?.reset()
    }

    /// The versions of the event at `seq` that no later event has closed: their content and
    /// key only, their data left as stored text.
    func openVersions(ofEventAt seq: Int64) throws -> [OpenVersion] {
        let statement =
            try loadOpenStatement
            ?? database.prepare(
                "SELECT from_seq, from_date, to_date, data FROM event_versions WHERE seq = ?1 AND to_seq = ?2")
        loadOpenStatement = statement
        statement.reset()
        try statement.bind(seq, at: 1)
        try statement.bind(Schema.openSeq, at: 2)
        var versions: [OpenVersion] = []
        while try statement.step() {
            let toDate = statement.string(2)
            guard let fromDate = Day(statement.string(1)) else {
                throw LedgerStoreError.corruptView(stream: "seq \(seq)")
            }
            let content = VersionContent(
                seq: seq, fromDate: fromDate, toDate: toDate == Schema.openDate ? nil : Day(toDate),
                dataJSON: statement.string(3))
            versions.append(OpenVersion(content: content, fromSeq: statement.int64(0)))
        }
        statement.reset()
        return versions
    }

    /// Closes `version` (open until now) at `toSeq`.
    func close(_ version: OpenVersion, at toSeq: Int64) throws {
        let statement =
            try closeStatement
            ?? database.prepare(
                "UPDATE event_versions SET to_seq = ?1 WHERE seq = ?2 AND from_seq = ?3 AND from_date = ?4")
        closeStatement = statement
        statement.reset()
        try statement.bind(toSeq, at: 1)
        try statement.bind(version.content.seq, at: 2)
        try statement.bind(version.fromSeq, at: 3)
        try statement.bind(version.content.fromDate.description, at: 4)
        try statement.step()
    }

    /// Stores a new version.
    func insert(_ version: EventVersion) throws {
        let statement =
            try insertStatement
            ?? database.prepare(
                """
                INSERT INTO event_versions (\(Self.columns), amount, actor)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                """)
        insertStatement = statement
        statement.reset()
        let event = version.event
        try statement.bind(event.seq, at: 1)
        try statement.bind(version.fromSeq, at: 2)
        try statement.bind(version.fromDate.description, at: 3)
        try statement.bind(version.toDate?.description ?? Schema.openDate, at: 4)
        try statement.bind(version.toSeq ?? Schema.openSeq, at: 5)
        try statement.bind(version.stream, at: 6)
        try statement.bind(version.kind.rawValue, at: 7)
        try statement.bind(version.sort1, at: 8)
        try statement.bind(event.type.rawValue, at: 9)
        try statement.bind(event.id, at: 10)
        try statement.bind(event.occurredOn.description, at: 11)
        try statement.bind(event.knownOn.description, at: 12)
        try statement.bind(event.publisher, at: 13)
        try statement.bind(version.dataJSON, at: 14)
        if let amount = version.amount { try statement.bind(amount, at: 15) }
        if let actor = version.actor { try statement.bind(actor, at: 16) }
        try statement.step()
    }

    /// A version from the statement's current row (selected with `columns`).
    static func read(_ statement: Statement) throws -> EventVersion {
        let stream = statement.string(5)
        guard let kind = StreamKind(rawValue: statement.string(6)), let fromDate = Day(statement.string(2)) else {
            throw LedgerStoreError.corruptView(stream: stream)
        }
        let event = try countedEvent(statement, seq: 0, type: 8, data: 13, stream: stream)
        let toDateText = statement.string(3)
        let toSeq = statement.int64(4)
        return EventVersion(
            stream: stream, kind: kind, event: event, dataJSON: statement.string(13), fromDate: fromDate,
            toDate: toDateText == Schema.openDate ? nil : Day(toDateText), fromSeq: statement.int64(1),
            toSeq: toSeq == Schema.openSeq ? nil : toSeq, sort1: statement.string(7))
    }

    /// A counted event from columns `seq`, `type`…`data` in the order of `columns`
    /// (seq; then type, id, occurred_on, known_on, publisher, data from index `type`).
    static func countedEvent(_ statement: Statement, seq: Int32, type: Int32, data: Int32, stream: String) throws
        -> CountedEvent
    {
        guard let eventType = EventType(rawValue: statement.string(type)),
            let occurred = Day(statement.string(type + 2)), let known = Day(statement.string(type + 3)),
            case .object(let object)? = try? StrictJSONReader(
                limits: JSONLimits(maxDepth: 64, maxStringBytes: .max)
            ).read(statement.string(data))
        else { throw LedgerStoreError.corruptView(stream: stream) }
        return CountedEvent(
            seq: statement.int64(seq), id: statement.string(type + 1), type: eventType, occurredOn: occurred,
            knownOn: known, publisher: statement.string(type + 4), data: object)
    }
}

/// Reads the stored views as of a day and a `seq`, in report order, by indexed queries.
public struct StoredEntities: EntitySource {
    let database: Database
    let asOf: Day
    let atSeq: Int64

    public func forEachEntity(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws {
        let statement = try database.prepare(
            """
            SELECT stream, seq, type, id, occurred_on, known_on, publisher, data FROM event_versions
            WHERE kind = ?1 AND from_date <= ?2 AND to_date > ?2 AND from_seq <= ?3 AND to_seq > ?3
            ORDER BY sort1, stream, seq
            """)
        try statement.bind(kind.rawValue, at: 1)
        try statement.bind(asOf.description, at: 2)
        try statement.bind(atSeq, at: 3)
        let sortHere = !SortKeys.isStoredOrder(kind)
        var held: [EntitySnapshot] = []
        var stream: String?
        var events: [CountedEvent] = []
        func flush() throws {
            guard let current = stream, let first = events.first, first.type == kind.creatingType else { return }
            let snapshot = EntitySnapshot(stream: current, kind: kind, events: events)
            if sortHere { held.append(snapshot) } else { try body(snapshot) }
        }
        while try statement.step() {
            let rowStream = statement.string(0)
            if rowStream != stream {
                try flush()
                stream = rowStream
                events.removeAll(keepingCapacity: true)
            }
            events.append(try VersionTable.countedEvent(statement, seq: 1, type: 2, data: 7, stream: rowStream))
        }
        try flush()
        for snapshot in SortKeys.sorted(held) { try body(snapshot) }
    }

    /// Summaries straight from the `amount` and `actor` columns: no event data is read.
    public func forEachIncidentSummary(_ body: (IncidentSummary) throws -> Void) throws {
        let statement = try database.prepare(
            """
            SELECT stream, type, sort1, amount, actor FROM event_versions
            WHERE kind = 'incident' AND from_date <= ?1 AND to_date > ?1 AND from_seq <= ?2 AND to_seq > ?2
            ORDER BY sort1, stream, seq
            """)
        try statement.bind(asOf.description, at: 1)
        try statement.bind(atSeq, at: 2)
        var stream: String?
        var summary: IncidentSummary?
        while try statement.step() {
            let rowStream = statement.string(0)
            let type = statement.string(1)
            if rowStream != stream {
                if let summary { try body(summary) }
                stream = rowStream
                summary = nil
                // An incident exists only if its report counts: its first counted row.
                if type == EventType.theftReported.rawValue, let occurred = Day(statement.string(2)) {
                    summary = IncidentSummary(occurredOn: occurred, amountUSD: statement.int64(3), actors: [])
                }
                continue
            }
            if type == EventType.attributionMade.rawValue, !statement.isNull(4) {
                let actor = statement.string(4)
                if summary?.actors.contains(actor) == false { summary?.actors.append(actor) }
            }
        }
        if let summary { try body(summary) }
    }

    /// The statement `entity(_:using:)` reads one stream with: prepared once per query, not per stream.
    func entityStatement() throws -> Statement {
        try database.prepare(
            """
            SELECT seq, type, id, occurred_on, known_on, publisher, data FROM event_versions
            WHERE stream = ?1 AND from_date <= ?2 AND to_date > ?2 AND from_seq <= ?3 AND to_seq > ?3
            ORDER BY seq
            """)
    }

    /// One stream's entity as of the day, or nil.
    func entity(_ stream: String, using statement: Statement) throws -> EntitySnapshot? {
        statement.reset()
        try statement.bind(stream, at: 1)
        try statement.bind(asOf.description, at: 2)
        try statement.bind(atSeq, at: 3)
        var events: [CountedEvent] = []
        while try statement.step() {
            events.append(try VersionTable.countedEvent(statement, seq: 0, type: 1, data: 6, stream: stream))
        }
        statement.reset()
        guard let kind = StreamName.kind(of: stream), let first = events.first, first.type == kind.creatingType else {
            return nil
        }
        return EntitySnapshot(stream: stream, kind: kind, events: events)
    }
}
