import LedgerDomain

/// The totals and actors tallies kept ready at the log's head (migration 5), so that those
/// reports read a few hundred rows instead of every incident.
///
/// `incident_sums` holds the `IncidentContribution` changes of every incident, added up per
/// tally and per year and per day of the change: a tally as of a day is the sum of the years
/// before it and the days of its year up to it, a few dozen rows per tally whatever the
/// ledger's size (a month level as well saved reading at most a year's days per tally, and
/// cost a third more writes on append). `actor_incidents` holds the spans of days on
/// which each incident counts for each actor, keyed so that an actor's first and last
/// incidents as of a day are the first match of an index scan from either end.
///
/// Appending keeps them up to date per batch: the incidents a batch changed are read back
/// once at its end, as they stood before the batch and as they stand now, and the difference
/// of their contributions is added. A replay writes them from every incident's open versions.
/// A report as of an earlier `seq` folds its incidents instead (`StoredEntities`).
final class IncidentTallyTable {
    /// A row of `incident_sums`: a tally, the granularity of the period and the period.
    private struct SumKey: Hashable {
        var scope: TallyScope
        var level: Int64
        var bucket: Int64
        var key: Int64
    }

    private let database: any SQLDatabase
    /// Whether changed incidents are noted (not while a replay writes every incident at the end).
    var tracksChanges = true
    /// An incident this batch changed: its sort day, the `seq` before the change, and, for an
    /// incident the batch created and only added to, its open versions as they were written
    /// (so that the common case needs no read back).
    private struct Change {
        var sortDay: Int64
        var before: Int64
        var written: [IncidentVersion]?
    }

    private var changed: [Int64: Change] = [:]
    private var pending: [SumKey: TallyDelta] = [:]
    /// Spans to delete and to insert, written in key order at the next write.
    private var spansGone: [ActorSpan] = []
    private var spansNew: [ActorSpan] = []
    private let statements: StatementCache
    /// How many changed sums are held before they are written.
    static let heldSums = 20_000
    /// How many changed incidents a batch notes before it adds up their difference: a
    /// difference taken mid-batch is as exact (the next change of the same incident starts
    /// from the state it left), and the memory a batch holds stays bounded.
    static let heldIncidents = 20_000

    /// How many changed incidents this table notes before `isFlushDue` (tests make it small,
    /// so that their batches flush mid-batch as large ones do).
    var flushIncidents = IncidentTallyTable.heldIncidents

    /// Whether enough incidents changed for `flush()` to be due.
    var isFlushDue: Bool { changed.count >= flushIncidents }

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

    /// Notes that a stream begins in this batch (only incidents count): it had no versions before.
    func noteCreation(of stream: StreamKey) {
        guard tracksChanges, stream.kind == .incident else { return }
        changed[stream.id] = Change(sortDay: stream.sortDay, before: 0, written: [])
    }

    /// Notes that an event at `seq` changed `stream` (only incidents count): by adding `row`,
    /// its one version, or (nil) by changing versions that must be read back.
    func noteChange(of stream: StreamKey, at seq: Int64, adding row: VersionRow? = nil) {
        guard tracksChanges, stream.kind == .incident else { return }
        guard var change = changed[stream.id] else {
            changed[stream.id] = Change(sortDay: stream.sortDay, before: seq - 1, written: nil)
            return
        }
        guard change.written != nil else { return }
        if let row {
            if let version = Self.version(of: row) { change.written?.append(version) }
        } else {
            change.written = nil
        }
        changed[stream.id] = change
    }

    /// The version a written row brings; nil for other types.
    private static func version(of row: VersionRow) -> IncidentVersion? {
        switch row.type {
        case .theftReported:
            IncidentVersion(fromDay: row.fromDay, toDay: row.toDay, part: .theft(amount: row.amount ?? 0))
        case .attributionMade:
            IncidentVersion(fromDay: row.fromDay, toDay: row.toDay, part: .attribution(actor: row.actorID))
        default: nil
        }
    }

    /// Adds the difference the changed incidents make, and writes it (before COMMIT).
    func flush() throws {
        let versions = try statement(
            """
            SELECT type, from_day, to_day, amount, actor_id, from_seq, to_seq FROM versions
            WHERE kind = ?1 AND sort_day = ?2 AND stream_id = ?3 AND to_seq > ?4
            """)
        // Where each read is a round trip (a server), the versions of the incidents to read
        // back are read ahead, many incidents to a query; a file reads each as it comes.
        let readAhead: [Int64: [StoredVersion]]? =
            database.dialect.lookAheadEvents > 1
            ? try versionsOf(changed.filter { $0.value.written == nil }.map { ($0.key, $0.value) }) : nil
        for (stream, change) in changed {
            if let written = change.written {
                let new = IncidentContribution(stream: stream, occurredDay: change.sortDay, versions: written)
                for change in new.changes { add(change.scope, change.key, change.day, change.delta) }
                spansNew.append(contentsOf: new.spans)
                if pending.count >= Self.heldSums || spansNew.count >= Self.heldSums { try writeSums() }
                continue
            }
            var stored: [StoredVersion] = []
            if let readAhead {
                stored = readAhead[stream] ?? []
            } else {
                versions.reset()
                try versions.bind(ViewCodes.code(StreamKind.incident), at: 1)
                try versions.bind(change.sortDay, at: 2)
                try versions.bind(stream, at: 3)
                try versions.bind(change.before, at: 4)
                while try versions.step() {
                    guard let version = Self.version(versions) else { continue }
                    stored.append(StoredVersion(version: version, fromSeq: versions.int64(5), toSeq: versions.int64(6)))
                }
                versions.reset()
            }
            var before: [IncidentVersion] = []
            var now: [IncidentVersion] = []
            for row in stored where row.toSeq > change.before {
                if row.fromSeq <= change.before { before.append(row.version) }
                if row.toSeq == Schema.openSeq { now.append(row.version) }
            }
            let old = IncidentContribution(stream: stream, occurredDay: change.sortDay, versions: before)
            let new = IncidentContribution(stream: stream, occurredDay: change.sortDay, versions: now)
            guard old != new else { continue }
            for change in old.changes { add(change.scope, change.key, change.day, -change.delta) }
            for change in new.changes { add(change.scope, change.key, change.day, change.delta) }
            let kept = Set(new.spans)
            spansGone.append(contentsOf: old.spans.filter { !kept.contains($0) })
            let had = Set(old.spans)
            spansNew.append(contentsOf: new.spans.filter { !had.contains($0) })
            if pending.count >= Self.heldSums || spansNew.count >= Self.heldSums { try writeSums() }
        }
        changed.removeAll()
        try writeSums()
    }

    /// A stored version of an incident, with the `seq`s that bound it in transaction time.
    private struct StoredVersion {
        var version: IncidentVersion
        var fromSeq: Int64
        var toSeq: Int64
    }

    /// How many incidents one read-ahead query asks for.
    static let incidentsPerRead = 200

    /// The versions of `incidents` that were open after the earliest of their `before`s, by
    /// stream, read many incidents to a query (each incident's own `before` is applied by
    /// the caller); an incident with none is present with none.
    private func versionsOf(_ incidents: [(stream: Int64, change: Change)]) throws -> [Int64: [StoredVersion]] {
        var found: [Int64: [StoredVersion]] = [:]
        for start in stride(from: 0, to: incidents.count, by: Self.incidentsPerRead) {
            let chunk = incidents[start..<min(start + Self.incidentsPerRead, incidents.count)]
            let keys = SQLList.rows(chunk.count, width: 2) { "?\($0 + 2)" }
            let read = try statement(
                """
                SELECT type, from_day, to_day, amount, actor_id, from_seq, to_seq, stream_id FROM versions
                WHERE kind = ?1 AND to_seq > ?2 AND (sort_day, stream_id) IN (VALUES \(keys))
                """)
            try read.bind(ViewCodes.code(StreamKind.incident), at: 1)
            try read.bind(chunk.map(\.change.before).min() ?? 0, at: 2)
            for (offset, incident) in chunk.enumerated() {
                try read.bind(incident.change.sortDay, at: Int32(3 + 2 * offset))
                try read.bind(incident.stream, at: Int32(4 + 2 * offset))
                found[incident.stream] = found[incident.stream] ?? []
            }
            while try read.step() {
                guard let version = Self.version(read) else { continue }
                found[read.int64(7), default: []].append(
                    StoredVersion(version: version, fromSeq: read.int64(5), toSeq: read.int64(6)))
            }
            read.reset()
        }
        return found
    }

    /// Writes the tallies of every incident from its open versions (the tables are empty).
    /// A stream's rows are together in `versions_report` order (its sort day is its own), so
    /// the stored views are read in index order, with no sort.
    func rebuild() throws {
        // Read as they come (on a server, through a cursor): every incident's versions.
        let versions = try database.prepareScan(
            """
            SELECT type, from_day, to_day, amount, actor_id, stream_id, sort_day FROM versions
            WHERE kind = ?1 AND to_seq = ?2 AND type IN (?3, ?4) ORDER BY sort_day, stream_id
            """)
        try versions.bind(ViewCodes.code(StreamKind.incident), at: 1)
        try versions.bind(Schema.openSeq, at: 2)
        try versions.bind(ViewCodes.code(EventType.theftReported), at: 3)
        try versions.bind(ViewCodes.code(EventType.attributionMade), at: 4)
        var stream: (id: Int64, sortDay: Int64)?
        var held: [IncidentVersion] = []
        func addHeld() throws {
            guard let stream else { return }
            let contribution = IncidentContribution(stream: stream.id, occurredDay: stream.sortDay, versions: held)
            for change in contribution.changes { add(change.scope, change.key, change.day, change.delta) }
            spansNew.append(contentsOf: contribution.spans)
            if pending.count >= Self.heldSums || spansNew.count >= Self.heldSums { try writeSums(toEmptyTables: true) }
        }
        while try versions.step() {
            let id = versions.int64(5)
            if id != stream?.id {
                try addHeld()
                stream = (id, versions.int64(6))
                held.removeAll(keepingCapacity: true)
            }
            if let version = Self.version(versions) { held.append(version) }
        }
        versions.reset()
        try addHeld()
        try writeSums(toEmptyTables: true)
        // Sums written by adding may have come to nothing: such rows are not kept.
        try database.execute(
            "DELETE FROM incident_sums WHERE incidents = 0 AND attributed = 0 AND amount_high = 0 AND amount_low = 0")
    }

    /// The version in columns `type, from_day, to_day, amount, actor_id`; nil for other types.
    private static func version(_ row: any SQLStatement) -> IncidentVersion? {
        let part: IncidentVersion.Part
        switch row.int64(0) {
        case ViewCodes.code(EventType.theftReported): part = .theft(amount: row.int64(3))
        case ViewCodes.code(EventType.attributionMade): part = .attribution(actor: row.isNull(4) ? nil : row.int64(4))
        default: return nil
        }
        return IncidentVersion(fromDay: row.int64(1), toDay: row.int64(2), part: part)
    }

    private func add(_ scope: TallyScope, _ key: Int64, _ day: Int64, _ delta: TallyDelta) {
        for (level, bucket) in [(0, day / 10_000), (2, day)] as [(Int64, Int64)] {
            let sum = SumKey(scope: scope, level: level, bucket: bucket, key: key)
            pending[sum] = (pending[sum] ?? TallyDelta()) + delta
        }
    }

    /// Adds the held changes to the stored sums, and writes the held spans, each in key order
    /// (so the B-trees are written in order). A sum that comes to nothing is deleted, so the
    /// tables hold the same rows however the changes came (a replay builds them at once).
    ///
    /// Each sum is added with one upsert; a rebuild (`toEmptyTables`) deletes the sums that
    /// came to nothing once at its end, appending deletes each at once when it comes to nothing.
    private func writeSums(toEmptyTables: Bool = false) throws {
        let changed = pending.filter { !$0.value.isZero }.sorted { lhs, rhs in
            (lhs.key.scope.rawValue, lhs.key.level, lhs.key.bucket, lhs.key.key)
                < (rhs.key.scope.rawValue, rhs.key.level, rhs.key.bucket, rhs.key.key)
        }
        pending.removeAll(keepingCapacity: true)
        if database.dialect.lookAheadEvents == 1 && !toEmptyTables {
            // A file, where a read costs no round trip: each sum is read, then written whole
            // or deleted (cheaper in SQLite than an upsert that adds and a delete by key).
            try writeSumsOneByOne(changed)
        } else {
            try addSums(changed, deletingThoseAtNothing: !toEmptyTables)
        }
        let order = { (lhs: ActorSpan, rhs: ActorSpan) in
            (lhs.actor, lhs.occurredDay, lhs.stream, lhs.fromDay) < (
                rhs.actor, rhs.occurredDay, rhs.stream, rhs.fromDay
            )
        }
        for span in spansGone.sorted(by: order) { try delete(span) }
        for span in spansNew.sorted(by: order) { try insert(span) }
        spansGone.removeAll(keepingCapacity: true)
        spansNew.removeAll(keepingCapacity: true)
        // Only its own statements: a rebuild's scan is still under way.
    }

    /// Adds `changed` to the stored sums, an upsert per sum (which a server sends many to a
    /// statement), then, when asked, deletes by key those that came to nothing (a hundred to a
    /// statement where each statement is a round trip); no sum is read back.
    private func addSums(_ changed: [(key: SumKey, value: TallyDelta)], deletingThoseAtNothing: Bool) throws {
        let add = try statements.insert(Self.addSum)
        for (sum, delta) in changed {
            add.reset()
            try bindSum(sum, delta, add)
            try add.step()
        }
        add.reset()
        guard deletingThoseAtNothing else { return }
        // Each key once (they come from a dictionary), so the adds above are done whatever order.
        let perStatement = database.dialect.lookAheadEvents > 1 ? Self.sumsPerStatement : 1
        var start = 0
        while start < changed.count {
            let rows = changed[start..<min(start + perStatement, changed.count)]
            start += rows.count
            let deleteIfNothing = try deleteSumsStatement(rows.count)
            for (offset, (sum, _)) in rows.enumerated() {
                try bindKey(sum, deleteIfNothing, from: Int32(offset * 4))
            }
            try deleteIfNothing.step()
            deleteIfNothing.reset()
        }
    }

    /// Reads each changed sum, then writes the new total, or deletes it when it comes to nothing.
    private func writeSumsOneByOne(_ changed: [(key: SumKey, value: TallyDelta)]) throws {
        let read = try statement(
            """
            SELECT incidents, attributed, amount_high, amount_low FROM incident_sums
            WHERE scope = ?1 AND level = ?2 AND bucket = ?3 AND key = ?4
            """)
        let write = try statements.write(
            """
            INSERT INTO incident_sums (scope, level, bucket, key, incidents, attributed, amount_high, amount_low)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT (scope, level, bucket, key) DO UPDATE SET
                incidents = excluded.incidents, attributed = excluded.attributed,
                amount_high = excluded.amount_high, amount_low = excluded.amount_low
            """, changing: "incident_sums")
        let deleteSum = try statements.write(
            "DELETE FROM incident_sums WHERE scope = ?1 AND level = ?2 AND bucket = ?3 AND key = ?4",
            changing: "incident_sums")
        for (sum, delta) in changed {
            read.reset()
            try bindKey(sum, read)
            var total = delta
            if try read.step() {
                total =
                    total
                    + TallyDelta(
                        incidents: read.int64(0), attributed: read.int64(1),
                        amount: Self.amount(high: read.int64(2), low: read.int64(3)))
            }
            read.reset()
            if total.isZero {
                deleteSum.reset()
                try bindKey(sum, deleteSum)
                try deleteSum.step()
                deleteSum.reset()
            } else {
                write.reset()
                try bindSum(sum, total, write)
                try write.step()
                write.reset()
            }
        }
    }

    /// Binds a sum's key, then its values (`amount` exactly, see `amount`), to parameters 1…8.
    private func bindSum(_ sum: SumKey, _ value: TallyDelta, _ statement: any SQLStatement) throws {
        try bindKey(sum, statement)
        try statement.bind(value.incidents, at: 5)
        try statement.bind(value.attributed, at: 6)
        try statement.bind(Int64(truncatingIfNeeded: value.amount >> 62), at: 7)
        try statement.bind(Int64(value.amount & Self.lowMask), at: 8)
    }

    private func bindKey(_ sum: SumKey, _ statement: any SQLStatement, from base: Int32 = 0) throws {
        try statement.bind(sum.scope.rawValue, at: base + 1)
        try statement.bind(sum.level, at: base + 2)
        try statement.bind(sum.bucket, at: base + 3)
        try statement.bind(sum.key, at: base + 4)
    }

    /// How many sums one statement deletes at most.
    static let sumsPerStatement = 100

    /// Adds a sum (its key, then its 4 values) to the stored one, exactly (see `amount`).
    static let addSum = RowInsert(
        into: "incident_sums",
        columns: ["scope", "level", "bucket", "key", "incidents", "attributed", "amount_high", "amount_low"],
        conflict: .update(
            key: ["scope", "level", "bucket", "key"],
            set: """
                incidents = incident_sums.incidents + excluded.incidents,
                attributed = incident_sums.attributed + excluded.attributed,
                amount_high = incident_sums.amount_high + excluded.amount_high
                    + ((incident_sums.amount_low + excluded.amount_low) >> 62),
                amount_low = (incident_sums.amount_low + excluded.amount_low) & \(Int64(lowMask))
                """))

    /// Deletes those of `count` sums (4 key parameters each) that came to nothing.
    static func deleteSumsIfNothing(_ count: Int) -> String {
        let nothing = "incidents = 0 AND attributed = 0 AND amount_high = 0 AND amount_low = 0"
        if count == 1 {
            return
                "DELETE FROM incident_sums WHERE scope = ?1 AND level = ?2 AND bucket = ?3 AND key = ?4 AND \(nothing)"
        }
        return """
            DELETE FROM incident_sums
            WHERE \(nothing) AND (scope, level, bucket, key) IN (VALUES \(SQLList.rows(count, width: 4)))
            """
    }

    /// The statement that deletes `count` sums if they came to nothing.
    private func deleteSumsStatement(_ count: Int) throws -> any SQLStatement {
        try statements.write(Self.deleteSumsIfNothing(count), changing: "incident_sums")
    }

    /// An amount is stored exactly as `amount_high * 2^62 + amount_low` (0 ≤ low < 2^62).
    private static let lowMask: Int128 = (1 << 62) - 1

    private static func amount(high: Int64, low: Int64) -> Int128 {
        Int128(high) << 62 + Int128(low)
    }

    private func insert(_ span: ActorSpan) throws {
        let statement = try statements.insert(
            RowInsert(
                into: "actor_incidents", columns: ["actor_id", "occurred_day", "stream_id", "from_day", "to_day"]))
        try statement.bind(span.actor, at: 1)
        try statement.bind(span.occurredDay, at: 2)
        try statement.bind(span.stream, at: 3)
        try statement.bind(span.fromDay, at: 4)
        try statement.bind(span.toDay, at: 5)
        try statement.step()
    }

    private func delete(_ span: ActorSpan) throws {
        let statement = try statements.write(
            """
            DELETE FROM actor_incidents
            WHERE actor_id = ?1 AND occurred_day = ?2 AND stream_id = ?3 AND from_day = ?4 AND to_day = ?5
            """, changing: "actor_incidents")
        try statement.bind(span.actor, at: 1)
        try statement.bind(span.occurredDay, at: 2)
        try statement.bind(span.stream, at: 3)
        try statement.bind(span.fromDay, at: 4)
        try statement.bind(span.toDay, at: 5)
        try statement.step()
    }

    /// The tallies as of `asOf` at the log's head: per year, and per actor stream if `byActor`.
    func tallies(asOf: Day, byActor: Bool) throws -> IncidentTallies {
        let day = ViewCodes.code(asOf)
        let sums = try statement(
            """
            SELECT key, incidents, attributed, amount_high, amount_low FROM incident_sums
            WHERE scope = ?1 AND level = 0 AND bucket < ?2
            UNION ALL
            SELECT key, incidents, attributed, amount_high, amount_low FROM incident_sums
            WHERE scope = ?1 AND level = 2 AND bucket >= ?2 * 10000 AND bucket <= ?3
            """)
        func totals(_ scope: TallyScope) throws -> [Int64: TallyDelta] {
            sums.reset()
            try sums.bind(scope.rawValue, at: 1)
            try sums.bind(day / 10_000, at: 2)
            try sums.bind(day, at: 3)
            var totals: [Int64: TallyDelta] = [:]
            while try sums.step() {
                totals[sums.int64(0), default: TallyDelta()] =
                    totals[sums.int64(0), default: TallyDelta()]
                    + TallyDelta(
                        incidents: sums.int64(1), attributed: sums.int64(2),
                        amount: Self.amount(high: sums.int64(3), low: sums.int64(4)))
            }
            sums.reset()
            return totals
        }
        var tallies = IncidentTallies()
        for (year, total) in try totals(.year) where total.incidents > 0 {
            tallies.years[Int(year)] = IncidentTallies.Year(
                incidents: total.incidents, attributed: total.attributed, sum: total.amount)
        }
        guard byActor else { return tallies }
        // Each actor's name and first and last incident that day, for many actors to a
        // statement (on a server, one round trip instead of three per actor).
        let actors = try statement(
            """
            SELECT s.stream_id, s.name,
                   (SELECT occurred_day FROM actor_incidents
                    WHERE actor_id = s.stream_id AND occurred_day <= ?\(SQLList.size + 1)
                      AND from_day <= ?\(SQLList.size + 1) AND to_day > ?\(SQLList.size + 1)
                    ORDER BY occurred_day LIMIT 1),
                   (SELECT occurred_day FROM actor_incidents
                    WHERE actor_id = s.stream_id AND occurred_day <= ?\(SQLList.size + 1)
                      AND from_day <= ?\(SQLList.size + 1) AND to_day > ?\(SQLList.size + 1)
                    ORDER BY occurred_day DESC LIMIT 1)
            FROM streams s WHERE s.stream_id IN (\(SQLList.placeholders))
            """)
        let counted = try totals(.actor).filter { $0.value.incidents > 0 }
        for chunk in SQLList.chunks(of: Array(counted.keys)) {
            actors.reset()
            for (index, actor) in chunk.enumerated() { try actors.bind(actor, at: Int32(index + 1)) }
            try actors.bind(day, at: Int32(SQLList.size + 1))
            var found = 0
            while try actors.step() {
                let actor = actors.int64(0)
                guard let total = counted[actor], let first = ViewCodes.day(actors.int64(2)),
                    let last = ViewCodes.day(actors.int64(3))
                else { throw LedgerStoreError.corruptView(stream: "actor stream \(actor)") }
                tallies.actors[actors.string(1)] = IncidentTallies.Actor(
                    incidents: total.incidents, amount: total.amount, first: first, last: last)
                found += 1
            }
            guard found == chunk.count else { throw LedgerStoreError.corruptView(stream: "an actor stream") }
        }
        reset()
        return tallies
    }
}
