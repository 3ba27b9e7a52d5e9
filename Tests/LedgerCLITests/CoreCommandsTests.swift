import Foundation
import LedgerTestSupport
import Testing

@Suite struct CoreCommandsTests {
    @Test(arguments: Backend.allCases) func seedsAppendThenReappendAsSkippedThenVerify(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        #expect(try sandbox.run(["init"]).status == 0)
        let seeds = try LedgerSandbox.seedFiles()
        let first = try sandbox.run(["append"] + seeds)
        #expect(first.status == 0)
        let count = try sandbox.log().split(separator: "\n").count
        #expect(count >= 10)
        #expect(first.stdout == "appended \(count), skipped 0\n")
        let again = try sandbox.run(["append"] + seeds)
        #expect(again.status == 0)
        #expect(again.stdout == "appended 0, skipped \(count)\n")
        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("chain ok: \(count) events"))
        #expect(verify.stdout.contains("head \(count):"))
    }

    @Test func versionIsOneLineOnStandardOutput() throws {
        let sandbox = try LedgerSandbox()
        let result = try sandbox.run(["--version"], db: false)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let line = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(line.count == 2 && line[1].isEmpty, "\(result.stdout)")
        #expect(line.first?.hasPrefix("ledger ") == true && line.first?.contains(".") == true, "\(result.stdout)")
        // Beside other arguments, ArgumentParser answers it, with the same line.
        let beside = try sandbox.run(["--version", "--version"], db: false)
        #expect(beside.status == 0 && beside.stdout == result.stdout, "\(beside.stdout)")
    }

    @Test func helpIsPrintedWithExitZero() throws {
        let sandbox = try LedgerSandbox()
        for arguments in [["--help"], ["help"], ["report", "--help"], ["help", "append"]] {
            let result = try sandbox.run(arguments, db: false)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.contains("USAGE: ledger"), "\(arguments): \(result.stdout)")
            #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
        }
    }

    @Test(arguments: Backend.allCases) func initIsIdempotentAndKeepsEvents(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let before = try sandbox.log()
        #expect(try sandbox.run(["init"]).status == 0)
        #expect(try sandbox.log() == before)
    }

    /// The contract's check, written independently of this project: Python's json and hashlib.
    @Test(arguments: Backend.allCases) func anAuditorCanCheckTheChainWithoutOurCode(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        try sandbox.write(
            "odd.ndjson",
            #"{"id":"odd","type":"actor.identified","stream":"actor/odd","occurred_on":"2020-01-01","source":{"publisher":"Ünïcode \"quoted\"\ttab"},"data":{"name":"北朝鮮 🚀 \u0001","aliases":["a\\b"]}}"#
                + "\n")
        #expect(
            try sandbox.run(["append", sandbox.path("odd.ndjson")], environment: ["LEDGER_ACTOR": "Zoë \"auditor\""])
                .status == 0)
        try sandbox.write("log.ndjson", try sandbox.log())
        let script = """
            import hashlib, json, sys
            prev = "0" * 64
            count = 0
            for line in open(sys.argv[1], encoding="utf-8"):
                event = json.loads(line)
                stored = event.pop("hash")
                body = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                assert line.rstrip("\\n") == json.dumps(dict(event, hash=stored), sort_keys=True, separators=(",", ":"), ensure_ascii=False), "not canonical"
                assert hashlib.sha256(body.encode("utf-8")).hexdigest() == stored, f"hash of {event['seq']}"
                assert event["prev_hash"] == prev, f"chain at {event['seq']}"
                prev = stored
                count += 1
            print(count, prev)
            """
        try sandbox.write("check.py", script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", sandbox.path("check.py"), sandbox.path("log.ndjson")]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let verify = try sandbox.run(["verify"])
        let head = printed.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(head.count == 2)
        #expect(verify.stdout.contains("head \(head[0]):\(head[1])"))
    }

    @Test(arguments: Backend.allCases) func storedEventsCarryTheContractFields(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let first = try #require(try sandbox.log().split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "seq", "id", "type", "stream", "stream_version", "occurred_on", "source", "data", "recorded_at",
                "recorded_by", "prev_hash", "hash",
            ])
        #expect(object["prev_hash"] as? String == String(repeating: "0", count: 64))
        let recordedAt = try #require(object["recorded_at"] as? String)
        #expect(
            recordedAt.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil)
    }

    @Test(arguments: Backend.allCases) func recordedByComesFromActorOptionThenEnvironment(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        let line =
            #"{"id":"a","type":"actor.identified","stream":"actor/a","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"name":"A","aliases":[]}}"#
        let line2 = line.replacingOccurrences(of: "\"a\"", with: "\"b\"").replacingOccurrences(
            of: "actor/a", with: "actor/b")
        let line3 = line.replacingOccurrences(of: "\"a\"", with: "\"c\"").replacingOccurrences(
            of: "actor/a", with: "actor/c")
        try sandbox.run(
            ["append", "--actor", "cli-actor"], stdin: Data((line + "\n").utf8),
            environment: ["LEDGER_ACTOR": "env-actor"])
        try sandbox.run(
            ["append"], stdin: Data((line2 + "\n").utf8), environment: ["LEDGER_ACTOR": "env-actor", "USER": "user"])
        try sandbox.run(["append"], stdin: Data((line3 + "\n").utf8), environment: ["USER": "unix-user"])
        let table = try sandbox.run(["log", "--format", "table"]).stdout
        #expect(table.contains("cli-actor") && table.contains("env-actor") && table.contains("unix-user"))
    }

    @Test(arguments: Backend.allCases) func logFiltersByStreamTypeSeqAndLimit(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let all = try sandbox.log().split(separator: "\n")
        let harmony = try sandbox.run(["log", "--stream", "incident/harmony-horizon-2022"]).stdout.split(
            separator: "\n")
        #expect(harmony.count == 2 && harmony.allSatisfy { $0.contains(#""stream":"incident/harmony-horizon-2022""#) })
        let attributions = try sandbox.run(["log", "--type", "attribution.made"]).stdout.split(separator: "\n")
        #expect(attributions.count == 2 && attributions.allSatisfy { $0.contains(#""type":"attribution.made""#) })
        let tail = try sandbox.run(["log", "--from-seq", "3", "--limit", "2"]).stdout.split(separator: "\n")
        #expect(tail == Array(all[2..<4]))
        let table = try sandbox.run(["log", "--format", "table", "--limit", "1"])
        #expect(table.status == 0)
        #expect(table.stdout.split(separator: "\n").count == 3)  // header, rule, one row
    }

    @Test(arguments: Backend.allCases) func standardInputBlankLinesCRLFAndByteOrderMarkAreAccepted(backend: Backend)
        throws
    {
        let sandbox = try LedgerSandbox(backend: backend)
        let line =
            #"{"id":"a","type":"actor.identified","stream":"actor/a","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"name":"A","aliases":[]}}"#
        let line2 = line.replacingOccurrences(of: "\"a\"", with: "\"b\"").replacingOccurrences(
            of: "actor/a", with: "actor/b")
        var bytes = Data([0xEF, 0xBB, 0xBF])
        bytes.append(Data((line + "\r\n\r\n   \n" + line2).utf8))  // no final line end
        let result = try sandbox.run(["append", "-"], stdin: bytes)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "appended 2, skipped 0\n")
    }

    @Test(arguments: Backend.allCases) func readCommandsOnAMissingLedgerExit66AndCreateNothing(backend: Backend) throws
    {
        let sandbox = try LedgerSandbox(backend: backend)
        for command in [["log"], ["verify"]] {
            let result = try sandbox.run(command)
            #expect(result.status == 66)
            #expect(result.stderr.hasPrefix("error: "))
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.database))
        if backend == .server {
            // The server database is there, and stays without a table.
            #expect(try sandbox.rawQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == ["0"])
        }
    }

    @Test func aFileThatIsNotALedgerIsRefusedAndLeftUntouched() throws {
        let sandbox = try LedgerSandbox()
        let text = Data("name,amount\nnot a ledger,1\n".utf8)
        let path = try sandbox.write("notes.sqlite", text)
        for command in [["append", path], ["report", "thefts"], ["verify"], ["init"]] {
            let result = try sandbox.run(command + ["--db", path], db: false, stdin: Data())
            #expect(result.status == 66 || result.status == 65, "\(command): \(result.status)")
            #expect(result.stderr.hasPrefix("error: \(path): not a ledger"), "\(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }

    @Test(arguments: Backend.allCases) func aMissingInputFileExits66AndAppendsNothing(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let before = try sandbox.log()
        let result = try sandbox.run(["append", try LedgerSandbox.seedFiles()[0], sandbox.path("nope.ndjson")])
        #expect(result.status == 66)
        #expect(result.stderr.contains("nope.ndjson"))
        #expect(try sandbox.log() == before)
    }

    @Test(arguments: [
        ["log", "--format", "xml"], ["verify", "--expect", "nonsense"], ["log", "--limit", "-1"], ["frobnicate"],
        ["log", "--type", "theft.happened"], ["append", "--no-such-flag"],
    ])
    func badUsageExits64WithOneErrorLine(_ arguments: [String]) throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let result = try sandbox.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func databaseComesFromLedgerDBWhenNoOptionIsGiven() throws {
        let sandbox = try LedgerSandbox()
        let path = sandbox.path("from-env.sqlite")
        #expect(try sandbox.run(["init"], db: false, environment: ["LEDGER_DB": path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try sandbox.run(["init"], db: false).status == 0)
        #expect(FileManager.default.fileExists(atPath: sandbox.path("ledger.sqlite")))
    }
}
