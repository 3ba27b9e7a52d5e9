import ArgumentParser
import LedgerAnswers
import LedgerDomain
import LedgerStore

/// `ledger log`: the stored events in `seq` order.
struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print the stored events in seq order (canonical NDJSON, or a table).")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Only this stream, e.g. incident/coincheck-2018.")
    var stream: String?

    @Option(help: "Only events of this type, e.g. attribution.made.")
    var type: String?

    @Option(name: .customLong("from-seq"), help: "Start at this seq.")
    var fromSeq: Int64?

    @Option(help: "At most this many events.")
    var limit: Int64?

    @Option(help: "ndjson (the stored events, exactly as hashed, with their hash) or table.")
    var format: LogFormat = .ndjson

    @Flag(help: "Then print each event appended later, by any writer, as it comes (NDJSON), until interrupted.")
    var follow = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        if follow && format != .ndjson { throw ValidationError("--follow prints NDJSON") }
        if let type, EventType(rawValue: type) == nil {
            throw ValidationError("--type: unknown event type \"\(type)\"")
        }
    }

    func run() throws {
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        if follow {
            // SIGINT or SIGTERM ends the follow: what was printed stands, and it exits 0.
            let interruption = Interruption.catching()
            try LogRun(filter: LogFilter(stream: stream, type: type, fromSeq: fromSeq, limit: limit), format: .ndjson)
                .follow(ledger, to: Output.standardOutput) { (try? interruption.check()) == nil }
            return
        }
        try LogRun(filter: LogFilter(stream: stream, type: type, fromSeq: fromSeq, limit: limit), format: format)
            .write(from: ledger, to: Output.standardOutput)
    }
}

extension LogFormat: ExpressibleByArgument {}
