import Foundation
import HTTPTypes
import Hummingbird
import LedgerService
import LedgerTestSupport
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Collects a response's body in memory.
struct CollectingWriter: ResponseBodyWriter {
    let collected: Collected

    final class Collected: @unchecked Sendable {
        var bytes: [UInt8] = []
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        collected.bytes += buffer.readableBytesView
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// Every endpoint and every error of contract section 12, answered in process by the routes
/// the server runs (no socket): status, content type, the error object's code.
@Suite struct RouteTests {
    struct Reply {
        var status: Int
        var headers: HTTPFields
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var code: String? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                let error = object["error"] as? [String: Any]
            else { return nil }
            return error["code"] as? String
        }
    }

    let sandbox: LedgerSandbox
    let token = String(repeating: "t", count: 40)
    let routes: LedgerRoutes
    let readOnlyRoutes: LedgerRoutes

    init() throws {
        sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let tokenPath = try sandbox.write("tokens", "carol \(token)\n")
        chmod(tokenPath, 0o600)
        let service = try LedgerService(
            location: sandbox.database, tokens: try WriterTokens(path: tokenPath), signer: nil)
        routes = LedgerRoutes(service: service, feed: HeadWatch(service: service))
        let readOnly = try LedgerService(location: sandbox.database, tokens: nil, signer: nil)
        readOnlyRoutes = LedgerRoutes(service: readOnly, feed: HeadWatch(service: readOnly))
    }

    func ask(
        _ method: HTTPRequest.Method, _ path: String, body: String? = nil, headers: HTTPFields = [:],
        on routes: LedgerRoutes? = nil
    ) async throws -> Reply {
        let head = HTTPRequest(
            method: method, scheme: "http", authority: "127.0.0.1", path: path, headerFields: headers)
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(string: body ?? "")))
        let response = await (routes ?? self.routes).respond(to: request)
        let collected = CollectingWriter.Collected()
        try await response.body.write(CollectingWriter(collected: collected))
        return Reply(status: Int(response.status.code), headers: response.headers, body: collected.bytes)
    }

    @Test func everyEndpointAnswers() async throws {
        let json = "application/json"
        let cases: [(HTTPRequest.Method, String, String?, Int, String)] = [
            (.get, "/healthz", nil, 200, json),
            (.get, "/openapi.json", nil, 200, json),
            (.get, "/v1/reports/thefts?as_of=2023-06-01", nil, 200, json),
            (.get, "/v1/reports/totals?format=csv", nil, 200, "text/csv; charset=utf-8"),
            (.get, "/v1/reports/obligations?as_of=2019-12-23&at_seq=5", nil, 200, json),
            (.get, "/v1/reports/actors?recorded_until=2099-01-01T00:00:00Z", nil, 200, json),
            (.get, "/v1/explain/thefts/incident%2Fcoincheck-2018?as_of=2023-06-01", nil, 200, json),
            (.get, "/v1/history/incident/coincheck-2018", nil, 200, json),
            (.get, "/v1/screen?q=Lazarus", nil, 200, json),
            (.post, "/v1/screen", #"{"queries": ["Lazarus Group"]}"#, 200, json),
            (
                .post, "/match/default",
                #"{"queries": {"a": {"schema": "Thing", "properties": {"name": ["Lazarus"]}}}}"#,
                200, json
            ),
            (.get, "/v1/events?from_seq=2&limit=3", nil, 200, "application/x-ndjson"),
            (.get, "/tlog/checkpoint", nil, 200, "text/plain; charset=utf-8"),
            (.get, "/tlog/tile/0/000.p/5", nil, 200, "application/octet-stream"),
            (.get, "/tlog/tile/entries/000.p/5", nil, 200, "application/octet-stream"),
        ]
        for (method, path, body, status, type) in cases {
            let reply = try await ask(method, path, body: body)
            #expect(reply.status == status, "\(method) \(path): \(reply.text)")
            #expect(reply.headers[.contentType] == type, "\(path)")
            if path != "/openapi.json" {
                #expect(reply.headers[HTTPField.Name("Ledger-Head")!]?.contains(":") == true, "\(path)")
            }
        }
        let lines = try await ask(.get, "/v1/events?from_seq=2&limit=3").text.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("{") && lines[0].contains("\"hash\""))
        let tile = try await ask(.get, "/tlog/tile/0/000.p/5")
        #expect(tile.body.count == 5 * 32)
    }

    @Test func everyErrorIsTheContractsObject() async throws {
        let cases: [(HTTPRequest.Method, String, String?, Int, String)] = [
            (.get, "/v1/reports/nope", nil, 404, "not_found"),
            (.get, "/v1/reports/totals?x=1", nil, 400, "bad_request"),
            (.get, "/v1/reports/totals?as_of=1", nil, 400, "bad_request"),
            (.get, "/v1/reports/totals?as_of=2020-01-01&as_of=2021-01-01", nil, 400, "bad_request"),
            (.get, "/v1/reports/totals?at_seq=-1", nil, 400, "bad_request"),
            (.get, "/v1/reports/totals?recorded_until=yesterday", nil, 400, "bad_request"),
            (.get, "/v1/explain/thefts/incident%2Fnone", nil, 404, "not_found"),
            (.get, "/v1/history/incident/none", nil, 404, "not_found"),
            (.get, "/v1/screen?q=", nil, 400, "bad_request"),
            (.get, "/v1/screen?q=x&threshold=2", nil, 400, "bad_request"),
            (.post, "/v1/screen", "{", 400, "invalid_input"),
            (.post, "/v1/screen", #"{"queries": "x"}"#, 400, "invalid_input"),
            (.post, "/v1/screen", #"{"queries": [], "colour": 1}"#, 400, "invalid_input"),
            (
                .post, "/match/default", #"{"queries": {"a": {"schema": "Nope", "properties": {}}}}"#, 400,
                "invalid_input"
            ),
            (.post, "/match/NOPE", #"{"queries": {}}"#, 404, "not_found"),
            (.get, "/v1/events?limit=0", nil, 400, "bad_request"),
            (.get, "/v1/events?from_seq=x", nil, 400, "bad_request"),
            (.post, "/v1/events", "{}", 401, "unauthorized"),
            (.get, "/tlog/tile/0/999", nil, 404, "not_found"),
            (.get, "/tlog/tile/0/1", nil, 404, "not_found"),
            (.get, "/tlog/tile/0/000.p/0", nil, 404, "not_found"),
            (.put, "/v1/events", nil, 405, "method_not_allowed"),
            (.post, "/healthz", nil, 405, "method_not_allowed"),
            (.get, "/match/default", nil, 405, "method_not_allowed"),
            (.get, "/nowhere", nil, 404, "not_found"),
        ]
        for (method, path, body, status, code) in cases {
            let reply = try await ask(method, path, body: body)
            #expect(reply.status == status, "\(method) \(path): \(reply.text)")
            #expect(reply.code == code, "\(method) \(path): \(reply.text)")
            #expect(reply.headers[.contentType] == "application/json")
        }
        #expect(try await ask(.put, "/v1/events").headers[.allow] == "GET, HEAD, POST")
        #expect(try await ask(.post, "/healthz").headers[.allow] == "GET, HEAD")
        let forbidden = try await ask(.post, "/v1/events", body: "{}", on: readOnlyRoutes)
        #expect(forbidden.status == 403 && forbidden.code == "forbidden")
    }

    @Test func appendsNameTheBodysLineAndField() async throws {
        let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
        let seeds = try String(
            contentsOf: LedgerSandbox.packageRoot.appendingPathComponent("seeds/04-statements.ndjson"), encoding: .utf8)
        let line = try #require(seeds.split(separator: "\n").first).replacingOccurrences(
            of: "\"id\":\"", with: "\"id\":\"route-"
        )
        .replacingOccurrences(of: "\"stream\":\"statement/", with: "\"stream\":\"statement/route-")
        let bad = try await ask(.post, "/v1/events", body: line + "\n{\"id\": 1}\n", headers: bearer)
        #expect(bad.status == 400 && bad.code == "invalid_input" && bad.text.contains("body:2: "))
        let good = try await ask(.post, "/v1/events", body: line + "\n", headers: bearer)
        #expect(good.status == 200 && good.text.contains("\"appended\":1"))
        let table = try sandbox.run(["log", "--format", "table"]).stdout
        #expect(table.contains("route-") && table.contains("carol"))
        let unchanged = try await ask(
            .get, "/v1/reports/totals",
            headers: [.ifNoneMatch: try await ask(.get, "/v1/reports/totals").headers[.eTag] ?? ""])
        #expect(unchanged.status == 304 && unchanged.body.isEmpty)
    }
}
