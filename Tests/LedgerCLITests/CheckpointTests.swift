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

    @Test func aKeyIsWrittenForItsOwnerOnlyAndNeverOverwritten() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        let made = try sandbox.run(
            ["key", "generate", "example.org/ledger", "--out", sandbox.path("signer.key")], db: false)
        #expect(made.status == 0, "\(made.stderr)")
        let verifierKey = made.stdout.trimmingCharacters(in: .newlines)
        #expect(
            verifierKey.hasPrefix("example.org/ledger+") && verifierKey.split(separator: "+", maxSplits: 2).count == 3)
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.path("signer.key"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let secret = try String(contentsOfFile: sandbox.path("signer.key"), encoding: .utf8)
        #expect(secret.hasPrefix("PRIVATE+KEY+example.org/ledger+"))
        #expect(!made.stdout.contains(secret.split(separator: "+", maxSplits: 4)[4].trimmingCharacters(in: .newlines)))
        // Never overwritten: 64, the file as it was. A bad name: 64, nothing written.
        let again = try sandbox.run(["key", "generate", "other", "--out", sandbox.path("signer.key")], db: false)
        #expect(again.status == 64 && again.stderr.hasPrefix("error: ") && again.stdout.isEmpty)
        #expect(try String(contentsOfFile: sandbox.path("signer.key"), encoding: .utf8) == secret)
        for name in ["two words", "a+b", ""] {
            #expect(
                try sandbox.run(["key", "generate", name, "--out", sandbox.path("bad.key")], db: false).status == 64)
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("bad.key")))
    }

    @Test(arguments: Backend.allCases) func aSignedCheckpointHoldsOnlyWithItsKeyAndItsLog(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let keyFile = sandbox.path("signer.key")
        let verifierKey = try sandbox.run(["key", "generate", "auditor.example", "--out", keyFile], db: false)
            .stdout.trimmingCharacters(in: .newlines)
        let signed = try sandbox.run(["checkpoint", "--key", keyFile])
        #expect(signed.status == 0, "\(signed.stderr)")
        let lines = signed.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The origin defaults to the key's name; an empty line, then `— NAME BASE64`.
        #expect(lines.count == 6 && lines[0] == "auditor.example" && lines[1] == "14" && lines[3].isEmpty)
        #expect(lines[4].hasPrefix("\u{2014} auditor.example ") && lines[5].isEmpty)
        #expect(Data(base64Encoded: String(lines[4].split(separator: " ")[2]))?.count == 68)
        let secret = try String(contentsOfFile: keyFile, encoding: .utf8).split(separator: "+", maxSplits: 4)[4]
            .trimmingCharacters(in: .newlines)
        #expect(!signed.stdout.contains(secret) && !signed.stderr.contains(secret))
        let file = try sandbox.write("checkpoint.txt", signed.stdout)

        let good = try sandbox.run(["verify", "--checkpoint", file, "--key", verifierKey])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("checkpoint signed by auditor.example"))
        // Another key, even of the same name: 1. A malformed verifier key: 64.
        let otherKey = try sandbox.run(
            ["key", "generate", "auditor.example", "--out", sandbox.path("other.key")], db: false
        )
        .stdout.trimmingCharacters(in: .newlines)
        let foreign = try sandbox.run(["verify", "--checkpoint", file, "--key", otherKey])
        #expect(foreign.status == 1 && foreign.stderr.contains("no valid signature by the key auditor.example"))
        #expect(
            try sandbox.run(["verify", "--checkpoint", file, "--key", "auditor.example+00000000+AAAA"]).status == 64)
        #expect(try sandbox.run(["verify", "--key", verifierKey]).status == 64)
        // The body changed under its signature: 1, though the log extends the new body.
        let grown = try sandbox.write("grown.txt", signed.stdout.replacingOccurrences(of: "\n14\n", with: "\n13\n"))
        #expect(try sandbox.run(["verify", "--checkpoint", grown]).status == 1)
        let forged = try sandbox.run(["checkpoint", "--origin", "auditor.example"])
        let unsigned = try sandbox.write("unsigned.txt", forged.stdout)
        #expect(try sandbox.run(["verify", "--checkpoint", unsigned, "--key", verifierKey]).status == 1)

        // The tail cut and the views rebuilt: the chain and the views agree, the checkpoint does not.
        try sandbox.tamper("DELETE FROM events WHERE seq = 14")
        #expect(try sandbox.run(["replay"]).status == 0)
        #expect(try sandbox.run(["verify"]).status == 0)
        let truncated = try sandbox.run(["verify", "--checkpoint", file, "--key", verifierKey])
        #expect(truncated.status == 1)
        #expect(truncated.stderr.contains("fewer than the checkpoint's 14"), "\(truncated.stderr)")
    }

    @Test func aSignerKeyFileMustBeTheOwnersAloneAndWellFormed() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        let keyFile = sandbox.path("signer.key")
        #expect(try sandbox.run(["key", "generate", "k", "--out", keyFile], db: false).status == 0)
        let secret = try String(contentsOfFile: keyFile, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: keyFile)
        let open = try sandbox.run(["checkpoint", "--key", keyFile])
        #expect(open.status == 65 && open.stdout.isEmpty)
        #expect(open.stderr.hasPrefix("error: \(keyFile):1: key: ") && open.stderr.contains("chmod 600"))
        #expect(!open.stderr.contains(secret.split(separator: "+", maxSplits: 4)[4].trimmingCharacters(in: .newlines)))
        for text in ["not a key\n", "k+12345678+AAAA\n", secret.replacingOccurrences(of: "+k+", with: "+j+")] {
            let bad = try sandbox.write("bad.key", text)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: bad)
            let refused = try sandbox.run(["checkpoint", "--key", bad])
            #expect(refused.status == 65 && refused.stdout.isEmpty, "\(text)")
            #expect(refused.stderr.hasPrefix("error: \(bad):1: key: "))
            #expect(
                !refused.stderr.contains(
                    secret.split(separator: "+", maxSplits: 4)[4].trimmingCharacters(in: .newlines)))
        }
        #expect(try sandbox.run(["checkpoint", "--key", sandbox.path("missing.key")]).status == 66)
        // A link is not followed to a key; a key file with a CRLF line end is read.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
        try FileManager.default.createSymbolicLink(atPath: sandbox.path("link.key"), withDestinationPath: keyFile)
        let linked = try sandbox.run(["checkpoint", "--key", sandbox.path("link.key")])
        #expect(linked.status == 65 && linked.stderr.contains("symbolic link"))
        let crlf = try sandbox.write("crlf.key", secret.trimmingCharacters(in: .newlines) + "\r\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: crlf)
        #expect(try sandbox.run(["checkpoint", "--key", crlf]).status == 0)
    }

    @Test(arguments: Backend.allCases) func aStoredTreeThatDisagreesWithTheLogIsNeverSigned(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let keyFile = sandbox.path("signer.key")
        #expect(try sandbox.run(["key", "generate", "k", "--out", keyFile], db: false).status == 0)
        #expect(try sandbox.run(["checkpoint", "--key", keyFile]).status == 0)
        // An inner node of the stored tree rewritten: the root it gives no log ever had.
        let node = try #require(
            try sandbox.rawQuery("SELECT level, start FROM merkle_nodes ORDER BY level DESC LIMIT 1").first)
        let parts = node.split(separator: "|")
        let forged = "'\(String(repeating: "ab", count: 32))'"
        try sandbox.tamper("UPDATE merkle_nodes SET hash = \(forged) WHERE level = \(parts[0]) AND start = \(parts[1])")
        let signed = try sandbox.run(["checkpoint", "--key", keyFile])
        #expect(signed.status == 1, "\(signed.stdout)")
        #expect(signed.stdout.isEmpty)
        #expect(signed.stderr.contains("tree"), "\(signed.stderr)")
    }

    @Test func aSignerKeyIsNeverEchoedWhereverItIsGiven() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        let keyFile = sandbox.path("signer.key")
        #expect(try sandbox.run(["key", "generate", "k", "--out", keyFile], db: false).status == 0)
        let signer = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .newlines)
        let secret = String(signer.split(separator: "+", maxSplits: 4)[4])
        let checkpoint = try sandbox.write("c.txt", try sandbox.run(["checkpoint"]).stdout)
        for arguments in [
            ["verify", "--checkpoint", checkpoint, "--key", signer], ["checkpoint", "--key", signer],
            ["key", "generate", signer, "--out", sandbox.path("new.key")], ["checkpoint", "--origin", signer],
            ["verify", "--expect", signer],
        ] {
            let result = try sandbox.run(arguments)
            #expect(result.status != 0, "\(arguments.prefix(2))")
            #expect(
                !result.stderr.contains(secret) && !result.stdout.contains(secret),
                "\(arguments.prefix(2)): \(result.stderr)")
            #expect(!result.stderr.contains("PRIVATE+KEY"), "\(result.stderr)")
        }
        let given = try sandbox.run(["verify", "--checkpoint", checkpoint, "--key", signer])
        #expect(given.stderr.contains("a signer key was given where a verifier key is expected"), "\(given.stderr)")
    }

    @Test func controlCharactersInKeyNamesAndOriginsAreRefused() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        for name in ["a\u{1b}[31mred", "bell\u{07}", "tab\there", "del\u{7f}"] {
            let made = try sandbox.run(["key", "generate", name, "--out", sandbox.path("k.key")], db: false)
            #expect(made.status == 64, "\(name.debugDescription)")
            #expect(!made.stderr.contains("\u{1b}") && !made.stderr.contains("\u{07}"))
            let origin = try sandbox.run(["checkpoint", "--origin", name])
            #expect(origin.status == 64, "\(name.debugDescription)")
            #expect(origin.stdout.isEmpty && !origin.stderr.contains("\u{1b}") && !origin.stderr.contains("\u{07}"))
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("k.key")))
    }

    @Test func aCheckpointFileWithCRLFLineEndsIsRead() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        let keyFile = sandbox.path("signer.key")
        let verifierKey = try sandbox.run(["key", "generate", "k", "--out", keyFile], db: false).stdout
            .trimmingCharacters(in: .newlines)
        let signed = try sandbox.run(["checkpoint", "--key", keyFile]).stdout
        let file = try sandbox.write("crlf.txt", signed.replacingOccurrences(of: "\n", with: "\r\n"))
        let result = try sandbox.run(["verify", "--checkpoint", file, "--key", verifierKey])
        #expect(result.status == 0, "\(result.stderr)")
    }
}
