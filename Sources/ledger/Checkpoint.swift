import ArgumentParser
import LedgerAnswers
import LedgerDomain
import LedgerStore

/// `ledger checkpoint [--origin NAME] [--key FILE]`: the log's tree head in the C2SP
/// `tlog-checkpoint` form (contract section 9): the origin, the tree size, the root in
/// standard base64; with a signer key, a C2SP signed note's signature line follows.
struct Checkpoint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print a checkpoint of the log (C2SP tlog-checkpoint): origin, size, root hash; signed with --key.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The checkpoint's origin line (default: the key's name with --key, else ledger).")
    var origin: String?

    @Option(help: "A signer key file (ledger key generate) to sign the checkpoint with.")
    var key: String?

    func validate() throws {
        if let origin {
            if NoteKey.looksLikeSignerKey(origin) {
                throw ValidationError("--origin: a signer key was given where a checkpoint's origin is expected")
            }
            if origin.isEmpty || origin.contains(where: \.isNewline)
                || origin.unicodeScalars.contains(where: NoteKey.isControl)
            {
                throw ValidationError("--origin must be one non-empty line without control characters")
            }
        }
        if let key, NoteKey.looksLikeSignerKey(key) {
            throw ValidationError("--key: a signer key was given where the path of its file is expected")
        }
    }

    func run() throws {
        let signer = try key.map(SignerKeyFile.read)
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        let output = Output.standardOutput
        try output.write(try CheckpointRun(origin: origin, signer: signer).text(from: ledger))
        try output.flush()
    }
}
