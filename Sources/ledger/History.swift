import ArgumentParser
import LedgerAnswers
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
        try HistoryRun(stream: stream, asOf: asOf?.day ?? DayArgument.today, format: format == .json ? .json : .table)
            .write(from: ledger, to: Output.standardOutput)
    }
}
