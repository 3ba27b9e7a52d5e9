import ArgumentParser
import LedgerDomain
import LedgerStore

/// `ledger append [FILE…]`: one atomic batch from NDJSON files, or standard input.
struct Append: ParsableCommand {
    static let configuration = CommandConfiguration(
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
        let ledger = try Ledger.openForWriting(path: database.resolvedPath)
        let appender = try ledger.beginAppend(recordedBy: recordedBy)
        let decoder = EventDecoder()
        let progress = Progress(verb: "appended", quiet: quiet)
        let totalBytes = inputs.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
        var done: Int64 = 0
        var doneBytes: Int64 = 0
        defer { progress.finish() }
        do {
            for input in inputs {
                try input.forEachLine { lineNumber, bytes in
                    do {
                        _ = try appender.add(try decoder.decode(bytes))
                        done += 1
                        progress.update(
                            events: done,
                            fraction: totalBytes > 0
                                ? Double(doneBytes + input.bytesRead) / Double(totalBytes) : nil)
                    } catch let error as EventValidationError {
                        throw InputError(
                            file: input.name, line: lineNumber, field: error.field, reason: error.reason)
                    }
                }
                doneBytes += input.bytesRead
            }
            let summary = try appender.commit()
            try Output.standardOutput.line("appended \(summary.appended), skipped \(summary.skipped)")
            try Output.standardOutput.flush()
        } catch {
            appender.rollback()
            throw error
        }
    }
}
