import Crypto
import Foundation
import LedgerTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `ledger serve` (contract section 12), run as a user runs it, on a free port: its answers
/// are the CLI's bytes, its errors the contract's objects, its writes `ledger append`'s.
@Suite struct ServeTests {
    /// How many events the sandbox's log holds.
    func eventCount(_ sandbox: LedgerSandbox) throws -> Int {
        try sandbox.log().split(separator: "\n").count
    }

    func seeded(_ backend: Backend = .file) throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        return sandbox
    }

    /// A token file of the owner's only, holding `name`'s token.
    func tokenFile(_ sandbox: LedgerSandbox, name: String = "alice") throws -> (path: String, token: String) {
        let token = (0..<40).map { _ in String("abcdefghijklmnopqrstuvwxyz0123456789".randomElement()!) }.joined()
        let path = try sandbox.write("tokens", "# writers\n\(name) \(token)\n")
        chmod(path, 0o600)
        return (path, token)
    }

    func errorObject(_ result: HTTPResult) throws -> [String: Any] {
        let object = try #require(try result.json() as? [String: Any])
        return try #require(object["error"] as? [String: Any])
    }

    @Test(arguments: Backend.allCases) func readsAreTheCLIsBytes(backend: Backend) throws {
        let sandbox = try seeded(backend)
        let service = try ServiceProcess(sandbox)
        let head = try #require(sandbox.run(["verify"]).stdout.split(separator: "\n").last)
        let health = try service.request("/healthz")
        #expect(health.status == 200 && health.headers["content-type"] == "application/json")
        let ledgerHead = try #require(health.headers["ledger-head"])
        #expect(head.contains(ledgerHead) || head.contains(ledgerHead.split(separator: ":")[1]))
        for name in ["thefts", "obligations", "actors", "statements", "designations", "totals"] {
            for (format, type) in [("json", "application/json"), ("csv", "text/csv; charset=utf-8")] {
                for query in ["", "&as_of=2019-12-23", "&as_of=2024-06-01&at_seq=40"] {
                    let served = try service.request("/v1/reports/\(name)?format=\(format)\(query)")
                    var arguments = ["report", name, "--format", format, "--as-of"]
                    arguments.append(
                        query.contains("as_of=") ? String(query.split(separator: "=")[1].prefix(10)) : today())
                    if query.contains("at_seq") { arguments += ["--at-seq", "40"] }
                    let printed = try sandbox.run(arguments)
                    #expect(served.status == 200 && served.headers["content-type"] == type)
                    #expect(served.text == printed.stdout, "\(name) \(format) \(query)")
                    let digest = SHA256.hash(data: served.body).map { String(format: "%02x", $0) }.joined()
                    #expect(served.headers["etag"] == "\"\(digest)\"")
                    #expect(served.headers["ledger-head"] == ledgerHead)
                }
            }
        }
        let tag = try #require(try service.request("/v1/reports/totals").headers["etag"])
        let unchanged = try service.request("/v1/reports/totals", headers: ["If-None-Match": tag])
        #expect(unchanged.status == 304 && unchanged.body.isEmpty)

        let explained = try service.request("/v1/explain/thefts/incident%2Fcoincheck-2018?as_of=2023-06-01")
        let explainedByCLI = try sandbox.run([
            "explain", "thefts", "incident/coincheck-2018", "--as-of", "2023-06-01", "--format", "json",
        ])
        #expect(explained.status == 200 && explained.text == explainedByCLI.stdout)
        let history = try service.request("/v1/history/incident/coincheck-2018?as_of=2019-01-01")
        let historyByCLI = try sandbox.run([
            "history", "incident/coincheck-2018", "--as-of", "2019-01-01", "--format", "json",
        ])
        #expect(history.status == 200 && history.text == historyByCLI.stdout)
        let screened = try service.request("/v1/screen?q=Lazarus+Group&as_of=2024-01-01&threshold=0.9")
        let screenedByCLI = try sandbox.run([
            "screen", "Lazarus Group", "--as-of", "2024-01-01", "--threshold", "0.9", "--format", "json",
        ])
        #expect(screened.status == 200 && screened.text == screenedByCLI.stdout && screened.text.contains("LAZARUS"))
        let events = try service.request("/v1/events?from_seq=3&limit=5")
        let eventsByCLI = try sandbox.run(["log", "--from-seq", "3", "--limit", "5"])
        #expect(events.status == 200 && events.headers["content-type"] == "application/x-ndjson")
        #expect(events.text == eventsByCLI.stdout && events.text.split(separator: "\n").count == 5)
        let checkpoint = try service.request("/tlog/checkpoint")
        #expect(try checkpoint.status == 200 && checkpoint.text == (sandbox.run(["checkpoint"]).stdout))
    }

    /// A report past the megabyte an answer holds in memory is sent from a temporary file:
    /// the same bytes, the same ETag.
    @Test func aLargeReportIsTheCLIsBytesToo() throws {
        let sandbox = try LedgerSandbox()
        let events = sandbox.path("events.ndjson")
        let generator = Process()
        generator.executableURL = LedgerSandbox.sibling("ledger-bench")
        generator.arguments = ["generate", "--mix", "realistic", "--events", "12000", "--output", events]
        try generator.run()
        generator.waitUntilExit()
        #expect(generator.terminationStatus == 0)
        #expect(try sandbox.run(["append", "--quiet", events]).status == 0)
        let service = try ServiceProcess(sandbox)
        let printed = try sandbox.run(["report", "thefts", "--as-of", "2030-01-01", "--format", "json"]).stdout
        let served = try service.request("/v1/reports/thefts?as_of=2030-01-01")
        #expect(printed.utf8.count > 1 << 20, "the report must pass the memory limit: \(printed.utf8.count) bytes")
        #expect(served.status == 200 && served.text == printed)
        let digest = SHA256.hash(data: served.body).map { String(format: "%02x", $0) }.joined()
        #expect(
            served.headers["etag"] == "\"\(digest)\"" && served.headers["content-length"] == String(served.body.count))

        // Full tiles are immutable; a tile of level 1 holds the roots of 256-leaf subtrees.
        let size = try eventCount(sandbox)
        let full = try service.request("/tlog/tile/0/000")
        #expect(full.status == 200 && full.body.count == 256 * 32)
        #expect(full.headers["cache-control"] == "public, max-age=31536000, immutable")
        let level1 = try service.request("/tlog/tile/1/000.p/\(size / 256)")
        #expect(level1.status == 200 && level1.body.count == size / 256 * 32 && level1.headers["cache-control"] == nil)
        func root(_ nodes: ArraySlice<Data>) -> Data {
            if nodes.count == 1 { return nodes.first! }
            let half = nodes.count / 2
            let start = nodes.startIndex
            return Data(
                SHA256.hash(data: Data([1]) + root(nodes[start..<start + half]) + root(nodes[(start + half)...])))
        }
        let firstSubtree = root((0..<256).map { full.body.subdata(in: ($0 * 32)..<($0 * 32 + 32)) }[...])
        #expect(level1.body.prefix(32) == firstSubtree)
    }

    @Test func errorsAreTheContractsObjects() throws {
        let sandbox = try seeded()
        let service = try ServiceProcess(sandbox)
        let cases: [(String, String, Int, String)] = [
            ("GET", "/v1/reports/nonsense", 404, "not_found"),
            ("GET", "/v1/reports/totals?colour=red", 400, "bad_request"),
            ("GET", "/v1/reports/totals?as_of=2019-02-30", 400, "bad_request"),
            ("GET", "/v1/reports/totals?format=table", 400, "bad_request"),
            ("GET", "/v1/events?limit=10001", 400, "bad_request"),
            ("GET", "/v1/screen", 400, "bad_request"),
            ("GET", "/v1/screen?q=%20%21", 400, "bad_request"),
            ("GET", "/v1/history/incident/no-such-thing", 404, "not_found"),
            ("GET", "/v1/explain/thefts/incident%2Fnone", 404, "not_found"),
            ("DELETE", "/v1/reports/totals", 405, "method_not_allowed"),
            ("GET", "/no/such/path", 404, "not_found"),
            ("GET", "/tlog/tile/0/001", 404, "not_found"),
        ]
        for (method, path, status, code) in cases {
            let result = try service.request(method, path)
            #expect(result.status == status, "\(method) \(path): \(result.text)")
            #expect(result.headers["content-type"] == "application/json")
            let error = try errorObject(result)
            #expect(error["code"] as? String == code && (error["status"] as? Int) == status, "\(path)")
            #expect(!(error["message"] as? String ?? "").isEmpty)
        }
        // The access log names the query's parameters, never their values.
        _ = try service.request("/v1/screen?q=Secret+Customer+Name&as_of=2024-01-01")
        let log = service.standardError
        #expect(log.contains("GET /v1/screen?q&as_of 200 ") && !log.contains("Secret"))
    }

    @Test func batchScreeningAndMatchingAnswerEachQuery() throws {
        let sandbox = try seeded()
        let service = try ServiceProcess(sandbox)
        let body = Data(#"{"queries": ["Lazarus Group", "Nobody In Particular"], "as_of": "2024-01-01"}"#.utf8)
        let batch = try service.request("POST", "/v1/screen", body: body)
        #expect(batch.status == 200)
        let results = try #require((try batch.json() as? [String: Any])?["results"] as? [[Any]])
        let single = try #require(
            try service.request("/v1/screen?q=Lazarus+Group&as_of=2024-01-01").json() as? [Any])
        #expect(results.count == 2 && results[0].count == single.count && !single.isEmpty && results[1].isEmpty)

        let tooMany = Data(
            ("{\"queries\": [" + Array(repeating: "\"x\"", count: 10_001).joined(separator: ",") + "]}").utf8)
        let refused = try service.request("POST", "/v1/screen", body: tooMany)
        #expect(try refused.status == 400 && errorObject(refused)["field"] as? String == "queries")
        let badItem = try service.request("POST", "/v1/screen", body: Data(#"{"queries": ["ok", 7]}"#.utf8))
        let badError = try errorObject(badItem)
        #expect(badItem.status == 400 && badError["code"] as? String == "invalid_input")
        #expect(badError["field"] as? String == "queries[1]" && badError["line"] as? Int == 1)

        let match = Data(
            #"{"queries": {"q1": {"schema": "Organization", "properties": {"name": ["Lazarus Group"], "country": ["kp"]}}}}"#
                .utf8)
        let matched = try service.request("POST", "/match/default?as_of=2024-01-01", body: match)
        #expect(matched.status == 200)
        let response = try #require(
            ((try matched.json() as? [String: Any])?["responses"] as? [String: Any])?["q1"] as? [String: Any])
        let first = try #require((response["results"] as? [[String: Any]])?.first)
        #expect(first["id"] as? String == "designation/ofac-sdn-lazarus-group" && first["match"] as? Bool == true)
        #expect(first["schema"] as? String == "Organization" && (first["datasets"] as? [String]) == ["OFAC-SDN"])
        #expect(((response["total"] as? [String: Any])?["value"] as? Int) ?? 0 >= 1)
        #expect(try service.request("POST", "/match/OFAC-SDN?as_of=2024-01-01", body: match).status == 200)
        #expect(try service.request("POST", "/match/NO-SUCH-LIST", body: match).status == 404)
        let badSchema = Data(#"{"queries": {"q1": {"schema": "Dragon", "properties": {}}}}"#.utf8)
        #expect(try service.request("POST", "/match/default", body: badSchema).status == 400)
    }

    @Test(arguments: Backend.allCases) func appendsAreLedgerAppendsOverHTTP(backend: Backend) throws {
        let sandbox = try seeded(backend)
        let withoutTokens = try ServiceProcess(sandbox)
        let line = try statementLine(id: "served-1")
        let forbidden = try withoutTokens.request("POST", "/v1/events", body: Data(line.utf8))
        #expect(try forbidden.status == 403 && errorObject(forbidden)["code"] as? String == "forbidden")

        let (file, token) = try tokenFile(sandbox)
        let service = try ServiceProcess(sandbox, ["--token-file", file])
        let bearer = ["Authorization": "Bearer \(token)"]
        #expect(try service.request("POST", "/v1/events", body: Data(line.utf8)).status == 401)
        #expect(
            try service.request(
                "POST", "/v1/events", headers: ["Authorization": "Bearer x\(token)"], body: Data(line.utf8)
            )
            .status == 401)
        let before = try sandbox.log()
        // A bad second line: nothing of the batch is stored, and the error names it.
        let bad =
            line + "\n"
            + (try statementLine(id: "served-2")).replacingOccurrences(of: "\"2019-06-17\"", with: "\"2019-13-01\"")
        let refused = try service.request("POST", "/v1/events", headers: bearer, body: Data(bad.utf8))
        let refusal = try errorObject(refused)
        #expect(refused.status == 400 && refusal["code"] as? String == "invalid_input" && refusal["line"] as? Int == 2)
        #expect((refusal["message"] as? String ?? "").hasPrefix("body:2: occurred_on: "))
        #expect(try sandbox.log() == before)

        let appended = try service.request("POST", "/v1/events", headers: bearer, body: Data((line + "\n").utf8))
        let answer = try #require(try appended.json() as? [String: Any])
        #expect(appended.status == 200 && answer["appended"] as? Int == 1 && answer["skipped"] as? Int == 0)
        let again = try #require(
            try service.request("POST", "/v1/events", headers: bearer, body: Data(line.utf8)).json() as? [String: Any])
        #expect(again["appended"] as? Int == 0 && again["skipped"] as? Int == 1)
        let table = try sandbox.run(["log", "--from-seq", String(try eventCount(sandbox)), "--format", "table"]).stdout
        #expect(table.contains("served-1") && table.contains(" alice"))
        // The same id with other content is a conflict.
        let conflicting = line.replacingOccurrences(of: "\"2019-06-17\"", with: "\"2019-06-18\"")
        let conflict = try service.request("POST", "/v1/events", headers: bearer, body: Data(conflicting.utf8))
        #expect(try conflict.status == 409 && errorObject(conflict)["code"] as? String == "conflict")
        #expect(!service.standardError.contains(token))
    }

    @Test func aBodyOver64MiBIsRefusedUnread() throws {
        let sandbox = try seeded()
        let (file, token) = try tokenFile(sandbox)
        let service = try ServiceProcess(sandbox, ["--token-file", file])
        let big = Data(repeating: 0x20, count: (64 << 20) + 1)
        let result = try service.request(
            "POST", "/v1/events", headers: ["Authorization": "Bearer \(token)"], body: big)
        #expect(try result.status == 413 && errorObject(result)["code"] as? String == "too_large")
    }

    @Test func aTokenFileItRefusesStopsItAtStart() throws {
        let sandbox = try seeded()
        let secret = String(repeating: "s", count: 40)
        for (contents, mode, reason) in [
            ("alice \(secret)\n", 0o644, "readable by its owner only"),
            ("alice short\n", 0o600, "shorter than 32"),
            ("alice \(secret) extra\n", 0o600, "is not NAME TOKEN"),
        ] {
            let path = try sandbox.write("bad-tokens", contents)
            chmod(path, mode_t(mode))
            let result = try sandbox.run(["serve", "--listen", "127.0.0.1:0", "--token-file", path])
            #expect(result.status == 64, "\(reason): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(reason))
            #expect(result.stderr.split(separator: "\n").count == 1 && !result.stderr.contains(secret))
        }
    }

    @Test(arguments: Backend.allCases) func theChangeFeedDeliversAnotherWritersAppend(backend: Backend) throws {
        let sandbox = try seeded(backend)
        let count = try eventCount(sandbox)
        let service = try ServiceProcess(sandbox)
        let reader = try service.stream("/v1/events/stream", headers: ["Last-Event-ID": String(count - 1)], seconds: 4)
        Thread.sleep(forTimeInterval: 1)
        // Another process, the CLI, appends while the feed is open.
        let file = try sandbox.write("later.ndjson", try statementLine(id: "fed-1") + "\n")
        #expect(try sandbox.run(["append", file]).status == 0)
        reader.waitUntilExit()
        let data = (reader.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        let events = String(decoding: data, as: UTF8.self).components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.count == 2, "\(events)")
        #expect(events.first?.hasPrefix("id: \(count)\nevent: ") == true)
        #expect(events.last?.hasPrefix("id: \(count + 1)\nevent: statement.issued\ndata: {") == true)
        let stored = try sandbox.run(["log", "--from-seq", String(count + 1)]).stdout
        #expect(events.last?.hasSuffix(stored.trimmingCharacters(in: .newlines)) == true)
    }

    @Test(arguments: Backend.allCases) func logFollowPrintsAnotherWritersAppend(backend: Backend) throws {
        let sandbox = try seeded(backend)
        let count = try eventCount(sandbox)
        let follower = Process()
        follower.executableURL = LedgerSandbox.binary
        follower.arguments = ["log", "--follow", "--from-seq", String(count), "--db", sandbox.database]
        var environment = ProcessInfo.processInfo.environment
        if backend == .server { environment["PGPASSWORD"] = try TestServer.password() }
        follower.environment = environment
        let output = Pipe()
        follower.standardOutput = output
        follower.standardError = FileHandle.nullDevice
        try follower.run()
        Thread.sleep(forTimeInterval: 1)
        let file = try sandbox.write("later.ndjson", try statementLine(id: "followed-1") + "\n")
        #expect(try sandbox.run(["append", file]).status == 0)
        Thread.sleep(forTimeInterval: 1.5)
        follower.interrupt()
        follower.waitUntilExit()
        #expect(follower.terminationStatus == 0)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let expected = try sandbox.run(["log", "--from-seq", String(count)]).stdout
        #expect(printed == expected && printed.split(separator: "\n").count == 2)
        #expect(printed.contains("\"id\":\"followed-1\""))
    }

    @Test func serveTakesItsOwnHelpAndRefusesBadOptions() throws {
        let sandbox = try seeded()
        let help = try sandbox.run(["serve", "--help"], db: false)
        #expect(help.status == 0 && help.stdout.contains("--token-file") && help.stdout.contains("--listen"))
        #expect(try sandbox.run(["--help"], db: false).stdout.contains("serve"))
        let bad = try sandbox.run(["serve", "--listen", "nowhere"])
        #expect(bad.status == 64 && bad.stderr == "error: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n")
        let missing = try sandbox.run(["serve", "--db", sandbox.path("absent.sqlite")], db: false)
        #expect(
            missing.status == 66 && missing.stderr.hasPrefix("error: ") && missing.stderr.contains("no such ledger"))
    }

    @Test func itStopsOnSIGTERMWithAFeedOpen() throws {
        let sandbox = try seeded()
        let service = try ServiceProcess(sandbox)
        let reader = try service.stream("/v1/events/stream?from_seq=70", seconds: 30)
        Thread.sleep(forTimeInterval: 1)
        let started = Date()
        #expect(service.stop() == 0)
        reader.waitUntilExit()
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func tilesGiveTheCheckpointsRoot() throws {
        let sandbox = try seeded()
        let service = try ServiceProcess(sandbox)
        let checkpoint = try service.request("/tlog/checkpoint").text.split(separator: "\n")
        let size = try #require(Int(checkpoint[1]))
        // The level-0 tile holds the leaf hashes; the entry bundle the events' hashes.
        let tile = try service.request("/tlog/tile/0/000.p/\(size)")
        let entries = try service.request("/tlog/tile/entries/000.p/\(size)")
        #expect(tile.status == 200 && tile.body.count == 32 * size && tile.headers["cache-control"] == nil)
        #expect(entries.status == 200 && entries.body.count == 34 * size)
        var leaves: [Data] = []
        for index in 0..<size {
            let entry = entries.body.subdata(in: (index * 34)..<(index * 34 + 34))
            #expect(entry.prefix(2) == Data([0, 32]))
            let leaf = Data(SHA256.hash(data: Data([0]) + entry.dropFirst(2)))
            #expect(leaf == tile.body.subdata(in: (index * 32)..<(index * 32 + 32)))
            leaves.append(leaf)
        }
        // RFC 6962's tree over the leaves, in a few lines: its root is the checkpoint's.
        func root(_ nodes: ArraySlice<Data>) -> Data {
            if nodes.count == 1 { return nodes.first! }
            var split = 1
            while split * 2 < nodes.count { split *= 2 }
            let start = nodes.startIndex
            return Data(
                SHA256.hash(data: Data([1]) + root(nodes[start..<start + split]) + root(nodes[(start + split)...])))
        }
        #expect(root(leaves[...]).base64EncodedString() == checkpoint[2])
        #expect(try service.request("/tlog/tile/0/000.p/\(size + 1)").status == 404)
        #expect(try service.request("/tlog/tile/0/000.p/3").body == tile.body.prefix(96))
    }

    @Test func withAKeyTheCheckpointIsSigned() throws {
        let sandbox = try seeded()
        let key = sandbox.path("signer.key")
        #expect(try sandbox.run(["key", "generate", "example.org/ledger", "--out", key], db: false).status == 0)
        let service = try ServiceProcess(sandbox, ["--key", key])
        let served = try service.request("/tlog/checkpoint")
        let printed = try sandbox.run(["checkpoint", "--key", key]).stdout
        #expect(served.status == 200 && served.text == printed)
        #expect(served.text.hasPrefix("example.org/ledger\n") && served.text.contains("\n\n— example.org/ledger "))
    }

    @Test func theServedOpenAPIDocumentIsTheRepositorysFile() throws {
        let sandbox = try LedgerSandbox()
        #expect(try sandbox.run(["init"]).status == 0)
        let service = try ServiceProcess(sandbox)
        let served = try service.request("/openapi.json")
        let file = try Data(contentsOf: LedgerSandbox.packageRoot.appendingPathComponent("Schemas/openapi.json"))
        #expect(served.status == 200 && served.body == file)
    }

    @Test func aStandbyServesReadsAndRefusesWrites() throws {
        let sandbox = try seeded(.server)
        let standby = try TestServer.standbyURL(database: try #require(sandbox.serverDatabase))
        let (file, token) = try tokenFile(sandbox)
        // Replication is asynchronous: wait until the standby has the database and the seeds.
        let primaryHead = try #require(try sandbox.run(["verify"]).stdout.split(separator: "\n").last.map(String.init))
        var replica = try sandbox.run(["verify", "--db", standby], db: false)
        for _ in 0..<400 where !(replica.status == 0 && replica.stdout.hasSuffix(primaryHead + "\n")) {
            Thread.sleep(forTimeInterval: 0.05)
            replica = try sandbox.run(["verify", "--db", standby], db: false)
        }
        #expect(replica.status == 0, "\(replica.stderr)")
        let service = try ServiceProcess(sandbox, ["--token-file", file], database: standby)
        let head = "\(try eventCount(sandbox)):"
        var health = try service.request("/healthz")
        for _ in 0..<50 where health.headers["ledger-head"]?.hasPrefix(head) != true {
            Thread.sleep(forTimeInterval: 0.2)
            health = try service.request("/healthz")
        }
        #expect(health.headers["ledger-head"]?.hasPrefix(head) == true)
        #expect(
            try service.request("/v1/reports/totals").text
                == (sandbox.run(["report", "totals", "--format", "json"]).stdout))
        let refused = try service.request(
            "POST", "/v1/events", headers: ["Authorization": "Bearer \(token)"],
            body: Data((try statementLine(id: "s-1")).utf8))
        #expect(try refused.status == 403 && errorObject(refused)["code"] as? String == "forbidden")
    }

    /// A statement event with id `id`, as the seeds write one.
    func statementLine(id: String) throws -> String {
        let seeds = try String(
            contentsOf: LedgerSandbox.packageRoot.appendingPathComponent("seeds/04-statements.ndjson"), encoding: .utf8)
        let first = try #require(seeds.split(separator: "\n").first.map(String.init))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let oldID = try #require(object["id"] as? String)
        return first.replacingOccurrences(of: "\"id\":\"\(oldID)\"", with: "\"id\":\"\(id)\"")
            .replacingOccurrences(of: "\"stream\":\"statement/\(oldID)\"", with: "\"stream\":\"statement/\(id)\"")
    }

    func today() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
