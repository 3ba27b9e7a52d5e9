import ArgumentParser
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
        let appender = try ledger.beginAppend(recordedBy: recordedBy)
        let interruption = Interruption.catching()
        let decoder = EventDecoder()
        let progress = Progress(verb: "appended", quiet: quiet)
        let totalBytes = inputs.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
        var done: Int64 = 0
        var doneBytes: Int64 = 0
        defer { progress.finish() }
        // Events are decoded as they are read and added in groups of `lookAheadSize`, each group's
        // reads made at once (`lookAhead`). A line that does not decode first adds the events
        // before it, so the error named is still the first bad line's.
        var group: [(file: String, line: Int, event: Event)] = []
        let groupSize = appender.lookAheadSize
        func addGroup() throws {
            if group.count > 1 { try appender.lookAhead(group.map(\.event)) }
            for item in group {
                do {
                    _ = try appender.add(item.event)
                } catch let error as EventValidationError {
                    throw InputError(file: item.file, line: item.line, field: error.field, reason: error.reason)
                }
            }
            done += Int64(group.count)
            group.removeAll(keepingCapacity: true)
        }
        do {
            for input in inputs {
                try input.forEachLine { lineNumber, bytes in
                    try interruption.check()
                    let event: Event
                    do {
                        event = try decoder.decode(bytes)
                    } catch let error as EventValidationError {
                        try addGroup()
                        throw InputError(
                            file: input.name, line: lineNumber, field: error.field, reason: error.reason)
                    }
                    if groupSize == 1 {
                        // Nothing is read ahead: each event is added as it comes.
                        do {
                            _ = try appender.add(event)
                        } catch let error as EventValidationError {
                            throw InputError(
                                file: input.name, line: lineNumber, field: error.field, reason: error.reason)
                        }
                        done += 1
                        progress.update(
                            events: done,
                            fraction: totalBytes > 0
                                ? Double(doneBytes + input.bytesRead) / Double(totalBytes) : nil)
                        return
                    }
                    group.append((input.name, lineNumber, event))
                    if group.count >= groupSize {
                        try addGroup()
                        progress.update(
                            events: done,
                            fraction: totalBytes > 0
                                ? Double(doneBytes + input.bytesRead) / Double(totalBytes) : nil)
                    }
                }
                doneBytes += input.bytesRead
            }
            try addGroup()
            try interruption.check()
            let summary = try appender.commit()
            try Output.standardOutput.line("appended \(summary.appended), skipped \(summary.skipped)")
            try Output.standardOutput.flush()
        } catch {
            appender.rollback()
            throw error
        }
    }
}
