import Foundation
import HTTPTypes
import Hummingbird
import LedgerAnswers
import LedgerDomain
import LedgerStore
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// The service's endpoints (contract section 12), dispatched by method and path: an unknown
/// path is 404, a known one asked with another method 405; every failure is the contract's
/// error object, made in one place (`APIFailure.from`).
public struct LedgerRoutes: Sendable {
    let service: LedgerService
    let feed: HeadWatch

    public init(service: LedgerService, feed: HeadWatch) {
        self.service = service
        self.feed = feed
    }

    public func respond(to request: Request) async -> Response {
        do {
            return try await route(request)
        } catch {
            return Self.response(for: APIFailure.from(error))
        }
    }

    private func route(_ request: Request) async throws -> Response {
        let path = request.uri.path
        let segments: [Substring] = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            segment in
            segment.removingPercentEncoding.map { Substring($0) } ?? segment
        }
        let method = request.method
        func only(_ allowed: HTTPRequest.Method) throws {
            guard method == allowed || (allowed == .get && method == .head) else {
                var failure = APIFailure(
                    .methodNotAllowed, "method_not_allowed", "\(method.rawValue) \(path): use \(allowed.rawValue)")
                let takesPost = path == "/v1/screen" || path == "/v1/events"
                failure.allow = allowed == .post ? "POST" : takesPost ? "GET, HEAD, POST" : "GET, HEAD"
                throw failure
            }
        }
        func query() throws -> QueryParameters { try QueryParameters(query: request.uri.query) }
        switch segments.first {
        case "healthz" where segments.count == 1:
            try only(.get)
            try query().allowOnly([])
            return Self.response(try await service.health())
        case "openapi.json" where segments.count == 1:
            try only(.get)
            try query().allowOnly([])
            return Self.response(Answer(contentType: Answer.json, body: PackageResources.openapi_json))
        case "v1":
            return try await routeV1(request, Array(segments.dropFirst()), only: only, query: query)
        case "match" where segments.count == 2:
            try only(.post)
            let body = try await Self.body(of: request)
            return Self.response(try await service.match(dataset: String(segments[1]), body: body, query()))
        case "tlog":
            try only(.get)
            try query().allowOnly([])
            if segments.count == 2 && segments[1] == "checkpoint" {
                return Self.response(try await service.checkpoint(query()))
            }
            if segments.count >= 4, segments[1] == "tile", let tile = TilePath(Array(segments.dropFirst(2))) {
                return Self.response(try await service.tile(tile))
            }
        default:
            break
        }
        throw APIFailure.notFound("no such endpoint: \(path) (see /openapi.json)")
    }

    private func routeV1(
        _ request: Request, _ segments: [Substring], only: (HTTPRequest.Method) throws -> Void,
        query: () throws -> QueryParameters
    ) async throws -> Response {
        switch (segments.first, segments.count) {
        case ("reports", 2):
            try only(.get)
            var answer = try await service.report(String(segments[1]), query())
            if let etag = answer.headers["ETag"], let asked = request.headers[.ifNoneMatch],
                asked.split(separator: ",").contains(where: {
                    $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*"
                })
            {
                answer.status = .notModified
                answer.body = []
                answer.spilled = nil
            }
            return Self.response(answer)
        case ("explain", 3):
            try only(.get)
            return Self.response(try await service.explain(String(segments[1]), key: String(segments[2]), query()))
        case ("history", 3):
            try only(.get)
            return Self.response(
                try await service.history(kind: String(segments[1]), slug: String(segments[2]), query()))
        case ("screen", 1):
            if request.method == .post {
                let body = try await Self.body(of: request)
                return Self.response(try await service.screen(body: body, query()))
            }
            try only(.get)
            return Self.response(try await service.screen(query()))
        case ("events", 1):
            if request.method == .post {
                let parameters = try query()
                try parameters.allowOnly([])
                let writer = try service.writer(authorization: request.headers[.authorization])
                let body = try await Self.body(of: request)
                return Self.response(try await service.append(body: body, writer: writer))
            }
            try only(.get)
            return Self.response(try await service.events(query()))
        case ("events", 2) where segments[1] == "stream":
            try only(.get)
            let parameters = try query()
            try parameters.allowOnly(["from_seq"])
            var from = try parameters.integer("from_seq", in: 1...Int64.max) ?? 1
            if let last = request.headers[HTTPField.Name("Last-Event-ID")!], let seq = Int64(last), seq >= 0 {
                from = seq + 1
            }
            return try await eventStream(from: from)
        default:
            throw APIFailure.notFound("no such endpoint: \(request.uri.path) (see /openapi.json)")
        }
    }

    /// The request's body, at most `LedgerService.maxBodyBytes` (413 past it, read no further).
    static func body(of request: Request) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > LedgerService.maxBodyBytes {
            throw tooLarge
        }
        do {
            var buffer = try await request.body.collect(upTo: LedgerService.maxBodyBytes)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
    }

    static let tooLarge = APIFailure(
        .contentTooLarge, "too_large", "the request body is over \(LedgerService.maxBodyBytes >> 20) MiB")

    /// `GET /v1/events/stream`: every stored event from `from` as Server-Sent Events, then
    /// each new one as it is appended (by this process or any other writer), a comment line
    /// after every 15 s without one; ended when the server shuts down.
    func eventStream(from: Int64) async throws -> Response {
        let head = try await service.read { _, head in head }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Ledger-Head")!] = head.header
        let service = service
        let feed = feed
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var last = from - 1
                var quietSince = ContinuousClock.now
                while !Task.isCancelled && !Task.isShuttingDownGracefully && !feed.isStopping {
                    let events = try await service.events(after: last, limit: 1_000)
                    if events.isEmpty {
                        if ContinuousClock.now - quietSince >= .seconds(15) {
                            try await writer.write(ByteBuffer(string: ":\n\n"))
                            quietSince = .now
                        }
                        await feed.wait(beyond: last)
                        continue
                    }
                    var buffer = ByteBuffer()
                    for event in events {
                        buffer.writeString("id: \(event.seq)\nevent: \(event.type)\ndata: ")
                        buffer.writeBytes(event.line)
                        buffer.writeString("\n\n")
                    }
                    try await writer.write(buffer)
                    last = events[events.count - 1].seq
                    quietSince = .now
                }
                try await writer.finish(nil)
            })
    }

    // MARK: Responses

    static func response(_ answer: Answer) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = answer.contentType
        if let head = answer.head { headers[HTTPField.Name("Ledger-Head")!] = head.header }
        for (name, value) in answer.headers.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        if let spilled = answer.spilled, answer.status == .ok {
            // Sent from its file in chunks: a large answer takes no more memory than a small one.
            return Response(
                status: answer.status, headers: headers,
                body: ResponseBody(contentLength: spilled.size) { writer in
                    var offset = 0
                    var chunk = [UInt8](repeating: 0, count: 1 << 16)
                    while offset < spilled.size {
                        let count = chunk.withUnsafeMutableBytes {
                            pread(spilled.descriptor, $0.baseAddress, $0.count, off_t(offset))
                        }
                        if count < 0 && errno == EINTR { continue }
                        guard count > 0 else {
                            throw APIFailure(.internalServerError, "internal", "a spilled answer ended early")
                        }
                        try await writer.write(ByteBuffer(bytes: chunk[0..<count]))
                        offset += count
                    }
                    try await writer.finish(nil)
                })
        }
        return Response(
            status: answer.status, headers: headers,
            body: answer.body.isEmpty ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    static func response(for failure: APIFailure) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = Answer.json
        if let retryAfter = failure.retryAfter { headers[.retryAfter] = String(retryAfter) }
        if let allow = failure.allow { headers[.allow] = allow }
        return Response(
            status: failure.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: failure.json)))
    }
}

extension LedgerService {
    /// `GET /tlog/tile/…`: a tile or an entry bundle of the log; full ones are immutable.
    func tile(_ tile: TilePath) async throws -> Answer {
        try await read { reader, head in
            let ledger = reader.ledger
            guard let bytes = try tile.bytes(in: ledger.proofs, size: head.seq) else {
                throw APIFailure.notFound("the log of \(head.seq) events holds no such tile yet")
            }
            var answer = Answer(contentType: "application/octet-stream", body: bytes, head: head)
            if tile.width == nil { answer.headers["Cache-Control"] = "public, max-age=31536000, immutable" }
            return answer
        }
    }
}

/// The head as last read, shared by every subscriber of the change feed: one cheap read
/// every 200 ms on a file whoever is listening; on a server, a read when the server says a
/// batch was committed (`LISTEN`, `AppendSignal`), and one a second besides. A subscriber
/// wakes when the head passes its last event.
public final class HeadWatch: Service, @unchecked Sendable {
    private let service: LedgerService
    private let state = NIOLockedValueBox<(seq: Int64, stopping: Bool, poked: Bool)>((0, false, false))

    public init(service: LedgerService) {
        self.service = service
    }

    var isStopping: Bool { state.withLockedValue { $0.stopping } }

    /// Returns once the head is past `seq`, after a second at most.
    func wait(beyond seq: Int64) async {
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline {
            let (head, stopping) = state.withLockedValue { ($0.seq, $0.stopping) }
            if head > seq || stopping || Task.isShuttingDownGracefully { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    public func run() async throws {
        let location = service.location
        let onServer = Ledger.isOnServer(location)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                if onServer {
                    group.addTask {
                        // Heard again after a lost connection, a second later.
                        while !Task.isCancelled && !Task.isShuttingDownGracefully {
                            try? await AppendSignal.listen(location: location) {
                                self.state.withLockedValue { $0.poked = true }
                            }
                            try? await Task.sleep(for: .seconds(1))
                        }
                    }
                }
                group.addTask {
                    let interval: Duration = onServer ? .seconds(1) : .milliseconds(200)
                    while !Task.isShuttingDownGracefully && !Task.isCancelled && !self.isStopping {
                        if let seq = try? await self.service.headSeq() {
                            self.state.withLockedValue { $0.seq = max($0.seq, seq) }
                        }
                        let next = ContinuousClock.now + interval
                        while ContinuousClock.now < next && !self.isStopping {
                            let poked = self.state.withLockedValue { state in
                                defer { state.poked = false }
                                return state.poked
                            }
                            if poked { break }
                            try? await Task.sleep(for: .milliseconds(20))
                        }
                    }
                }
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.state.withLockedValue { $0.stopping = true }
        }
    }
}
