import LedgerDomain

/// A stream as the stored views key it: its integer id, its kind and its report day.
struct StreamKey: Sendable, Equatable {
    var id: Int64
    var kind: StreamKind
    /// The creating event's `occurred_on`, as YYYYMMDD.
    var sortDay: Int64
}

/// One row of `versions` (see `Schema`, migration 4).
struct VersionRow {
    var seq: Int64
    var fromSeq: Int64
    var fromDay: Int64
    var toDay: Int64
    var toSeq: Int64
    var stream: StreamKey
    var type: EventType
    var amount: Int64?
    var actorID: Int64?
    /// The data as corrected; nil when it is the log's own.
    var data: String?
}

/// The `streams` table: a stream's integer key, found by name.
final class StreamTable {
    private let database: any SQLDatabase
    private var findStatement: (any SQLStatement)?
    private var insertStatement: (any SQLStatement)?
    /// The key the next new stream gets: read once, then counted here (the writer holds the
    /// write lock, so no one else adds streams meanwhile).
    private var nextID: Int64?

    init(database: any SQLDatabase) {
        self.database = database
    }

    func reset() {
        findStatement?.reset()
        insertStatement?.reset()
    }

    /// The stream's key, or nil when it has no row yet.
    func find(_ name: String) throws -> StreamKey? {
        let statement =
            try findStatement ?? database.prepare("SELECT stream_id, sort_day FROM streams WHERE name = ?1")
        findStatement = statement
        statement.reset()
        try statement.bind(name, at: 1)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        guard let kind = StreamName.kind(of: name) else { throw LedgerStoreError.corruptView(stream: name) }
        return StreamKey(id: statement.int64(0), kind: kind, sortDay: statement.int64(1))
    }

    /// The keys of the streams among `names` that have one, read in statements of
    /// `SQLList.size` names each.
    func findAll(_ names: [String], _ body: (String, StreamKey) throws -> Void) throws {
        let statement = try database.prepare(
            "SELECT name, stream_id, sort_day FROM streams WHERE name IN (\(SQLList.placeholders))")
        try SQLList.forEachRow(of: statement, in: names) { row in
            let name = row.string(0)
            guard let kind = StreamName.kind(of: name) else { throw LedgerStoreError.corruptView(stream: name) }
            try body(name, StreamKey(id: row.int64(1), kind: kind, sortDay: row.int64(2)))
        }
    }

    /// Adds the stream whose creating event occurred on `day`; ids follow the log's order.
    func insert(_ name: String, occurredOn day: Day) throws -> StreamKey {
        guard let kind = StreamName.kind(of: name) else { throw LedgerStoreError.corruptView(stream: name) }
        let statement =
            try insertStatement
            ?? database.prepareInsert(RowInsert(into: "streams", columns: ["stream_id", "name", "kind", "sort_day"]))
        insertStatement = statement
        let id = try nextID ?? (database.integer("SELECT coalesce(max(stream_id), 0) + 1 FROM streams") ?? 1)
        statement.reset()
        let sortDay = ViewCodes.code(day)
        try statement.bind(id, at: 1)
        try statement.bind(name, at: 2)
        try statement.bind(ViewCodes.code(kind), at: 3)
        try statement.bind(sortDay, at: 4)
        try statement.step()
        statement.reset()
        nextID = id + 1
        return StreamKey(id: id, kind: kind, sortDay: sortDay)
    }
}

/// The `versions` table: reads and writes of stored event versions, with the prepared
/// statements kept for reuse across a batch.
final class VersionTable {
    private let database: any SQLDatabase
    private var loadOpenStatement: (any SQLStatement)?
    private var closeStatement: (any SQLStatement)?
    private var insertStatement: (any SQLStatement)?

    init(database: any SQLDatabase) {
        self.database = database
    }

    /// Resets every kept statement (before COMMIT).
    func reset() {
        loadOpenStatement?.reset()
        closeStatement?.reset()
        insertStatement?.reset()
    }

    /// The versions of the event at `seq` that no later event has closed: their content and
    /// key only, their data left as stored text (the log's, unless a correction changed it).
    func openVersions(ofEventAt seq: Int64) throws -> [OpenVersion] {
        let statement =
            try loadOpenStatement
            ?? database.prepare(
                """
                SELECT v.from_seq, v.from_day, v.to_day, coalesce(v.data, e.data)
                FROM versions v JOIN events e ON e.seq = v.seq WHERE v.seq = ?1 AND v.to_seq = ?2
                """)
        loadOpenStatement = statement
        statement.reset()
        try statement.bind(seq, at: 1)
        try statement.bind(Schema.openSeq, at: 2)
        var versions: [OpenVersion] = []
        while try statement.step() {
            let toDay = statement.int64(2)
            guard let fromDate = ViewCodes.day(statement.int64(1)) else {
                throw LedgerStoreError.corruptView(stream: "seq \(seq)")
            }
            let content = VersionContent(
                seq: seq, fromDate: fromDate, toDate: ViewCodes.day(toDay), dataJSON: statement.string(3))
            versions.append(OpenVersion(content: content, fromSeq: statement.int64(0)))
        }
        statement.reset()
        return versions
    }

    /// Closes `version` (open until now) at `toSeq`.
    func close(_ version: OpenVersion, at toSeq: Int64) throws {
        let statement =
            try closeStatement
            ?? database.prepareWrite(
                "UPDATE versions SET to_seq = ?1 WHERE seq = ?2 AND to_seq = ?5 AND from_seq = ?3 AND from_day = ?4",
                changing: "versions")
        closeStatement = statement
        statement.reset()
        try statement.bind(toSeq, at: 1)
        try statement.bind(version.content.seq, at: 2)
        try statement.bind(version.fromSeq, at: 3)
        try statement.bind(ViewCodes.code(version.content.fromDate), at: 4)
        try statement.bind(Schema.openSeq, at: 5)
        try statement.step()
    }

    /// Stores a new version.
    func insert(_ row: VersionRow) throws {
        let statement =
            try insertStatement
            ?? database.prepareInsert(
                RowInsert(
                    into: "versions",
                    columns: [
                        "seq", "from_seq", "from_day", "to_day", "to_seq", "stream_id", "kind", "sort_day", "type",
                        "amount", "actor_id", "data",
                    ]))
        insertStatement = statement
        statement.reset()
        try statement.bind(row.seq, at: 1)
        try statement.bind(row.fromSeq, at: 2)
        try statement.bind(row.fromDay, at: 3)
        try statement.bind(row.toDay, at: 4)
        try statement.bind(row.toSeq, at: 5)
        try statement.bind(row.stream.id, at: 6)
        try statement.bind(ViewCodes.code(row.stream.kind), at: 7)
        try statement.bind(row.stream.sortDay, at: 8)
        try statement.bind(ViewCodes.code(row.type), at: 9)
        if let amount = row.amount { try statement.bind(amount, at: 10) }
        if let actor = row.actorID { try statement.bind(actor, at: 11) }
        if let data = row.data { try statement.bind(data, at: 12) }
        try statement.step()
    }

    /// The columns of `countedColumns`, in order: each read by its name, from where the
    /// query puts the first.
    enum CountedColumn: Int32 {
        case seq, type, id, occurredOn, knownOn, source, data
    }

    /// A counted event from the columns of `countedColumns` starting at `first`: the version
    /// joined with its event in the log.
    static func countedEvent(_ statement: any SQLStatement, from first: Int32, stream: String) throws -> CountedEvent {
        func at(_ column: CountedColumn) -> Int32 { first + column.rawValue }
        let reader = StrictJSONReader(limits: JSONLimits(maxDepth: 64, maxStringBytes: .max))
        let publisher = statement.withText(at(.source)) { bytes -> String? in
            if let publisher = Source.publisher(inCanonical: bytes) { return publisher }
            guard case .object(let source)? = try? reader.read(bytes),
                case .string(let publisher)? = source["publisher"]
            else { return nil }
            return publisher
        }
        guard let eventType = ViewCodes.type(statement.int64(at(.type))),
            let occurred = statement.withText(at(.occurredOn), { Day(utf8: $0) }),
            let known = statement.withText(at(.knownOn), { Day(utf8: $0) }),
            let publisher,
            let content = statement.withText(at(.data), { EventContent(type: eventType, canonical: $0) })
        else { throw LedgerStoreError.corruptView(stream: stream) }
        return CountedEvent(
            seq: statement.int64(at(.seq)), id: EventID(statement.string(at(.id))), type: eventType,
            occurredOn: occurred, knownOn: known, publisher: publisher, content: content)
    }

    /// The columns `countedEvent(_:from:stream:)` reads (`CountedColumn`, in that order), for a
    /// query over `versions v JOIN events e`.
    ///
    /// A version's own `data` is read by its key in a subquery, for the rows returned only: a
    /// query that scans `versions_report` then reads nothing else of `versions`, where naming
    /// `v.data` would read every scanned row's table entry (SQLite looks a WITHOUT ROWID row
    /// up before it tests the rest of the WHERE clause) — 7,239 pages instead of 88 for the
    /// obligations of the 1M-event bench ledger.
    ///
    /// The publisher is read from `source` by our reader: SQLite's `json_extract` would cut a
    /// publisher at an escaped NUL (`EdgeCaseTests`).
    static let countedColumns = """
        e.seq, v.type, e.id, e.occurred_on, e.known_on, e.source,
        coalesce((SELECT d.data FROM versions d
                  WHERE d.seq = v.seq AND d.to_seq = v.to_seq AND d.from_seq = v.from_seq AND d.from_day = v.from_day),
                 e.data)
        """

    /// The condition on `v` that selects the versions valid on day `?2` as the log stood at `?3`.
    static let validAt = "v.from_day <= ?2 AND v.to_day > ?2 AND v.from_seq <= ?3 AND v.to_seq > ?3"

    /// The same for a scan of `versions_report` by kind: an entity exists on day `?2` only if
    /// its creating event counts, and that event is known (`from_day`) no earlier than it
    /// occurred (`sort_day`; the contract refuses `published_on` before `occurred_on`), so
    /// streams created after `?2` are skipped inside the index, not read row by row.
    static let existingAt = "v.sort_day <= ?2 AND " + validAt
}

/// Puts the snapshots of a kind, which come by sort day then by stream key, into report
/// order: a day's streams by name (byte order), or, for kinds sorted otherwise
/// (`SortKeys.isStoredOrder`), all of them by their sort keys at the end.
struct ReportOrder {
    private let sortAll: Bool
    private var held: [EntitySnapshot] = []
    private var heldDay: Int64?

    init(of kind: StreamKind) {
        sortAll = !SortKeys.isStoredOrder(kind)
    }

    /// Takes the snapshot of a stream whose sort day is `day`, and passes on to `body` the
    /// snapshots that are now in order.
    mutating func add(_ snapshot: EntitySnapshot, day: Int64, _ body: (EntitySnapshot) throws -> Void) throws {
        if day != heldDay {
            try flushDay(body)
            heldDay = day
        }
        held.append(snapshot)
    }

    /// Passes on what is held, after the last snapshot.
    mutating func finish(_ body: (EntitySnapshot) throws -> Void) throws {
        try flushDay(body)
        guard sortAll else { return }
        for snapshot in SortKeys.sorted(held) { try body(snapshot) }
        held.removeAll()
    }

    private mutating func flushDay(_ body: (EntitySnapshot) throws -> Void) throws {
        guard !sortAll else { return }
        held.sort { byteOrder($0.stream, $1.stream) }
        for snapshot in held { try body(snapshot) }
        held.removeAll(keepingCapacity: true)
    }
}

/// Reads the stored views as of a day and a `seq`, in report order, by indexed queries; its
/// shortcuts read what the views keep ready.
public struct StoredEntities: EntitySource, ReportShortcuts {
    let database: any SQLDatabase
    let asOf: Day
    let atSeq: Int64
    /// Whether `atSeq` is the log's last `seq` or later, where the tallies are kept ready.
    let isAtHead: Bool
    /// One entity to read of its kind (the others of that kind are left out), for a
    /// question about one row; entities of other kinds are all read.
    var only: (kind: StreamKind, stream: String)? = nil

    /// At the log's head, the tallies kept in `incident_sums` and `actor_incidents`; else
    /// none, and the reports fold the incidents.
    public func keptIncidentTallies(byActor: Bool) throws -> IncidentTallies? {
        guard isAtHead else { return nil }
        return try IncidentTallyTable(database: database).tallies(asOf: asOf, byActor: byActor)
    }

    public func forEachEntity(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws {
        try forEachEntity(of: kind, onlyCreations: false, body)
    }

    public var shortcuts: (any ReportShortcuts)? { self }

    /// Every entity of `kind` in the order the rows come, none held: for readers that need no
    /// report order (an import's comparison), so memory stays flat however many there are.
    public func forEachEntityInAnyOrder(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws {
        try forEachEntity(of: kind, onlyCreations: false, ordered: false, body)
    }

    /// The creations alone: the rows of the creating event's type, in the same order. An
    /// entity exists exactly when its creating event counts, and that event is its first.
    ///
    /// The streams are found one index seek each and each one's creation by its key, so a
    /// resolution's thousands of compliance reports are never read (a scan of the kind's
    /// versions would read them all to find its twenty creations).
    public func forEachCreation(
        of kind: StreamKind, _ body: (_ stream: String, _ creation: CountedEvent) throws -> Void
    ) throws {
        if only?.kind == kind {
            try forEachEntity(of: kind, onlyCreations: true) { try body($0.stream, $0.creation) }
            return
        }
        // Two seeks, not one on `(sort_day, stream_id) > (?, ?)`: SQLite seeks that by the day
        // alone and would read the rest of the day's stream row by row.
        let nextSameDay = try database.prepare(
            """
            SELECT sort_day, stream_id FROM versions WHERE kind = ?1 AND sort_day = ?2 AND stream_id > ?3
            ORDER BY stream_id LIMIT 1
            """)
        let nextDay = try database.prepare(
            """
            SELECT sort_day, stream_id FROM versions WHERE kind = ?1 AND sort_day > ?2 AND sort_day <= ?3
            ORDER BY sort_day, stream_id LIMIT 1
            """)
        let creation = try database.prepare(
            """
            SELECT s.name, \(VersionTable.countedColumns)
            FROM versions v JOIN events e ON e.seq = v.seq JOIN streams s ON s.stream_id = v.stream_id
            WHERE v.kind = ?1 AND v.sort_day = ?5 AND v.stream_id = ?6 AND v.type = ?4 AND \(VersionTable.validAt)
              AND v.seq = (SELECT min(seq) FROM versions WHERE kind = ?1 AND sort_day = ?5 AND stream_id = ?6)
            ORDER BY v.seq LIMIT 1
            """)
        defer {
            nextSameDay.reset()
            nextDay.reset()
            creation.reset()
        }
        /// The next stream of the kind after `after` that exists by the day, if any.
        func next(after: (day: Int64, stream: Int64)) throws -> (day: Int64, stream: Int64)? {
            for (statement, third) in [(nextSameDay, after.stream), (nextDay, ViewCodes.code(asOf))] {
                statement.reset()
                try statement.bind(ViewCodes.code(kind), at: 1)
                try statement.bind(after.day, at: 2)
                try statement.bind(third, at: 3)
                if try statement.step() {
                    defer { statement.reset() }
                    return (statement.int64(0), statement.int64(1))
                }
            }
            return nil
        }
        var order = ReportOrder(of: kind)
        let emit = { (snapshot: EntitySnapshot) in try body(snapshot.stream, snapshot.creation) }
        var after: (day: Int64, stream: Int64) = (.min, .min)
        while let found = try next(after: after) {
            after = found
            creation.reset()
            try creation.bind(ViewCodes.code(kind), at: 1)
            try creation.bind(ViewCodes.code(asOf), at: 2)
            try creation.bind(atSeq, at: 3)
            try creation.bind(ViewCodes.code(kind.creatingType), at: 4)
            try creation.bind(after.day, at: 5)
            try creation.bind(after.stream, at: 6)
            guard try creation.step() else { continue }
            let name = creation.string(0)
            let event = try VersionTable.countedEvent(creation, from: 1, stream: name)
            try order.add(EntitySnapshot(stream: name, kind: kind, events: [event]), day: after.day, emit)
        }
        try order.finish(emit)
    }

    /// Per period, the figure of `metric` known last, from `figure_versions`: no event of the
    /// log is read, and a few index look-ups per period whatever the number of figures.
    public func latestFigures(of metric: Metric) throws -> [FigureCreation]? {
        try FigureTable(database: database).latest(of: metric, asOf: asOf, atSeq: atSeq)
    }

    /// At the log's head, the counts kept in `compliance_sums`; else none, and the
    /// obligations report folds each resolution's reports.
    public func keptComplianceCounts() throws -> [String: ComplianceCounts]? {
        guard isAtHead else { return nil }
        return try ComplianceCountTable(database: database).counts(asOf: asOf)
    }

    private func forEachEntity(
        of kind: StreamKind, onlyCreations: Bool, ordered: Bool = true, _ body: (EntitySnapshot) throws -> Void
    ) throws {
        // A large report streams: on a server its rows come through a cursor.
        let statement = try database.prepareScan(
            """
            SELECT v.sort_day, v.stream_id, s.name, \(VersionTable.countedColumns)
            FROM versions v JOIN events e ON e.seq = v.seq JOIN streams s ON s.stream_id = v.stream_id
            WHERE v.kind = ?1 AND \(VersionTable.existingAt) \(onlyCreations ? "AND v.type = ?4" : "")
            \(only?.kind == kind ? "AND v.stream_id = (SELECT stream_id FROM streams WHERE name = ?5)" : "")
            ORDER BY v.sort_day, v.stream_id, v.seq
            """)
        if let only, only.kind == kind { try statement.bind(only.stream, at: 5) }
        try statement.bind(ViewCodes.code(kind), at: 1)
        try statement.bind(ViewCodes.code(asOf), at: 2)
        try statement.bind(atSeq, at: 3)
        if onlyCreations { try statement.bind(ViewCodes.code(kind.creatingType), at: 4) }
        var order = ReportOrder(of: kind)
        var stream: (id: Int64, name: String, day: Int64)?
        var events: [CountedEvent] = []
        func flushStream() throws {
            guard let current = stream, let first = events.first, first.type == kind.creatingType else { return }
            let snapshot = EntitySnapshot(stream: current.name, kind: kind, events: events)
            if ordered { try order.add(snapshot, day: current.day, body) } else { try body(snapshot) }
        }
        while try statement.step() {
            let rowStream = statement.int64(1)
            if rowStream != stream?.id {
                try flushStream()
                stream = (rowStream, statement.string(2), statement.int64(0))
                events.removeAll(keepingCapacity: true)
            }
            events.append(try VersionTable.countedEvent(statement, from: 3, stream: stream?.name ?? ""))
        }
        try flushStream()
        if ordered { try order.finish(body) }
    }

    /// Summaries straight from the `amount` and `actor_id` columns: no event data is read.
    public func forEachIncidentSummary(_ body: (IncidentSummary) throws -> Void) throws {
        let statement = try database.prepare(
            """
            SELECT v.stream_id, v.type, v.sort_day, v.amount, a.name
            FROM versions v LEFT JOIN streams a ON a.stream_id = v.actor_id
            WHERE v.kind = ?1 AND \(VersionTable.existingAt)
            ORDER BY v.sort_day, v.stream_id, v.seq
            """)
        try statement.bind(ViewCodes.code(StreamKind.incident), at: 1)
        try statement.bind(ViewCodes.code(asOf), at: 2)
        try statement.bind(atSeq, at: 3)
        let theft = ViewCodes.code(EventType.theftReported)
        let attribution = ViewCodes.code(EventType.attributionMade)
        var stream: Int64?
        var summary: IncidentSummary?
        while try statement.step() {
            let rowStream = statement.int64(0)
            let type = statement.int64(1)
            if rowStream != stream {
                if let summary { try body(summary) }
                stream = rowStream
                summary = nil
                // An incident exists only if its report counts: its first counted row.
                if type == theft, let occurred = ViewCodes.day(statement.int64(2)) {
                    summary = IncidentSummary(occurredOn: occurred, amountUSD: statement.int64(3), actors: [])
                }
                continue
            }
            if type == attribution, !statement.isNull(4) {
                let actor = statement.string(4)
                if summary?.actors.contains(actor) == false { summary?.actors.append(actor) }
            }
        }
        if let summary { try body(summary) }
    }
}
