import LedgerDomain

/// What became of one event offered for appending.
public enum AppendOutcome: Sendable, Equatable {
    /// Stored at this `seq`.
    case appended(seq: Int64)
    /// Already stored with the same content: a no-op.
    case skipped
}

/// The counts a finished batch reports.
public struct AppendSummary: Sendable, Equatable {
    public var appended: Int
    public var skipped: Int
}

/// One atomic batch of appends: a write transaction that is committed whole or rolled back.
///
/// Events are checked against the log and against the batch's own earlier events, hashed
/// onto the chain and inserted as they come, so a batch of any size streams through.
public final class EventAppender {
    private let ledger: Ledger
    private let recordedBy: String
    private let recordedAt: String
    private let findByID: any SQLStatement
    private let findEvent: any SQLStatement
    private let loadStream: any SQLStatement
    private let loadPartialStream: any SQLStatement
    private let countStream: any SQLStatement
    private let insert: any SQLStatement
    private var headSeq: Int64
    /// The head's `hash` as the log stores it (`StoredHash`): the next event's `prev_hash`.
    private var headHash: [UInt8]
    /// The hashed record of the event being added, its buffer reused.
    private var record = CanonicalRecord()
    private var streams: [String: CachedStream] = [:]
    let projector: ViewProjector
    private var summary = AppendSummary(appended: 0, skipped: 0)
    private var isOpen = true
    private var useCount = 0
    /// What `lookAhead` found: the stored content of the ids asked that are stored, the ids
    /// asked, and those of them appended since (which the log must then be asked about).
    private var storedAhead: [String: StoredIdentity] = [:]
    private var askedAhead: Set<String> = []
    private var appendedSinceAsked: Set<String> = []
    /// The stored events the look-ahead group's corrections and retractions target, read at
    /// once (`lookAhead`): a stored event never changes, so they stay true for the batch.
    private var targetsAhead: [String: LoggedEvent] = [:]
    /// How many streams a batch keeps in memory at most.
    static let cachedStreams = 5_000
    /// How many bytes of event data the kept streams may hold at most: a batch of large
    /// events (1 MiB lines) keeps its memory flat, whatever its length.
    static let cachedBytes = 16 << 20
    /// The bytes of event data the kept streams hold now.
    private var keptBytes = 0

    /// The log's Merkle tree, grown with each event (contract section 9).
    private let merkle: MerkleTable
    /// Whether events are only checked, as appending them would check them, and nothing is
    /// written (an import's `--dry-run`): the ledger is then open for reading.
    private let isDryRun: Bool

    init(ledger: Ledger, recordedBy: String, now: String, dryRun: Bool = false) throws {
        self.ledger = ledger
        self.recordedBy = recordedBy
        isDryRun = dryRun
        let database = ledger.database
        projector = ViewProjector(database: database)
        if ledger.isReadReplica && !dryRun {
            throw LedgerStoreError.readReplica(
                server: ledger.path, reason: "a read replica refuses appends: append to the primary")
        }
        if !dryRun { try database.execute(database.dialect.beginWrite) }
        do {
            let head = try ledger.log.head()
            headSeq = head.seq
            headHash = StoredHash.stored(hex: head.hash.utf8)
            // The streams the last batch of this connection kept, if the log is as it left
            // it (no other writer since): a long-lived writer (the service) does not read
            // them again for each batch.
            if !dryRun, let kept = ledger.keptStreams, kept.headSeq == headSeq, kept.headHash == headHash {
                streams = kept.streams
                keptBytes = kept.keptBytes
                useCount = kept.useCount
            }
            ledger.keptStreams = nil
            merkle = try MerkleTable(database: database, schema: database.dialect.storedSchema, size: head.seq)
            // Transaction time never runs backwards along the log, even if the clock does.
            recordedAt = max(now, head.recordedAt)
            findByID = try database.prepare(
                "SELECT type, stream, occurred_on, source, data, seq FROM events WHERE id = ?")
            findEvent = try database.prepare("SELECT \(StoredEventRow.columns) FROM events WHERE id = ?1")
            loadStream = try database.prepare(
                "SELECT \(StoredEventRow.columns) FROM events WHERE stream = ? ORDER BY stream_version")
            // The types, bound one per parameter after the stream's name.
            let types = StreamState.partialTypes.indices.map { "?\($0 + 2)" }.joined(separator: ", ")
            loadPartialStream = try database.prepare(
                """
                SELECT \(StoredEventRow.columns) FROM events WHERE stream = ?1 AND type IN (\(types))
                ORDER BY stream_version
                """)
            countStream = try database.prepare("SELECT max(stream_version) FROM events WHERE stream = ?1")
            insert = try database.prepareInsert(
                RowInsert(
                    into: "events",
                    columns: [
                        "seq", "id", "type", "stream", "stream_version", "occurred_on", "known_on", "source", "data",
                        "recorded_at", "recorded_by", "prev_hash", "hash",
                    ]))
        } catch {
            if !dryRun { database.rollback() }
            throw error
        }
    }

    deinit {
        rollback()
    }

    /// How many events to hand to `lookAhead` at once (1: it is not worth it on this engine).
    public var lookAheadSize: Int { ledger.database.dialect.lookAheadEvents }

    /// Reads at once what the next `events` will need of the log: which of their ids are
    /// stored, their streams' histories and keys (and those of the actors they name), so
    /// that adding them asks the database nothing more. Where each read is a round trip (a
    /// server), a batch so makes a few reads per `lookAheadSize` events instead of a few per
    /// event. Adding events without it is the same, read as they come.
    public func lookAhead(_ events: [Event]) throws {
        guard events.count > 1 else { return }
        storedAhead.removeAll(keepingCapacity: true)
        appendedSinceAsked.removeAll(keepingCapacity: true)
        askedAhead = Set(events.map(\.id.text))
        let ids = Array(askedAhead)
        let findIDs = try ledger.database.prepare(
            "SELECT id, type, stream, occurred_on, source, data, seq FROM events WHERE id IN (\(SQLList.placeholders))")
        try SQLList.forEachRow(of: findIDs, in: ids) { row in
            storedAhead[row.string(0)] = StoredIdentity(
                type: row.string(1), stream: row.string(2), occurredOn: row.string(3),
                source: row.withText(4) { Array($0) }, data: row.withText(5) { Array($0) }, seq: row.int64(6))
        }
        try readTargetsAhead(of: events)

        var names: [String] = []
        var seen: Set<String> = []
        for event in events {
            for name in [event.stream.text] + Self.actorStream(of: event) where seen.insert(name).inserted {
                names.append(name)
            }
        }
        let unread = names.filter { streams[$0] == nil }
        if !unread.isEmpty {
            var histories: [String: CachedStream] = [:]
            let loadStreams = try ledger.database.prepare(
                """
                SELECT \(StoredEventRow.columns) FROM events WHERE stream IN (\(SQLList.placeholders))
                ORDER BY stream, stream_version
                """)
            try SQLList.forEachRow(of: loadStreams, in: unread) { row in
                let stored = StoredEventRow.read(row)
                let event = try stored.event()
                var cached = histories[stored.stream] ?? CachedStream(state: StreamState(stream: stored.stream))
                cached.state.apply(event)
                cached.history.append(LoggedEvent(seq: stored.seq, event: event))
                cached.bytes += stored.dataJSON.utf8.count
                histories[stored.stream] = cached
            }
            for name in unread {
                var cached = histories[name] ?? CachedStream(state: StreamState(stream: name))
                cached.history = cached.history.keepingChangesAndTheirTargets()
                remember(name, cached)
            }
        }
        try projector.lookAhead(names)
    }

    /// The actor stream an attribution names: read ahead with the incident's.
    private static func actorStream(of event: Event) -> [String] {
        if case .attributionMade(let attribution) = event.payload { return [attribution.actor] }
        return []
    }

    /// Checks `event` against the log and the batch so far, then stores it (or skips it
    /// when the same event is already stored).
    public func add(_ event: Event) throws -> AppendOutcome {
        precondition(isOpen, "append to a finished batch")
        let seq = headSeq + 1
        if try isStored(event) {
            summary.skipped += 1
            return .skipped
        }
        // Taken out of the cache while it changes, so its arrays are not copied on write.
        var cached = try takeStream(event.stream.text)
        if !cached.state.isWhole && StreamState.needsWholeStream(event) {
            let key = cached.key
            cached = try load(event.stream.text, whole: true)
            cached.key = key
        }
        let correctedTarget = try StreamRules.check(event, in: cached.state) { actor in
            try stream(actor).state.isStanding
        }

        let streamVersion = Int64(cached.state.version + 1)
        let isFirst = cached.state.version == 0
        if isDryRun {
            // Checked as an append checks it; nothing is written, nor any view made.
            cached.state.apply(event, correctedTarget: correctedTarget)
            remember(event.stream.text, cached)
            headSeq = seq
            summary.appended += 1
            return .appended(seq: seq)
        }
        record.write(
            event, seq: seq, streamVersion: streamVersion, recordedAt: recordedAt, recordedBy: recordedBy,
            prevHash: StoredHash.hexString(headHash))
        cached.bytes += record.data.count
        // The hash made once, as bytes: stored, hashed into the tree, and spelled in hex as
        // the next event's `prev_hash` in its canonical record.
        let digest = record.digest()
        try store(event, seq: seq, streamVersion: streamVersion, hash: digest)
        try merkle.append(storedHash: digest)

        cached.state.apply(event, correctedTarget: correctedTarget)
        try loadTargets(of: event, into: &cached.history)
        cached.history.append(LoggedEvent(seq: seq, event: event))
        try updateViews(with: event, in: &cached, at: seq, isFirst: isFirst)
        remember(event.stream.text, cached)
        headSeq = seq
        headHash = digest
        summary.appended += 1
        return .appended(seq: seq)
    }

    /// Commits the batch.
    public func commit() throws -> AppendSummary {
        precondition(isOpen, "commit of a finished batch")
        precondition(!isDryRun, "commit of a dry run")
        findByID.reset()
        findEvent.reset()
        loadStream.reset()
        loadPartialStream.reset()
        countStream.reset()
        insert.reset()
        try projector.finish()
        if summary.appended > 0, let notification = ledger.database.dialect.appendNotification {
            try ledger.database.execute(notification)
        }
        try ledger.database.execute("COMMIT")
        isOpen = false
        ledger.keptStreams = KeptStreams(
            headSeq: headSeq, headHash: headHash, streams: streams, keptBytes: keptBytes, useCount: useCount)
        return summary
    }

    /// Abandons the batch: nothing of it is stored.
    public func rollback() {
        guard isOpen else { return }
        isOpen = false
        findByID.reset()
        findEvent.reset()
        loadStream.reset()
        loadPartialStream.reset()
        countStream.reset()
        insert.reset()
        projector.reset()
        guard !isDryRun else { return }
        ledger.database.rollback()
        // The pages the batch wrote into a file's -wal are of no use now: empty it, rather
        // than leave a file of the batch's size until the next write.
        ledger.truncateWriteAheadLog()
    }

    /// Whether an event with this id is stored already: true when its content is the same,
    /// a conflict when it differs.
    private func isStored(_ event: Event) throws -> Bool {
        let id = event.id.text
        let stored: StoredIdentity
        if askedAhead.contains(id), !appendedSinceAsked.contains(id) {
            guard let ahead = storedAhead[id] else {
                appendedSinceAsked.insert(id)  // it is about to be: the log must then be asked
                return false
            }
            stored = ahead
        } else {
            findByID.reset()
            try findByID.bind(id, at: 1)
            guard try findByID.step() else { return false }
            stored = StoredIdentity(
                type: findByID.string(0), stream: findByID.string(1), occurredOn: findByID.string(2),
                source: findByID.withText(3) { Array($0) }, data: findByID.withText(4) { Array($0) },
                seq: findByID.int64(5))
            findByID.reset()
        }
        // The record is written for its canonical data and source (its stream version does
        // not matter here); an event that is stored already goes no further.
        record.write(event, seq: 0, streamVersion: 0, recordedAt: recordedAt, recordedBy: recordedBy, prevHash: "")
        let same =
            stored.type == event.type.rawValue && stored.stream == event.stream.text
            && stored.occurredOn == event.occurredOn.description
            && stored.source.elementsEqual(record.bytes[record.source])
            && stored.data.elementsEqual(record.bytes[record.data])
        if !same {
            throw EventValidationError(
                field: "id",
                reason: "conflict: \"\(event.id)\" is already stored (seq \(stored.seq)) with other content",
                isConflict: true)
        }
        return true
    }

    /// What the batch knows of `stream`: from its cache, else read from the log.
    private func stream(_ stream: String) throws -> CachedStream {
        if let cached = streams[stream] {
            useCount += 1
            streams[stream]?.lastUse = useCount
            return cached
        }
        let cached = try load(stream)
        remember(stream, cached)
        return cached
    }

    /// The stream, taken out of the cache (or read from the log); `remember` puts it back.
    private func takeStream(_ stream: String) throws -> CachedStream {
        if let cached = streams.removeValue(forKey: stream) {
            keptBytes -= cached.bytes
            return cached
        }
        return try load(stream)
    }

    /// Reads a stream's events back from the log: all of them when `whole`, else those of
    /// `StreamState.partialTypes` (an event that needs the rest reads it whole: `add`), so
    /// that appending to a stream of thousands of attributions or compliance reports does not
    /// decode them all.
    private func load(_ stream: String, whole: Bool = false) throws -> CachedStream {
        var events: [LoggedEvent] = []
        var bytes = 0
        let statement = whole ? loadStream : loadPartialStream
        statement.reset()
        try statement.bind(stream, at: 1)
        if !whole {
            for (index, type) in StreamState.partialTypes.enumerated() {
                try statement.bind(type.rawValue, at: Int32(index + 2))
            }
        }
        while try statement.step() {
            let stored = StoredEventRow.read(statement)
            events.append(LoggedEvent(seq: stored.seq, event: try stored.event()))
            bytes += stored.dataJSON.utf8.count
        }
        statement.reset()
        var version = events.count
        if !whole {
            countStream.reset()
            try countStream.bind(stream, at: 1)
            version = try countStream.step() && !countStream.isNull(0) ? Int(countStream.int64(0)) : 0
            countStream.reset()
        }
        var state = StreamState(stream: stream)
        if version == events.count {
            // Nothing was left out: the state is whole.
            for logged in events { state.apply(logged.event) }
        } else {
            state = StreamState.partial(stream: stream, version: version, events: events.map(\.event))
        }
        var cached = CachedStream(state: state)
        for logged in events { cached.history.append(logged) }
        cached.history = cached.history.keepingChangesAndTheirTargets()
        cached.bytes = bytes
        return cached
    }

    /// Reads at once the stored events that the corrections and retractions among `events`
    /// target (their histories keep only changes and their targets, so a first correction's
    /// target is read back), so that `loadTargets` finds them without a read each.
    private func readTargetsAhead(of events: [Event]) throws {
        targetsAhead.removeAll(keepingCapacity: true)
        let targets = Array(Set(events.compactMap { EventTimeline.target(of: $0)?.text }))
        guard !targets.isEmpty else { return }
        let read = try ledger.database.prepare(
            "SELECT \(StoredEventRow.columns) FROM events WHERE id IN (\(SQLList.placeholders))")
        try SQLList.forEachRow(of: read, in: targets) { row in
            let stored = StoredEventRow.read(row)
            let event = try stored.event()
            targetsAhead[event.id.text] = LoggedEvent(seq: stored.seq, event: event)
        }
    }

    /// Reads back from the log the event a correction or retraction targets, and that
    /// event's own targets, when the stream's history does not hold them: it keeps only what
    /// corrections and retractions need (see `updateViews`), so a long stream of events that
    /// nothing corrects costs no memory per event.
    private func loadTargets(of event: Event, into history: inout StreamHistory) throws {
        var next = EventTimeline.target(of: event)
        while let id = next, history.event(id: id) == nil {
            if let ahead = targetsAhead[id.text] {
                history.append(ahead)
                next = EventTimeline.target(of: ahead.event)
                continue
            }
            findEvent.reset()
            try findEvent.bind(id.text, at: 1)
            guard try findEvent.step() else { break }  // validation has refused an unknown target
            let stored = StoredEventRow.read(findEvent)
            findEvent.reset()
            let target = try stored.event()
            history.append(LoggedEvent(seq: stored.seq, event: target))
            next = EventTimeline.target(of: target)
        }
    }

    /// Keeps `cached` for the rest of the batch. Memory stays flat in the batch size: past
    /// `cachedStreams` streams or `cachedBytes` bytes of their events' data, the least recently
    /// used half is forgotten (and read back from the log, which this transaction sees with its
    /// own writes, when next needed), so a long stream that keeps being appended to stays,
    /// however many short ones pass by.
    private func remember(_ stream: String, _ cached: CachedStream) {
        useCount += 1
        var cached = cached
        cached.lastUse = useCount
        if let replaced = streams.updateValue(cached, forKey: stream) { keptBytes -= replaced.bytes }
        keptBytes += cached.bytes
        guard streams.count > Self.cachedStreams || keptBytes > Self.cachedBytes else { return }
        let uses = streams.values.map(\.lastUse).sorted()
        let cutoff = uses[uses.count / 2]
        streams = streams.filter { $0.value.lastUse >= cutoff }
        keptBytes = streams.values.reduce(0) { $0 + $1.bytes }
    }

    /// Brings the stored views up to date with the stream's newest event, at `seq`.
    private func updateViews(with event: Event, in cached: inout CachedStream, at seq: Int64, isFirst: Bool) throws {
        if cached.key == nil {
            cached.key = try projector.key(of: event.stream.text, creatingOn: isFirst ? event.occurredOn : nil)
        }
        guard let key = cached.key else { throw LedgerStoreError.corruptView(stream: event.stream.text) }
        switch event.payload {
        case .eventCorrected, .eventRetracted:
            try projector.applyChange(history: cached.history, stream: event.stream.text, key: key, at: seq)
        default:
            try projector.addUntouched(
                seq: seq, type: event.type, occurredOn: event.occurredOn, knownOn: event.knownOn,
                publisher: event.source.publisher, payload: event.payload, stream: key)
            // Nothing targets it yet: a later correction or retraction reads it back by id.
            cached.history.removeLast()
        }
    }

    /// Inserts the event into the log, its `source` and `data` bound straight from the
    /// record's bytes (SQLite copies them into the page; no other copy is made).
    private func store(_ event: Event, seq: Int64, streamVersion: Int64, hash: [UInt8]) throws {
        insert.reset()
        try insert.bind(seq, at: 1)
        try insert.bind(event.id.text, at: 2)
        try insert.bind(event.type.rawValue, at: 3)
        try insert.bind(event.stream.text, at: 4)
        try insert.bind(streamVersion, at: 5)
        try insert.bind(event.occurredOn.description, at: 6)
        try insert.bind(event.knownOn.description, at: 7)
        try insert.bind(recordedAt, at: 10)
        try insert.bind(recordedBy, at: 11)
        try insert.bind(blob: headHash, at: 12)
        try insert.bind(blob: hash, at: 13)
        try record.bytes.withUnsafeBufferPointer { bytes in
            try insert.bind(staticText: UnsafeBufferPointer(rebasing: bytes[record.source]), at: 8)
            try insert.bind(staticText: UnsafeBufferPointer(rebasing: bytes[record.data]), at: 9)
            try insert.step()
            // The bytes are bound without a copy: they must not be read after this scope.
            insert.reset()
        }
    }
}

/// What identifies a stored event's content, to tell a re-appended event from a conflict.
struct StoredIdentity {
    var type: String
    var stream: String
    var occurredOn: String
    var source: [UInt8]
    var data: [UInt8]
    var seq: Int64
}

/// One stream as a batch sees it: its append state and its events.
/// The streams a committed batch kept in memory, and the head it left: the next batch on
/// the same connection starts from them when the log's head is still that one.
struct KeptStreams {
    var headSeq: Int64
    var headHash: [UInt8]
    var streams: [String: CachedStream]
    var keptBytes: Int
    var useCount: Int
}

struct CachedStream {
    var state: StreamState
    var history = StreamHistory()
    /// Its key in the stored views, once known.
    var key: StreamKey?
    /// When the batch last used it, for evicting the least recently used streams.
    var lastUse = 0
    /// The bytes of its events' data, for the cache's budget.
    var bytes = 0
}

extension Ledger {
    /// Starts an atomic batch. `now` is the transaction time, RFC 3339 UTC with milliseconds.
    public func beginAppend(recordedBy: String, now: String = Clock.now()) throws -> EventAppender {
        try EventAppender(ledger: self, recordedBy: recordedBy, now: now)
    }

    /// Starts a dry run: events are checked as `beginAppend`'s batch checks them, on a ledger
    /// open for reading, and nothing is written.
    public func beginDryRun(recordedBy: String, now: String = Clock.now()) throws -> EventAppender {
        try EventAppender(ledger: self, recordedBy: recordedBy, now: now, dryRun: true)
    }
}
