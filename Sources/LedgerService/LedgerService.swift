import Crypto
import HTTPTypes
import LedgerAnswers
import LedgerDomain
import LedgerStore
import NIOConcurrencyHelpers
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// The head of the snapshot an answer was read from: `Ledger-Head: SEQ:HASH`.
public struct LedgerHead: Sendable, Equatable {
    public var seq: Int64
    public var hash: String

    public var header: String { "\(seq):\(hash)" }

    var json: JSONValue {
        .object(JSONObject(["seq": .number(String(seq)), "hash": .string(hash)]))
    }
}

/// An answer's body that spilled to an unlinked temporary file (`Output.inMemory(limit:)`):
/// sent from there in chunks, closed when the answer goes.
public final class SpilledBody: Sendable {
    public let descriptor: Int32
    public let size: Int

    init(descriptor: Int32, size: Int) {
        self.descriptor = descriptor
        self.size = size
    }

    deinit { close(descriptor) }
}

/// What the service answers: a status, the body's type and bytes, the snapshot's head.
public struct Answer: Sendable {
    public var status: HTTPResponse.Status = .ok
    public var contentType: String
    public var body: [UInt8]
    /// The body, when it was too large to hold in memory (then `body` is empty).
    public var spilled: SpilledBody?
    public var head: LedgerHead?
    public var headers: [String: String] = [:]

    public init(
        status: HTTPResponse.Status = .ok, contentType: String, body: [UInt8], head: LedgerHead? = nil,
        headers: [String: String] = [:]
    ) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.head = head
        self.headers = headers
    }

    static let json = "application/json"
    static let csv = "text/csv; charset=utf-8"
    static let ndjson = "application/x-ndjson"
    static let text = "text/plain; charset=utf-8"

    /// What `output` was given: its bytes, or the file they spilled to.
    static func written(_ output: Output, contentType: String, head: LedgerHead) throws -> Answer {
        try output.flush()
        var answer = Answer(contentType: contentType, body: output.kept ?? [], head: head)
        if let file = output.spilled {
            answer.spilled = SpilledBody(descriptor: file, size: output.written)
        }
        return answer
    }

    /// How much of an answer is held in memory before it spills to a file.
    static let memoryLimit = 1 << 20

    static func json(_ value: JSONValue, head: LedgerHead?) -> Answer {
        Answer(contentType: json, body: Array((CanonicalJSON.string(of: value) + "\n").utf8), head: head)
    }
}

/// The ledger as a service (contract section 12): one long-lived process holding its
/// connections open and their statements prepared. Every read runs on the blocking thread
/// pool in one snapshot, renewed per request, and answers the bytes the CLI prints: each
/// answer is written by the same `LedgerAnswers` code the command runs.
public final class LedgerService: @unchecked Sendable {
    // `@unchecked Sendable`: connections are handed out under `lock`, each used by one
    // request at a time; appends are made one at a time under `writeLock`.
    public let location: String
    let tokens: WriterTokens?
    let signer: NoteSigner?
    /// Whether the database is a standby (a read replica): reads only.
    public let isStandby: Bool

    private let lock = NIOLock()
    private var idleReaders: [Reader] = []
    private let sharedStandings = SharedStandings()
    private let writeLock = NIOLock()
    private var writer: Ledger?
    /// The lists named by `designation.added` events up to `listsSeq` (the yente datasets).
    private var lists: Set<String> = []
    private var listsSeq: Int64 = 0

    /// How many queries `POST /v1/screen` takes at most.
    public static let maxScreenQueries = 10_000
    /// How many events `GET /v1/events` returns at most.
    public static let maxEventsPerPage: Int64 = 10_000
    /// The largest request body read.
    public static let maxBodyBytes = 64 << 20

    /// Opens the ledger once (it must exist): a missing one fails here, before any request.
    public init(location: String, tokens: WriterTokens?, signer: NoteSigner?) throws {
        self.location = location
        self.tokens = tokens
        self.signer = signer
        let first = try Ledger.openForReading(path: location)
        isStandby = first.isReadReplica
        idleReaders = [Reader(first, sharing: sharedStandings)]
    }

    // MARK: Snapshots

    /// Runs `body` on the blocking thread pool with a reader in a fresh snapshot and that
    /// snapshot's head.
    func read<T: Sendable>(_ body: @escaping @Sendable (Reader, LedgerHead) throws -> T) async throws -> T {
        // On NIO's blocking pool, never on the tasks' threads: read in place, a 2-core machine
        // screened 1,573 requests/s with p99 40 ms against 1,781 and 8.5 ms this way (the
        // event loops and the other requests wait behind a blocked task thread).
        try await NIOThreadPool.singleton.runIfActive { try self.readNow(body) }
    }

    /// The same, on the calling thread.
    func readNow<T>(_ body: (Reader, LedgerHead) throws -> T) throws -> T {
        let reader =
            try lock.withLock { idleReaders.popLast() }
            ?? Reader(Ledger.openForReading(path: location), sharing: sharedStandings)
        let ledger = reader.ledger
        do {
            try ledger.renewSnapshot()
            let head = try ledger.log.head()
            reader.saw(head: head.seq)
            let result = try body(reader, LedgerHead(seq: head.seq, hash: head.hash))
            lock.withLock { idleReaders.append(reader) }
            return result
        } catch {
            // A connection that failed below the answer (I/O, a lost server) is dropped; one
            // that refused a request (a missing row, bad input) is kept.
            let (code, _) = Exit.describe(error)
            if code != Exit.internalError && code != Exit.ioError { lock.withLock { idleReaders.append(reader) } }
            throw error
        }
    }

    // MARK: Reads

    public func health() async throws -> Answer {
        try await read { _, head in
            .json(.object(JSONObject(["status": .string("ok"), "head": head.json])), head: head)
        }
    }

    /// `GET /v1/reports/{name}`: the bytes of `ledger report NAME --format json|csv`.
    public func report(_ nameText: String, _ query: QueryParameters) async throws -> Answer {
        try query.allowOnly(["as_of", "at_seq", "recorded_until", "format"])
        guard let name = ReportName(rawValue: nameText) else { throw Self.noReport(nameText) }
        let day = try query.asOf()
        let format: ReportFormat
        switch query["format"] ?? "json" {
        case "json": format = .json
        case "csv": format = .csv
        case let other: throw APIFailure.badRequest("format: \"\(other)\" is not json or csv")
        }
        return try await read { reader, head in
            let ledger = reader.ledger
            let seq = try query.atSeq { try ledger.log.seq(recordedUntil: $0) }
            let output = Output.inMemory(limit: Answer.memoryLimit)
            var digest = SHA256()
            output.tap = { digest.update(bufferPointer: $0) }
            _ = try ReportRun(name: name, format: format, asOf: day, atSeq: seq).write(from: ledger, to: output)
            var answer = try Answer.written(output, contentType: format == .csv ? Answer.csv : Answer.json, head: head)
            let etag = String(decoding: HashChain.hex(Array(digest.finalize())), as: UTF8.self)
            answer.headers["ETag"] = "\"" + etag + "\""
            return answer
        }
    }

    static func noReport(_ name: String) -> APIFailure {
        .notFound(
            "no report \(name) (reports: \(ReportName.allCases.map(\.rawValue).joined(separator: ", ")))")
    }

    /// `GET /v1/explain/{name}/{key}`: the JSON of `ledger explain NAME KEY --format json`.
    public func explain(_ nameText: String, key: String, _ query: QueryParameters) async throws -> Answer {
        try query.allowOnly(["as_of", "at_seq"])
        guard let name = ReportName(rawValue: nameText) else { throw Self.noReport(nameText) }
        let day = try query.asOf()
        let seq = try query.integer("at_seq", in: 0...Int64.max)
        return try await read { reader, head in
            let ledger = reader.ledger
            let output = Output.inMemory()
            try ExplainRun(name: name, key: key, asOf: day, atSeq: seq, format: .json).write(from: ledger, to: output)
            return Answer(contentType: Answer.json, body: output.kept ?? [], head: head)
        }
    }

    /// `GET /v1/history/{kind}/{slug}`: the JSON of `ledger history KIND/SLUG --format json`.
    public func history(kind: String, slug: String, _ query: QueryParameters) async throws -> Answer {
        try query.allowOnly(["as_of"])
        let day = try query.asOf()
        return try await read { reader, head in
            let ledger = reader.ledger
            let output = Output.inMemory(limit: Answer.memoryLimit)
            try HistoryRun(stream: kind + "/" + slug, asOf: day, format: .json).write(from: ledger, to: output)
            return try Answer.written(output, contentType: Answer.json, head: head)
        }
    }

    /// `GET /v1/screen?q=…`: the JSON of `ledger screen Q --format json`.
    public func screen(_ query: QueryParameters) async throws -> Answer {
        try query.allowOnly(["q", "as_of", "threshold"])
        guard let text = query["q"] else { throw APIFailure.badRequest("q: the query is missing (?q=NAME)") }
        let day = try query.asOf()
        let run = ScreenRun(query: text, threshold: try query.threshold(default: 0.85), format: .json)
        let screener = try run.screener()
        return try await read { reader, head in
            let output = Output.inMemory()
            _ = try run.write(screener, using: try reader.screening(asOf: day), to: output)
            return Answer(contentType: Answer.json, body: output.kept ?? [], head: head)
        }
    }

    /// `POST /v1/screen`: `{"queries": [str, …], "as_of"?, "threshold"?}` → `{"results":
    /// [[row, …], …]}`, each row as `ledger screen --format json` writes it.
    public func screen(body: [UInt8], _ query: QueryParameters) async throws -> Answer {
        try query.allowOnly([])
        let request = try RequestBody(body, allowed: ["queries", "as_of", "threshold"])
        guard case .array(let items)? = request.object["queries"] else {
            throw APIFailure.invalid(field: "queries", "must be an array of strings")
        }
        guard items.count <= Self.maxScreenQueries else {
            throw APIFailure.invalid(
                field: "queries", "holds \(items.count) queries; at most \(Self.maxScreenQueries) are taken at once")
        }
        let day = try request.day("as_of") ?? Day.today
        let threshold = try request.threshold() ?? 0.85
        var runs: [(ScreenRun, Screener)] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw APIFailure.invalid(field: "queries[\(index)]", "must be a string")
            }
            let run = ScreenRun(query: text, threshold: threshold, format: .json)
            let screener = Screener(query: text, threshold: threshold)
            guard screener.isScreenable else {
                throw APIFailure.invalid(
                    field: "queries[\(index)]", "holds no letter, digit or identifier once normalised")
            }
            runs.append((run, screener))
        }
        let prepared = runs
        return try await read { reader, head in
            let session = try reader.screening(asOf: day)
            var bytes = Array("{\"results\":[".utf8)
            for (index, (run, screener)) in prepared.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(UInt8(ascii: "["))
                let rows = run.rows(of: try session.screen(screener), for: screener)
                for (position, cells) in rows.enumerated() {
                    if position > 0 { bytes.append(UInt8(ascii: ",")) }
                    bytes += JSONReportEncoding.object(columns: run.columns, cells: cells).utf8
                }
                bytes.append(UInt8(ascii: "]"))
            }
            bytes += "]}\n".utf8
            return Answer(contentType: Answer.json, body: bytes, head: head)
        }
    }

    /// `GET /v1/events`: the lines of `ledger log --format ndjson` from `from_seq`, at most
    /// `limit`.
    public func events(_ query: QueryParameters) async throws -> Answer {
        try query.allowOnly(["from_seq", "limit"])
        let from = try query.integer("from_seq", in: 1...Int64.max) ?? 1
        let limit = try query.integer("limit", in: 1...Self.maxEventsPerPage) ?? Self.maxEventsPerPage
        return try await read { reader, head in
            let ledger = reader.ledger
            let output = Output.inMemory(limit: Answer.memoryLimit)
            try LogRun(filter: LogFilter(fromSeq: from, limit: limit), format: .ndjson).write(from: ledger, to: output)
            return try Answer.written(output, contentType: Answer.ndjson, head: head)
        }
    }

    /// Up to `limit` stored events after `seq`, as (seq, type, NDJSON line) for the feed.
    func events(after seq: Int64, limit: Int64) async throws -> [(seq: Int64, type: String, line: [UInt8])] {
        try await read { reader, _ in
            let ledger = reader.ledger
            var found: [(seq: Int64, type: String, line: [UInt8])] = []
            try ledger.log.forEachEvent(LogFilter(fromSeq: seq + 1, limit: limit)) { event in
                found.append((event.seq, event.type, event.canonicalBytes(includingHash: true)))
            }
            return found
        }
    }

    /// The head's `seq`, read cheaply (the change feed's poll).
    func headSeq() async throws -> Int64 {
        try await read { _, head in head.seq }
    }

    /// `GET /tlog/checkpoint`: what `ledger checkpoint [--key]` prints.
    public func checkpoint(_ query: QueryParameters) async throws -> Answer {
        try query.allowOnly([])
        let signer = signer
        return try await read { reader, head in
            let ledger = reader.ledger
            let text = try CheckpointRun(origin: nil, signer: signer).text(from: ledger, size: head.seq)
            return Answer(contentType: Answer.text, body: Array(text.utf8), head: head)
        }
    }

    // MARK: Writes

    /// `POST /v1/events`: the body appended as one atomic batch, exactly as `ledger append`
    /// appends a file, its events `recorded_by` the writer.
    public func append(body: [UInt8], writer: String) async throws -> Answer {
        try await NIOThreadPool.singleton.runIfActive {
            try self.writeLock.withLock {
                let ledger = try self.writer ?? Self.openWriter(self.location)
                self.writer = ledger
                let batch = try AppendBatch(ledger: ledger, recordedBy: writer)
                let summary: AppendSummary
                do {
                    try InputLines(name: "body", bytes: body).forEachLine { number, line in
                        try batch.add(line: line, number: number, of: "body")
                    }
                    summary = try batch.commit()
                } catch {
                    batch.rollback()
                    let (code, _) = Exit.describe(error)
                    if code == Exit.internalError || code == Exit.ioError { self.writer = nil }
                    throw error
                }
                let stored = try ledger.log.head()
                let head = LedgerHead(seq: stored.seq, hash: stored.hash)
                return .json(
                    .object(
                        JSONObject([
                            "appended": .number(String(summary.appended)), "skipped": .number(String(summary.skipped)),
                            "head": head.json,
                        ])), head: head)
            }
        }
    }

    /// The service's one writer: batches come one at a time, so a file's `-wal` is let grow
    /// to 64 MiB before a commit copies it into the file, not 4 MiB (a batch of a thousand
    /// events would otherwise pay a checkpoint of its own).
    static func openWriter(_ location: String) throws -> Ledger {
        let ledger = try Ledger.openForWriting(path: location)
        ledger.checkpointEvery(pages: 16_384)
        return ledger
    }

    /// The writer named by `authorization` (`Bearer TOKEN`): 403 when writes are not taken
    /// here, 401 for a missing or wrong token.
    public func writer(authorization: String?) throws(APIFailure) -> String {
        guard !isStandby else {
            throw APIFailure(.forbidden, "forbidden", "this server is a standby (read replica): append on the primary")
        }
        guard let tokens else {
            throw APIFailure(
                .forbidden, "forbidden", "writes are not enabled: ledger serve was started without --token-file")
        }
        guard let authorization, authorization.hasPrefix("Bearer "),
            let name = tokens.writer(presenting: String(authorization.dropFirst(7)))
        else {
            throw APIFailure(.unauthorized, "unauthorized", "a valid Authorization: Bearer TOKEN is needed to append")
        }
        return name
    }

    // MARK: Lists

    /// The lists named by any `designation.added` in the log, whatever the day.
    func designationLists(_ ledger: Ledger, head: LedgerHead) throws -> Set<String> {
        let (known, seq) = lock.withLock { (lists, listsSeq) }
        guard head.seq > seq else { return known }
        var found = known
        try ledger.log.forEachEvent(LogFilter(type: EventType.designationAdded.rawValue, fromSeq: seq + 1)) { stored in
            guard stored.seq <= head.seq else { return }
            if case .designationAdded(let added) = try stored.event().payload { found.insert(added.list) }
        }
        lock.withLock {
            if head.seq > listsSeq {
                lists = found
                listsSeq = head.seq
            }
        }
        return found
    }
}

/// One reader connection of the pool, used by one request at a time, with the screening
/// sessions it keeps warm (their statements prepared, the standings they read) for as long
/// as the log's head stays where it was: an append anywhere starts them afresh.
final class Reader {
    let ledger: Ledger
    private var head: Int64 = -1
    private var sessions: [Day: ScreeningSession] = [:]
    private let shared: SharedStandings
    /// How many days' sessions are kept at most.
    static let keptDays = 8

    init(_ ledger: Ledger, sharing shared: SharedStandings) {
        self.ledger = ledger
        self.shared = shared
    }

    /// Notes the head of the snapshot just begun: another head forgets the sessions.
    func saw(head seq: Int64) {
        if seq != head {
            sessions.removeAll()
            head = seq
        }
    }

    /// The screening session of `day`, as of the snapshot's head.
    func screening(asOf day: Day) throws -> ScreeningSession {
        if let session = sessions[day] { return session }
        if sessions.count >= Self.keptDays { sessions.removeAll() }
        // The readers share what their sessions read of a day at a head: a standing is
        // read once, whichever connection asks first.
        let lead = shared.lead(asOf: day, head: head)
        let session = try ScreeningSession(ledger: ledger, asOf: day, sharing: lead)
        if lead == nil { shared.offer(session, asOf: day, head: head) }
        sessions[day] = session
        return session
    }
}

/// The screening sessions whose standings the readers share, one a day, at one head.
final class SharedStandings: @unchecked Sendable {
    // `@unchecked Sendable`: `leads` and `head` are used under `lock`; a session's standings
    // cache is safe to share between threads (it locks its own).
    private let lock = NIOLock()
    private var head: Int64 = -1
    private var leads: [Day: ScreeningSession] = [:]

    func lead(asOf day: Day, head seq: Int64) -> ScreeningSession? {
        lock.withLock { seq == head ? leads[day] : nil }
    }

    func offer(_ session: ScreeningSession, asOf day: Day, head seq: Int64) {
        lock.withLock {
            if seq > head {
                leads.removeAll()
                head = seq
            }
            if seq == head && leads.count < Reader.keptDays { leads[day] = leads[day] ?? session }
        }
    }
}

/// A JSON request body, read by the strict reader: an object of known members only.
struct RequestBody {
    var object: JSONObject

    init(_ bytes: [UInt8], allowed: Set<String>) throws(APIFailure) {
        let value: JSONValue
        do {
            value = try StrictJSONReader().read(bytes)
        } catch {
            throw APIFailure.invalid(field: error.path.isEmpty ? "(body)" : error.path, error.reason)
        }
        guard case .object(let object) = value else {
            throw APIFailure.invalid(field: "(body)", "must be a JSON object")
        }
        for key in object.keys where !allowed.contains(key) {
            throw APIFailure.invalid(field: key, "is not a member this request takes")
        }
        self.object = object
    }

    func day(_ field: String) throws(APIFailure) -> Day? {
        guard let value = object[field] else { return nil }
        guard case .string(let text) = value, let day = Day(text) else {
            throw APIFailure.invalid(field: field, "must be a day YYYY-MM-DD")
        }
        return day
    }

    func threshold() throws(APIFailure) -> Double? {
        guard let value = object["threshold"] else { return nil }
        guard case .number(let text) = value, let threshold = Double(text), (0...1).contains(threshold) else {
            throw APIFailure.invalid(field: "threshold", "must be a number between 0 and 1")
        }
        return threshold
    }
}
