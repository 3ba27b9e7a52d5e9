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
    /// Whether the file has the stored views this program reads (the narrow ones of schema 4;
    /// an older file has them rebuilt by its first writing command, and is folded until then).
    public var hasViews: Bool { schemaVersion >= Schema.viewsVersion }

    /// The stored views: built, replayed, verified and digested.
    public var views: ViewBuilder { ViewBuilder(ledger: self) }

    /// The entities as of `asOf` when the log ended at `atSeq`: from the stored views, or,
    /// in a ledger written before they existed, folded from the log in memory.
    public func entities(asOf: Day, atSeq: Int64?) throws -> any EntitySource {
        try entities(asOf: asOf, atSeq: atSeq, only: nil)
    }

    /// The same, reading of `only.kind` the one entity `only.stream` (from the stored views;
    /// a ledger without them folds them all): what one row of a report needs.
    public func entities(asOf: Day, atSeq: Int64?, only: (kind: StreamKind, stream: String)?) throws
        -> any EntitySource
    {
        // The open end of a stored range is `Schema.openSeq`: a larger `atSeq` means the whole log.
        let seq = min(atSeq ?? Schema.openSeq, Schema.openSeq - 1)
        if hasViews {
            let head = try database.integer("SELECT max(seq) FROM events") ?? 0
            return StoredEntities(database: database, asOf: asOf, atSeq: seq, isAtHead: seq >= head, only: only)
        }
        var events: [LoggedEvent] = []
        try log.forEachEvent(LogFilter()) { stored in
            if stored.seq <= seq { events.append(LoggedEvent(seq: stored.seq, event: try stored.event())) }
        }
        return InMemoryEntities(events: events, asOf: asOf)
    }
}

/// Builds the stored views from the log (contract section 7): a rebuild in place, a replay
/// beside them up to a `seq`, and their verification and digest. The one place that writes
/// them in bulk; appending keeps them up to date event by event (`ViewProjector`).
public struct ViewBuilder {
    let ledger: Ledger
    private var database: any SQLDatabase { ledger.database }

    /// Rebuilds every stored view from the log, in one transaction.
    public func rebuild(progress: (Int64) -> Void = { _ in }) throws -> ReplaySummary {
        try database.transaction {
            try rebuildInTransaction(progress: progress)
        }
    }

    func rebuildInTransaction(progress: (Int64) -> Void = { _ in }) throws -> ReplaySummary {
        let stored = database.dialect.storedSchema
        let (events, versions) = try buildViews(atSeq: .max, schema: stored, progress: progress)
        return ReplaySummary(events: events, versions: versions, digest: try digest(of: stored))
    }

    /// Writes the views of events 1…`atSeq` into the view tables of `schema`: the stored ones
    /// (`SQLDialect.storedSchema`), or the temporary tables of `createFreshViewTables` that
    /// shadow them (`SQLDialect.freshSchema`).
    ///
    /// A bulk build, trusting what the chain vouches for: the streams and the one version of
    /// every event that is neither a correction nor a retraction are inserted by two SQL
    /// statements in `seq` order (what `ViewProjector.addUntouched` writes for each, with
    /// the codes and fields of `ViewCodes` and `EventVersion`), with the secondary indexes
    /// dropped and built once at the end. Then designations' names go to the screening index,
    /// and the corrections and retractions, in `seq` order, change what they target through
    /// the same `ViewProjector.applyChange` as appending: an event's versions depend only on
    /// it and what targets it, so inserting every untouched version first changes nothing.
    /// A property test checks that the result equals, table by table, what appending built.
    private func buildViews(atSeq: Int64, schema: String, progress: (Int64) -> Void = { _ in }) throws -> (Int64, Int) {
        let dialect = database.dialect
        let tables = try derivedTables()
        for table in tables { try database.execute("DELETE FROM \(schema).\(table.name)") }
        var indexes: [String] = []
        if schema == dialect.storedSchema {
            for index in try dialect.secondaryIndexes(in: database) {
                try database.execute("DROP INDEX \(schema).\(index.name)")
                indexes.append(index.create)
            }
        }
        let count = try database.prepare("SELECT count(*) FROM events WHERE seq <= ?1")
        try count.bind(atSeq, at: 1)
        let events = try count.step() ? count.int64(0) : 0
        count.reset()

        let day = { (column: String) in "CAST(replace(\(column), '-', '') AS INTEGER)" }
        let kindCode =
            "CASE substr(e.stream, 1, \(dialect.position(of: "'/'", in: "e.stream")) - 1) "
            + StreamKind.allCases.map { "WHEN '\($0.rawValue)' THEN \(ViewCodes.code($0))" }.joined(separator: " ")
            + " END"
        let typeCode =
            "CASE e.type "
            + EventType.allCases.map { "WHEN '\($0.rawValue)' THEN \(ViewCodes.code($0))" }.joined(separator: " ")
            + " END"
        let changes = "('\(EventType.eventCorrected.rawValue)', '\(EventType.eventRetracted.rawValue)')"
        let streams = try database.prepare(
            """
            INSERT INTO \(schema).streams (stream_id, name, kind, sort_day)
            SELECT \(dialect.rowNumber(orderedBy: "e.seq")), e.stream, \(kindCode), \(day("e.occurred_on"))
            FROM events e WHERE e.seq <= ?1 AND e.stream_version = 1 ORDER BY e.seq
            """)
        try streams.bind(atSeq, at: 1)
        try streams.step()
        let untouched = try database.prepare(
            """
            INSERT INTO \(schema).versions (seq, from_seq, from_day, to_day, to_seq, stream_id, kind, sort_day, type,
                                           amount, actor_id, data)
            SELECT e.seq, e.seq, \(day("e.known_on")), \(Schema.openDay), \(Schema.openSeq), s.stream_id, s.kind,
                   s.sort_day, \(typeCode),
                   CASE WHEN e.type = '\(EventType.theftReported.rawValue)'
                        THEN \(dialect.jsonInteger("e.data", EventVersion.amountField)) END,
                   CASE WHEN e.type = '\(EventType.attributionMade.rawValue)'
                        THEN (SELECT a.stream_id FROM \(schema).streams a
                              WHERE a.name = \(dialect.jsonText("e.data", EventVersion.actorField))) END,
                   NULL
            FROM events e JOIN \(schema).streams s ON s.name = e.stream
            WHERE e.seq <= ?1 AND e.type NOT IN \(changes)
            ORDER BY e.seq
            """)
        try untouched.bind(atSeq, at: 1)
        try untouched.step()
        progress(events)

        let projector = ViewProjector(database: database)
        // The tallies are written from every incident at the end, once the versions are complete.
        projector.tallies.tracksChanges = false
        projector.compliance.tracksChanges = false
        // Designations' terms, names and identifiers, as each event brought them (its one
        // version; the corrections below close and open versions as appending did).
        let designations = try database.prepareScan(
            """
            SELECT e.type, e.data, e.stream_version, s.stream_id, e.seq, e.occurred_on, e.known_on
            FROM events e JOIN \(schema).streams s ON s.name = e.stream
            WHERE e.seq <= ?1 AND e.type IN ('\(EventType.designationAdded.rawValue)',
                                            '\(EventType.designationAmended.rawValue)',
                                            '\(EventType.designationRemoved.rawValue)')
            ORDER BY e.seq
            """)
        try designations.bind(atSeq, at: 1)
        while try designations.step() {
            let streamID = designations.int64(3)
            guard let type = EventType(rawValue: designations.string(0)),
                case .typed(let payload)? = designations.withText(1, { EventContent(type: type, canonical: $0) }),
                let occurredOn = Day(designations.string(5)), let knownOn = Day(designations.string(6))
            else { throw LedgerStoreError.corruptView(stream: "stream \(streamID)") }
            if designations.int64(2) == 1 { projector.screening.created(streamID) }
            try projector.screening.add(
                payload, occurredOn: occurredOn, streamID: streamID,
                bounds: .untouched(seq: designations.int64(4), knownOn: ViewCodes.code(knownOn)))
        }
        designations.reset()

        // Corrections and retractions, in `seq` order, with the typed histories of their streams.
        let changeRows = try database.prepareScan(
            "SELECT \(StoredEventRow.columns) FROM events WHERE seq <= ?1 AND type IN \(changes) ORDER BY seq")
        try changeRows.bind(atSeq, at: 1)
        let loadStream = try database.prepare(
            """
            SELECT \(StoredEventRow.columns) FROM events
            WHERE stream = ?1 AND stream_version > ?2 AND stream_version <= ?3
            ORDER BY stream_version
            """)
        // A stream's history grows by the events after those already read: a range of the
        // (stream, stream_version) index, so a long stream is read once, not once per change.
        var held: [String: StreamHistory] = [:]
        while try changeRows.step() {
            let change = StoredEventRow.read(changeRows)
            var history = held.removeValue(forKey: change.stream) ?? StreamHistory()
            loadStream.reset()
            try loadStream.bind(change.stream, at: 1)
            try loadStream.bind(Int64(history.events.count), at: 2)
            try loadStream.bind(change.streamVersion, at: 3)
            while try loadStream.step() {
                let stored = StoredEventRow.read(loadStream)
                history.append(LoggedEvent(seq: stored.seq, event: try stored.event()))
            }
            guard history.events.last?.seq == change.seq, let key = try projector.key(of: change.stream) else {
                throw LedgerStoreError.corruptView(stream: change.stream)
            }
            try projector.applyChange(history: history, stream: change.stream, key: key, at: change.seq)
            if held.count >= Self.heldHistories { held.removeAll() }
            held[change.stream] = history
        }
        changeRows.reset()
        loadStream.reset()
        try projector.finish()
        // The log's Merkle tree, from the events' hashes in `seq` order.
        let tree = try MerkleTable(database: database, schema: schema, size: 0)
        let hashes = try database.prepareScan("SELECT hash FROM events WHERE seq <= ?1 ORDER BY seq")
        try hashes.bind(atSeq, at: 1)
        while try hashes.step() { try tree.append(storedHash: hashes.blob(0)) }
        hashes.reset()
        for sql in indexes { try database.execute(sql) }
        try projector.tallies.rebuild()
        try projector.figures.rebuild()
        projector.compliance.tracksChanges = true
        try projector.compliance.rebuild()
        projector.reset()
        let versions = try database.integer("SELECT count(*) FROM \(schema).versions") ?? 0
        return (events, Int(versions))
    }

    /// How many streams with corrections or retractions a rebuild holds as typed histories.
    static let heldHistories = 2_000

    /// Replays the log up to `atSeq` into temporary tables, writing nothing to the ledger: the
    /// projections (and their digest) as they stood when the log ended at `atSeq`.
    public func replay(atSeq: Int64, progress: (Int64) -> Void = { _ in }) throws -> ReplaySummary {
        if ledger.isReadReplica { return try replayAside(atSeq: atSeq, progress: progress) }
        try createFreshViewTables()
        defer { dropFreshViewTables() }
        let fresh = database.dialect.freshSchema
        let (events, versions) = try buildViews(atSeq: atSeq, schema: fresh, progress: progress)
        return ReplaySummary(events: events, versions: versions, digest: try digest(of: fresh))
    }

    /// The digest of the stored views: every column of every derived table.
    public func storedDigest() throws -> String {
        try digest(of: database.dialect.storedSchema)
    }

    /// Compares every derived table — every row and every column, the screening index
    /// included — with a fresh replay of the log built beside it in temporary tables.
    /// Returns the first difference, or nil and the digest when they are equal.
    public func verify() throws -> (fault: ViewFault?, digest: String) {
        if ledger.isReadReplica {
            // Built aside, the first differing row cannot be named: the digests are compared.
            let stored = try digest(of: database.dialect.storedSchema)
            guard try replayAside(atSeq: .max).digest != stored else { return (nil, stored) }
            return (
                ViewFault(
                    view: "projections", stream: "-",
                    reason:
                        "the stored views differ from a fresh replay of the log (built aside: a read replica holds no temporary tables)"
                ),
                stored
            )
        }
        try createFreshViewTables()
        defer { dropFreshViewTables() }
        let (main, temp) = (database.dialect.storedSchema, database.dialect.freshSchema)
        _ = try buildViews(atSeq: .max, schema: temp)
        let stored = try digest(of: main)
        if try digest(of: temp) == stored { return (nil, stored) }
        for table in try derivedTables() {
            if let row = try firstRow(of: main, notIn: temp, table) {
                return (
                    ViewFault(
                        view: table.name, stream: row,
                        reason: "a stored row differs from a fresh replay of the log, or has no event behind it"),
                    stored
                )
            }
            if let row = try firstRow(of: temp, notIn: main, table) {
                return (ViewFault(view: table.name, stream: row, reason: "a row of a fresh replay is missing"), stored)
            }
        }
        return (
            ViewFault(
                view: "projections", stream: "-", reason: "a stored value differs from a fresh replay in its type"),
            stored
        )
    }

    /// Every table of the ledger but the log and the engine's own, in name order: all derived
    /// from the log, so a table added by a later migration is digested and verified too.
    func derivedTables() throws -> [DerivedTable] {
        try database.dialect.derivedTables(in: database)
    }

    /// Creates TEMP tables shaped as the stored views, which shadow them on this connection.
    private func createFreshViewTables() throws {
        for table in try derivedTables() {
            try database.dialect.createFreshTable(table, in: database)
        }
    }

    /// Drops the TEMP tables again, so that the stored views are what this connection sees.
    private func dropFreshViewTables() {
        for table in (try? derivedTables()) ?? [] {
            try? database.execute("DROP TABLE IF EXISTS \(database.dialect.freshSchema).\(table.name)")
        }
    }

    /// The digest of the derived tables of `schema` (stored or fresh), in key order.
    private func digest(of schema: String) throws -> String {
        var digest = ProjectionDigest()
        for table in try derivedTables() {
            digest.beginTable(table.name)
            let statement = try database.prepareScan(
                "SELECT * FROM \(schema).\(table.name) ORDER BY \(table.key.joined(separator: ", "))")
            var columns: Int32?
            while try statement.step() {
                // A server tells the columns with the first row.
                let count = columns ?? statement.columnCount
                columns = count
                digest.beginRow()
                for column in 0..<count { statement.addColumn(column, to: &digest) }
            }
        }
        return digest.finalize()
    }

    /// The first row (in key order) of `table` in `schema` that `other` lacks, named by its
    /// `stream` column when it has one, else by its key.
    private func firstRow(of schema: String, notIn other: String, _ table: DerivedTable) throws -> String? {
        let key = table.key.joined(separator: ", ")
        let statement = try database.prepare(
            """
            SELECT * FROM (SELECT * FROM \(schema).\(table.name) EXCEPT SELECT * FROM \(other).\(table.name)) AS d
            ORDER BY \(key) LIMIT 1
            """)
        guard try statement.step() else { return nil }
        var names: [String] = []
        for column in 0..<statement.columnCount { names.append(statement.columnName(column)) }
        if let stream = names.firstIndex(of: "stream_id") {
            let id = statement.int64(Int32(stream))
            let name = try database.prepare("SELECT name FROM \(schema).streams WHERE stream_id = ?1")
            try name.bind(id, at: 1)
            return try name.step() ? name.string(0) : "stream \(id)"
        }
        if table.name == "streams", let name = names.firstIndex(of: "name") { return statement.string(Int32(name)) }
        return table.key.compactMap { column in names.firstIndex(of: column).map { statement.string(Int32($0)) } }
            .joined(separator: ", ")
    }
}
