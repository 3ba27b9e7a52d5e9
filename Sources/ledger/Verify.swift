import ArgumentParser
import LedgerAnswers
import LedgerDomain
import LedgerStore

/// `ledger verify`: checks the hash chain and prints the head.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain and that the stored projections equal a fresh replay; print the head.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "A head printed earlier, SEQ:HASH: event SEQ must still carry HASH.")
    var expect: ExpectedHead?

    @Option(help: "A checkpoint file (ledger checkpoint): the log must still extend it.")
    var checkpoint: String?

    @Option(
        help: "A verifier key, NAME+HASH+KEY (as ledger key generate printed it): the checkpoint must be signed by it.")
    var key: VerifierKeyArgument?

    func validate() throws {
        if key != nil && checkpoint == nil { throw ValidationError("--key needs --checkpoint") }
        if let key, key.verifier == nil {
            throw ValidationError(
                key.isSignerKey
                    ? "--key: a signer key was given where a verifier key is expected (NAME+HASH+KEY, as ledger key generate printed it); keep the signer key secret"
                    : "--key is not a verifier key (NAME+HASH+KEY, as ledger key generate printed it)")
        }
    }

    func run() throws {
        let kept = try checkpoint.map { try TreeCheckpoint(file: $0) }
        if let key = key?.verifier, let kept, let checkpoint {
            guard let note = kept.note, key.verifies(note) else {
                throw VerifyFailure(
                    seq: kept.size,
                    reason:
                        "\(checkpoint) carries no valid signature by the key \(key.name)+\(key.text.split(separator: "+")[1])"
                )
            }
        }
        let ledger = try Ledger.openForReading(path: database.resolvedPath, withScratch: true)
        let guardProblems = try ledger.logGuardProblems()
        let verified = try ledger.verify(expect: expect.map { ($0.seq, $0.hash) })
        let report = verified.chain
        if let fault = report.fault {
            throw VerifyFailure(seq: fault.seq, reason: fault.reason)
        }
        if !guardProblems.isEmpty {
            throw GuardFailure(problems: guardProblems)
        }
        let output = Output.standardOutput
        try output.line("chain ok: \(report.eventCount) events")
        if let expect { try output.line("expected head \(expect.seq):\(expect.hash) matches") }
        if let views = verified.views {
            if let fault = views.fault {
                throw ViewFailure(view: fault.view, stream: fault.stream, reason: fault.reason)
            }
            try output.line("projections ok: digest \(views.digest)")
        } else {
            try output.line("projections: none stored (a ledger from before the stored views; any append builds them)")
        }
        if let kept {
            // The log has only grown since the checkpoint: it holds at least its size, and
            // the tree of that size has its root.
            guard kept.size <= report.eventCount else {
                throw VerifyFailure(
                    seq: report.eventCount,
                    reason: "the log holds \(report.eventCount) events, fewer than the checkpoint's \(kept.size)")
            }
            guard try ledger.proofs.treeRoot(size: kept.size) == kept.rootHex else {
                throw VerifyFailure(
                    seq: kept.size,
                    reason: "the tree of the first \(kept.size) events does not have the checkpoint's root")
            }
            try output.line("checkpoint \(kept.origin) \(kept.size) extended by the log")
            if let key = key?.verifier { try output.line("checkpoint signed by \(key.name)") }
        }
        try output.line("head \(report.headSeq):\(report.headHash)")
        try output.flush()
    }
}

/// `SEQ:HASH`, a head kept from an earlier `verify`.
struct ExpectedHead: ExpressibleByArgument {
    var seq: Int64
    var hash: String

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let seq = Int64(parts[0]), seq >= 1, HashChain.isHash(parts[1]) else { return nil }
        self.seq = seq
        self.hash = parts[1]
    }
}

/// `--key NAME+HASH+KEY`: a checkpoint signer's verifier key. Any text is taken here and
/// judged by `validate`, so that no message ever repeats it (it may be a signer key pasted
/// by mistake).
struct VerifierKeyArgument: ExpressibleByArgument {
    var verifier: NoteVerifier?
    var isSignerKey: Bool

    init?(argument: String) {
        verifier = try? NoteVerifier(text: argument)
        isSignerKey = NoteKey.looksLikeSignerKey(argument)
    }
}
