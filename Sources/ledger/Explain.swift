import ArgumentParser
import LedgerAnswers
import LedgerDomain
import LedgerStore

/// `ledger explain NAME KEY`: the events behind one row of a report, each with its part in
/// the row that day, then the row (contract section 10).
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "List the events behind one row of a report, and what each one does to the row that day.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "thefts, obligations, actors, statements, designations or totals.")
    var name: ReportName

    @Argument(help: "The row's first column: resolution#obligation for obligations, the year for totals.")
    var key: String

    @Option(
        name: .customLong("as-of"), help: "Valid time YYYY-MM-DD: what could be known that day (default: today, UTC).")
    var asOf: DayArgument?

    @Option(name: .customLong("at-seq"), help: "Transaction time: the ledger as it stood after event SEQ.")
    var atSeq: Int64?

    @Option(help: "table or json.")
    var format: ExplainFormat = .table

    func validate() throws {
        if let atSeq, atSeq < 0 { throw ValidationError("--at-seq must not be negative") }
    }

    func run() throws {
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        try ExplainRun(name: name, key: key, asOf: asOf?.day ?? DayArgument.today, atSeq: atSeq, format: format)
            .write(from: ledger, to: Output.standardOutput)
    }
}

extension ExplainFormat: ExpressibleByArgument {}
