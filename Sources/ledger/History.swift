import ArgumentParser
import LedgerDomain
import LedgerStore

/// `ledger history STREAM`: one entity's events, and its state after each.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show one stream's events with their versions, and the entity's state after each.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The stream, e.g. incident/harmony-horizon-2022.")
    var stream: String

    @Option(
        name: .customLong("as-of"),
        help: "Valid time YYYY-MM-DD: events known later do not count (default: today, UTC).")
    var asOf: DayArgument?

    @Option(help: "table or json.")
    var format: HistoryFormat = .table

    enum HistoryFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func run() throws {
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        let events = try ledger.log.events(of: stream)
        guard !events.isEmpty else { throw InputFileError.noSuchStream(stream) }
        let day = asOf?.day ?? DayArgument.today
        let columns = ["seq", "stream_version", "type", "occurred_on", "known_on", "id", "counts", "state"]
        let printer = ReportPrinter(
            columns: columns, format: format == .json ? .json : .table, output: Output.standardOutput)
        var history = EntityHistory(stream: stream, asOf: day)
        try printer.print { row in
            for (index, logged) in events.enumerated() {
                let state = history.add(logged)
                let counts = logged.event.knownOn <= day
                try row([
                    .number(logged.seq), .number(Int64(index + 1)), .text(logged.event.type.rawValue),
                    .text(logged.event.occurredOn.description), .text(logged.event.knownOn.description),
                    .text(logged.event.id.text), .bool(counts),
                    .text(CanonicalJSON.string(of: state)),
                ])
            }
        }
    }
}
