import Crypto
import Foundation
import LedgerTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `ledger report … --manifest` and `ledger reproduce` (contract section 10): a report file
/// pinned to the ledger's head and tree, and regenerated later byte for byte.
@Suite struct ManifestTests {
    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: Backend.allCases) func aManifestPinsTheReportAndReproduces(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let made = try sandbox.run([
            "report", "thefts", "--as-of", "2023-06-01", "--format", "csv", "--output", "thefts.csv", "--manifest",
        ])
        #expect(made.status == 0 && made.stdout.isEmpty, "\(made.stderr)")
        let report = try Data(contentsOf: URL(fileURLWithPath: sandbox.path("thefts.csv")))
        let manifestText = try String(contentsOfFile: sandbox.path("thefts.csv.manifest.json"), encoding: .utf8)
        let manifest = try object(manifestText)
        #expect(manifest["report"] as? String == "thefts" && manifest["format"] as? String == "csv")
        #expect(manifest["as_of"] as? String == "2023-06-01" && manifest["output"] as? String == "thefts.csv")
        #expect((manifest["at_seq"] as? NSNumber)?.intValue == 14)
        #expect(manifest["sha256"] as? String == SHA256.hash(data: report).map { String(format: "%02x", $0) }.joined())
        let lines = String(decoding: report, as: UTF8.self).split(separator: "\r\n")
        #expect((manifest["rows"] as? NSNumber)?.intValue == lines.count - 1)
        // head is event at_seq; tree the tree of that size, as verify and prove give them.
        let head = try #require(manifest["head"] as? [String: Any])
        let verified = try sandbox.run(["verify"]).stdout
        #expect(verified.contains("head 14:\(head["hash"] as? String ?? "")"))
        let tree = try #require(manifest["tree"] as? [String: Any])
        let proof = try object(try sandbox.run(["prove", "1"]).stdout)
        #expect(tree["root"] as? String == proof["root"] as? String && (tree["size"] as? NSNumber)?.intValue == 14)
        let created = try #require(manifest["created_at"] as? String)
        #expect(created.count == 24 && created.hasSuffix("Z") && created.contains("."))
        // The contract's order of members.
        let keys = ["report", "format", "as_of", "at_seq", "output", "rows", "sha256", "head", "tree", "created_at"]
        let positions = keys.map { manifestText.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && positions.map { $0! } == positions.map { $0! }.sorted())

        let reproduced = try sandbox.run(["reproduce", sandbox.path("thefts.csv.manifest.json")])
        #expect(reproduced.status == 0, "\(reproduced.stderr)")
        #expect(reproduced.stdout.hasPrefix("reproduced thefts as of 2023-06-01 at seq 14: "))
        // The ledger grows: the pinned report is the same.
        #expect(
            try sandbox.run(["append", ReportTests.golden.appendingPathComponent("extra.ndjson").path]).status == 0)
        #expect(try sandbox.run(["reproduce", "thefts.csv.manifest.json"]).status == 0)

        // A manifest whose sha256 is another file's: 1, naming the first line that differs.
        var edited = String(decoding: report, as: UTF8.self).components(separatedBy: "\r\n")
        edited[2] = edited[2].replacingOccurrences(of: "2022", with: "2021")
        let editedBytes = Data(edited.joined(separator: "\r\n").utf8)
        try editedBytes.write(to: URL(fileURLWithPath: sandbox.path("thefts.csv")))
        let editedSHA = SHA256.hash(data: editedBytes).map { String(format: "%02x", $0) }.joined()
        let forged = try sandbox.write(
            "forged.manifest.json",
            manifestText.replacingOccurrences(of: manifest["sha256"] as! String, with: editedSHA))
        let differs = try sandbox.run(["reproduce", forged])
        #expect(differs.status == 1)
        #expect(differs.stderr.contains("it first differs from thefts.csv at line 3"), "\(differs.stderr)")
        // The true manifest still reproduces, but the file beside it is not the pinned one: 1.
        let tampered = try sandbox.run(["reproduce", "thefts.csv.manifest.json"])
        #expect(tampered.status == 1, "\(tampered.stdout)")
        #expect(tampered.stderr.contains("thefts.csv is not the pinned report"), "\(tampered.stderr)")
        #expect(tampered.stderr.contains("line 3"), "\(tampered.stderr)")
        #expect(!tampered.stderr.contains("2021"), "a line's text is never printed: \(tampered.stderr)")
    }

    @Test func aRewrittenHeadIsCaught() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        let out = sandbox.path("actors.json")
        #expect(
            try sandbox.run(["report", "actors", "--format", "json", "--output", out, "--manifest", "--at-seq", "9"])
                .status == 0)
        let manifest = try object(try String(contentsOfFile: out + ".manifest.json", encoding: .utf8))
        #expect((manifest["at_seq"] as? NSNumber)?.intValue == 9)
        #expect(try sandbox.run(["reproduce", out + ".manifest.json"]).status == 0)
        try sandbox.tamper("UPDATE events SET hash = '\(String(repeating: "ab", count: 32))' WHERE seq = 9")
        let rewritten = try sandbox.run(["reproduce", out + ".manifest.json"])
        #expect(rewritten.status == 1)
        #expect(rewritten.stderr.contains("event 9 no longer has the manifest's head hash"), "\(rewritten.stderr)")
    }

    @Test func badManifestsAndUsageAreRefused() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        // --manifest without --output: 64, nothing written.
        let before = try sandbox.files()
        #expect(try sandbox.run(["report", "thefts", "--manifest"]).status == 64)
        #expect(try sandbox.files() == before)
        #expect(
            try sandbox.run(["report", "totals", "--output", "t.csv", "--format", "csv", "--manifest"]).status == 0)
        let good = try String(contentsOfFile: sandbox.path("t.csv.manifest.json"), encoding: .utf8)
        let cases: [(String, String, Int32)] = [
            ("{\n\"report\": ", "manifest", 65),
            ("[1, 2]", "manifest", 65),
            (good.replacingOccurrences(of: "\"totals\"", with: "\"profits\""), "report", 65),
            (good.replacingOccurrences(of: "\"csv\"", with: "\"xml\""), "format", 65),
            (good.replacingOccurrences(of: "\"sha256\": \"", with: "\"sha256\": \"z"), "sha256", 65),
        ]
        for (text, field, status) in cases {
            let file = try sandbox.write("bad.manifest.json", text)
            let refused = try sandbox.run(["reproduce", file])
            #expect(refused.status == status, "\(text)")
            #expect(
                refused.stderr.hasPrefix("error: \(file):") && refused.stderr.contains(": \(field): "),
                "\(refused.stderr)")
            #expect(refused.stdout.isEmpty)
        }
        #expect(try sandbox.run(["reproduce", sandbox.path("missing.json")]).status == 66)
    }

    @Test func aManifestThatCannotBeWrittenLeavesTheReportAsItWas() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        let report = try sandbox.write("thefts.csv", "the report of last quarter\n")
        try FileManager.default.createDirectory(atPath: report + ".manifest.json", withIntermediateDirectories: false)
        let refused = try sandbox.run(["report", "thefts", "--format", "csv", "--output", report, "--manifest"])
        #expect(refused.status == 74 && refused.stderr.contains("manifest.json: cannot write: is a directory"))
        #expect(try String(contentsOfFile: report, encoding: .utf8) == "the report of last quarter\n")
        #expect(try sandbox.files().allSatisfy { !$0.hasPrefix(".thefts.csv") })
    }

    /// A manifest names the report to compare with; only a regular file in the manifest's own
    /// directory is read, without blocking, and its lines are never printed.
    @Test func aManifestCannotMakeReproduceReadOrWaitOnOtherFiles() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        #expect(
            try sandbox.run(["report", "totals", "--output", "t.csv", "--format", "csv", "--manifest"]).status == 0)
        let good = try String(contentsOfFile: sandbox.path("t.csv.manifest.json"), encoding: .utf8)
        try sandbox.write("secret.txt", "year,incidents\nthe secret line\n")
        try FileManager.default.createDirectory(atPath: sandbox.path("sub"), withIntermediateDirectories: true)
        #expect(mkfifo(sandbox.path("sub/fifo"), 0o600) == 0)
        for output in ["/proc/kmsg", "/etc/passwd", "../secret.txt", "../../etc/shadow", "fifo", "/dev/zero"] {
            let file = try sandbox.write(
                "sub/m.manifest.json",
                good.replacingOccurrences(of: "\"output\": \"t.csv\"", with: "\"output\": \"\(output)\""))
            let result = try sandbox.shell(
                #"timeout 20 "$LEDGER" reproduce sub/m.manifest.json --db "$DB"; echo "status $?""#)
            #expect(
                result.stdout.contains("status 0") || result.stdout.contains("status 1"), "\(output): \(result.stdout)")
            #expect(!result.stdout.contains("status 124"), "\(output) hung")
            #expect(
                !result.stderr.contains("secret") && !result.stdout.contains("root:"), "\(output): \(result.stderr)")
            #expect(!result.stderr.contains("differs from \(output)"), "\(output) was read: \(result.stderr)")
            _ = file
        }
    }
}
