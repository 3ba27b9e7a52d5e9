import ArgumentParser
import LedgerAnswers
import LedgerDomain
import LedgerStore

/// `ledger append [FILE…]`: one atomic batch from NDJSON files, or standard input.
struct Append: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append NDJSON events from files (or standard input) as one atomic batch.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Who appends (default: $LEDGER_ACTOR, else $USER, else unknown).")
    var actor: String?

    @Argument(help: "NDJSON files; standard input when none (or '-').")
    var files: [String] = []

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        if actor?.isEmpty == true { throw ValidationError("--actor must not be empty") }
    }

    func run() throws {
        let inputs = try (files.isEmpty ? ["-"] : files).map { try InputLines(path: $0) }
        let recordedBy = actor ?? environment("LEDGER_ACTOR") ?? environment("USER") ?? "unknown"
        let ledger = try openLedgerForWriting(database.resolvedPath)
        let batch = try AppendBatch(ledger: ledger, recordedBy: recordedBy)
        let interruption = Interruption.catching()
        let progress = Progress(verb: "appended", quiet: quiet)
        let totalBytes = inputs.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
        var doneBytes: Int64 = 0
        defer { progress.finish() }
        do {
            for input in inputs {
                var reported: Int64 = 0
                try input.forEachLine { lineNumber, bytes in
                    try interruption.check()
                    try batch.add(line: bytes, number: lineNumber, of: input.name)
                    if batch.added != reported {
                        reported = batch.added
                        progress.update(
                            events: batch.added,
                            fraction: totalBytes > 0
                                ? Double(doneBytes + input.bytesRead) / Double(totalBytes) : nil)
                    }
                }
                doneBytes += input.bytesRead
            }
            try interruption.check()
            let summary = try batch.commit()
            try Output.standardOutput.line("appended \(summary.appended), skipped \(summary.skipped)")
            try Output.standardOutput.flush()
        } catch {
            batch.rollback()
            throw error
        }
    }
}
