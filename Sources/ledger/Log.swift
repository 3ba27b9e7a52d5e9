import ArgumentParser
import LedgerDomain
import LedgerStore

/// `ledger log`: the stored events in `seq` order.
struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print the stored events in seq order (canonical NDJSON, or a table).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case ndjson, table
    }

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
    var format: Format = .ndjson

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        if let type, EventType(rawValue: type) == nil {
            throw ValidationError("--type: unknown event type \"\(type)\"")
        }
    }

    func run() throws {
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        let filter = LogFilter(stream: stream, type: type, fromSeq: fromSeq, limit: limit)
        let output = Output.standardOutput
        switch format {
        case .ndjson:
            try ledger.log.forEachEvent(filter) { event in
                try output.write(event.canonicalBytes(includingHash: true))
                output.write(byte: 0x0A)
            }
        case .table:
            let table = TableWriter(
                headers: ["seq", "stream", "version", "type", "occurred_on", "id", "recorded_at", "recorded_by"],
                output: output)
            try ledger.log.forEachEvent(filter) { event in
                try table.row([
                    String(event.seq), event.stream, String(event.streamVersion), event.type, event.occurredOn,
                    event.id, event.recordedAt, event.recordedBy,
                ])
            }
            try table.finish()
        }
        try output.flush()
    }
}
