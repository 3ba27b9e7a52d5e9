import Foundation
import LedgerTestSupport
import Testing

/// The README's offline checker (Python, standard library and `cryptography`), taken from
/// the README itself and run against the binary's proofs and signed checkpoints: it accepts
/// them, and rejects tampered ones.
@Suite struct OfflineCheckTests {
    /// The script: the ```python block after the README's marker comment.
    static func script() throws -> String {
        let readme = try String(
            contentsOf: LedgerSandbox.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = try #require(readme.range(of: "<!-- check_proofs.py: OfflineCheckTests runs the block below -->"))
        let open = try #require(readme.range(of: "```python\n", range: marker.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "\n```\n", range: open.upperBound..<readme.endIndex))
        return String(readme[open.upperBound..<close.lowerBound]) + "\n"
    }

    func check(_ sandbox: LedgerSandbox, _ script: String, _ arguments: [String]) throws -> RunResult {
        try sandbox.shell("python3 " + ([script] + arguments).map { "'\($0)'" }.joined(separator: " "))
    }

    @Test func theREADMEScriptChecksWhatTheBinaryPrintsAndRejectsTampering() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        let key = try sandbox.run(["key", "generate", "auditor.example", "--out", sandbox.path("a.key")], db: false)
            .stdout.trimmingCharacters(in: .newlines)
        let lastQuarter = try sandbox.write(
            "q3.checkpoint", try sandbox.run(["checkpoint", "--key", sandbox.path("a.key")]).stdout)
        #expect(
            try sandbox.run(["append", ReportTests.golden.appendingPathComponent("extra.ndjson").path]).status == 0)
        let script = try sandbox.write("check_proofs.py", try Self.script())
        let hashes = try sandbox.log().split(separator: "\n").map { line -> String in
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(event["hash"] as? String)
        }
        #expect(hashes.count == 27)

        // Inclusion: every event in several trees; the wrong event, a flipped hash: rejected.
        for size in [1, 2, 7, 14, 16, 27] {
            for seq in Set([1, (size + 1) / 2, size]) {
                let proof = try sandbox.run(["prove", "\(seq)", "--size", "\(size)"])
                let file = try sandbox.write("inclusion.json", proof.stdout)
                let ok = try check(sandbox, script, ["inclusion", file, hashes[seq - 1]])
                #expect(
                    ok.status == 0 && ok.stdout.hasPrefix("ok: event \(seq) is in the tree of size \(size)"), "\(ok)")
                let other = hashes[seq % hashes.count]
                #expect(try check(sandbox, script, ["inclusion", file, other]).status == 1)
                if size > 1 {
                    let path = try #require(
                        (try JSONSerialization.jsonObject(with: Data(proof.stdout.utf8)) as? [String: Any])?["path"]
                            as? [String])
                    let tampered = proof.stdout.replacingOccurrences(of: path[0], with: Self.flip(path[0]))
                    let bad = try sandbox.write("tampered.json", tampered)
                    let rejected = try check(sandbox, script, ["inclusion", bad, hashes[seq - 1]])
                    #expect(rejected.status == 1 && rejected.stdout.hasPrefix("FAILED"), "\(seq) in \(size)")
                }
            }
        }

        // Consistency between every pair of a few sizes; a tampered path or old root: rejected.
        for new in [1, 3, 8, 14, 27] {
            for old in [1, 2, 3, 4, 8, 13, 14, 27] where old <= new {
                let proof = try sandbox.run(["prove", "--consistency", "\(old)", "--size", "\(new)"]).stdout
                let file = try sandbox.write("consistency.json", proof)
                let ok = try check(sandbox, script, ["consistency", file])
                #expect(ok.status == 0, "\(old) → \(new): \(ok)")
                let object = try #require(try JSONSerialization.jsonObject(with: Data(proof.utf8)) as? [String: Any])
                let oldRoot = try #require(object["old_root"] as? String)
                if old < new {
                    let bad = try sandbox.write(
                        "tampered.json", proof.replacingOccurrences(of: oldRoot, with: Self.flip(oldRoot)))
                    #expect(try check(sandbox, script, ["consistency", bad]).status == 1, "\(old) → \(new)")
                    let path = try #require(object["path"] as? [String])
                    let last = try #require(path.last)
                    let flipped = try sandbox.write(
                        "flipped.json", proof.replacingOccurrences(of: last, with: Self.flip(last)))
                    #expect(try check(sandbox, script, ["consistency", flipped]).status == 1, "\(old) → \(new)")
                }
            }
        }

        // A signed checkpoint: accepted with its key; another key, a changed size or root:
        // rejected. A proof tied to a checkpoint: its tree must be the checkpoint's, and its
        // path must hold (a path of zeros with the right root and size is rejected).
        let other = try sandbox.run(["key", "generate", "auditor.example", "--out", sandbox.path("b.key")], db: false)
            .stdout.trimmingCharacters(in: .newlines)
        let checkpoint = try sandbox.run(["checkpoint", "--key", sandbox.path("a.key")]).stdout
        let file = try sandbox.write("checkpoint.txt", checkpoint)
        let ok = try check(sandbox, script, ["checkpoint", file, key])
        #expect(ok.status == 0 && ok.stdout.hasPrefix("ok: checkpoint auditor.example 27 (root "), "\(ok)")
        #expect(ok.stdout.hasSuffix(") signed by auditor.example\n"))
        #expect(try check(sandbox, script, ["checkpoint", file, other]).status == 1)
        let wholeProof = try sandbox.run(["prove", "3"]).stdout
        let whole = try sandbox.write("whole.json", wholeProof)
        let part = try sandbox.write("part.json", try sandbox.run(["prove", "3", "--size", "26"]).stdout)
        #expect(try check(sandbox, script, ["inclusion", whole, hashes[2], file, key]).status == 0)
        #expect(try check(sandbox, script, ["inclusion", part, hashes[2], file, key]).status == 1)
        #expect(try check(sandbox, script, ["inclusion", whole, hashes[2], file, other]).status == 1)
        let wholePath = try #require(
            (try JSONSerialization.jsonObject(with: Data(wholeProof.utf8)) as? [String: Any])?["path"] as? [String])
        var zeroed = wholeProof
        for hash in wholePath {
            zeroed = zeroed.replacingOccurrences(of: hash, with: String(repeating: "0", count: 64))
        }
        let zeroedFile = try sandbox.write("zeroed.json", zeroed)
        #expect(try check(sandbox, script, ["inclusion", zeroedFile, hashes[2], file, key]).status == 1)
        // The log only grew since the checkpoint signed off last quarter (size 14).
        let grown = try sandbox.write("grown.json", try sandbox.run(["prove", "--consistency", "14"]).stdout)
        let fromThirteen = try sandbox.write("thirteen.json", try sandbox.run(["prove", "--consistency", "13"]).stdout)
        let held = try check(sandbox, script, ["consistency", grown, lastQuarter, key])
        #expect(held.status == 0 && held.stdout.contains("the tree of checkpoint auditor.example signed by"), "\(held)")
        #expect(try check(sandbox, script, ["consistency", fromThirteen, lastQuarter, key]).status == 1)
        #expect(try check(sandbox, script, ["consistency", grown, lastQuarter, other]).status == 1)
        let lines = checkpoint.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var resized = lines
        resized[1] = "26"
        let resizedFile = try sandbox.write("resized.txt", resized.joined(separator: "\n"))
        #expect(try check(sandbox, script, ["checkpoint", resizedFile, key]).status == 1)
        var rerooted = lines
        rerooted[2] = Data(repeating: 1, count: 32).base64EncodedString()
        let rerootedFile = try sandbox.write("rerooted.txt", rerooted.joined(separator: "\n"))
        #expect(try check(sandbox, script, ["checkpoint", rerootedFile, key]).status == 1)
        // A signature line that is not base64 before the good one is passed over, as in the ledger.
        var noisy = lines
        noisy.insert("\u{2014} auditor.example !!!", at: 4)
        let noisyFile = try sandbox.write("noisy.txt", noisy.joined(separator: "\n"))
        #expect(try check(sandbox, script, ["checkpoint", noisyFile, key]).status == 0)
        // And the ledger agrees on each.
        #expect(try sandbox.run(["verify", "--checkpoint", file, "--key", key]).status == 0)
        #expect(try sandbox.run(["verify", "--checkpoint", rerootedFile, "--key", key]).status == 1)
    }

    /// `hex` with its first digit changed.
    static func flip(_ hex: String) -> String {
        (hex.first == "0" ? "1" : "0") + hex.dropFirst()
    }
}
