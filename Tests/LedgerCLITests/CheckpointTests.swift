import Foundation
import LedgerTestSupport
import Testing

/// `ledger checkpoint` and `ledger verify --checkpoint` (contract section 9), unsigned: a
/// checkpoint kept elsewhere proves later that the log only grew.
@Suite struct CheckpointTests {
    @Test(arguments: Backend.allCases) func aCheckpointIsExtendedByAGrowingLogOnly(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let printed = try sandbox.run(["checkpoint", "--origin", "example.org/ledger"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let lines = printed.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[0] == "example.org/ledger" && lines[1] == "14" && lines[3].isEmpty)
        #expect(Data(base64Encoded: String(lines[2]))?.count == 32)
        // The root is the one `prove` gives for the whole log.
        let proof = try sandbox.run(["prove", "1"])
        let root = try #require(
            (try JSONSerialization.jsonObject(with: Data(proof.stdout.utf8)) as? [String: Any])?["root"] as? String)
        #expect(Data(base64Encoded: String(lines[2])).map { $0.map { String(format: "%02x", $0) }.joined() } == root)

        let file = try sandbox.write("checkpoint.txt", printed.stdout)
        #expect(
            try sandbox.run(["append", ReportTests.golden.appendingPathComponent("extra.ndjson").path]).status == 0)
        let grown = try sandbox.run(["verify", "--checkpoint", file])
        #expect(grown.status == 0, "\(grown.stderr)")
        #expect(grown.stdout.contains("checkpoint example.org/ledger 14 extended by the log"))

        // Another history of the same size, a size beyond the log: refused (1).
        let other = try sandbox.write(
            "other.txt", "ledger\n14\n\(Data(repeating: 7, count: 32).base64EncodedString())\n")
        let rewritten = try sandbox.run(["verify", "--checkpoint", other])
        #expect(rewritten.status == 1)
        #expect(
            rewritten.stderr.contains("seq 14: the tree of the first 14 events does not have the checkpoint's root"))
        let beyond = try sandbox.write("beyond.txt", "ledger\n999\n\(String(lines[2]))\n")
        #expect(try sandbox.run(["verify", "--checkpoint", beyond]).status == 1)
        // Not a checkpoint: 65; a missing file: 66.
        for text in ["hello\n", "ledger\n-1\nAAAA\n", "ledger\n014\n\(String(lines[2]))\n", "ledger\n14\nnot base64\n"]
        {
            let bad = try sandbox.write("bad.txt", text)
            #expect(try sandbox.run(["verify", "--checkpoint", bad]).status == 65, "\(text)")
        }
        #expect(try sandbox.run(["verify", "--checkpoint", sandbox.path("missing.txt")]).status == 66)
    }

    @Test func anEmptyLogHasTheEmptyTreesRoot() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        #expect(try sandbox.run(["init"]).status == 0)
        let printed = try sandbox.run(["checkpoint"])
        #expect(printed.stdout == "ledger\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
    }
}
