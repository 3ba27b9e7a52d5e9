import ArgumentParser
import LedgerAnswers
import LedgerDomain
import LedgerStore

/// `ledger copy --from SRC --to DST`: moves a ledger, or resumes a copy, verbatim.
struct Copy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a ledger's events verbatim into another ledger, checking the chain as it goes.",
        discussion: """
            The destination is created when missing. When it holds a prefix of the source's log, only the rest \
            is copied. Same seq, recorded_at, recorded_by and hashes: afterwards ledger verify prints the same \
            head on both. A source whose chain breaks is copied up to the event before the break, and the \
            command exits 1 naming it.
            """)

    @Option(help: "The ledger to copy from.")
    var from: String

    @Option(help: "The ledger to copy into (created when missing).")
    var to: String

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func run() throws {
        let source = try Ledger.openForReading(path: from)
        if Ledger.isSameLedger(from, to) {
            throw ValidationError("--from and --to are the same ledger (or one of its -wal, -shm, -journal files)")
        }
        let destination = try openLedgerForWriting(to)
        let total = max(1, try source.log.head().seq)
        let progress = Progress(verb: "copied", quiet: quiet)
        let summary = try destination.copy(from: source) {
            progress.update(events: $0, fraction: Double($0) / Double(total))
        }
        progress.finish()
        let output = Output.standardOutput
        try output.line("copied \(summary.copied) events (\(summary.present) already there)")
        try output.line("head \(summary.headSeq):\(summary.headHash)")
        try output.flush()
        if let fault = summary.fault {
            throw CopyFailure(seq: fault.seq, reason: fault.reason)
        }
    }
}
