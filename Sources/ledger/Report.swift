import ArgumentParser
import LedgerDomain
import LedgerStore

/// `ledger report NAME`: a compliance report as of a day, as the ledger stood at a `seq`.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a compliance report: thefts, obligations, actors, statements, designations or totals.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "thefts, obligations, actors, statements, designations or totals.")
    var name: ReportName

    @Option(
        name: .customLong("as-of"), help: "Valid time YYYY-MM-DD: what could be known that day (default: today, UTC).")
    var asOf: DayArgument?

    @Option(name: .customLong("at-seq"), help: "Transaction time: the ledger as it stood after event SEQ.")
    var atSeq: Int64?

    @Option(
        name: .customLong("recorded-until"),
        help: "Transaction time: the ledger as it stood at this RFC 3339 UTC timestamp.")
    var recordedUntil: TimestampArgument?

    @Option(help: "table, csv (RFC 4180) or json.")
    var format: ReportFormat = .table

    @Option(help: "Write to this file (replaced whole when done) instead of standard output.")
    var output: String?

    func validate() throws {
        if atSeq != nil && recordedUntil != nil {
            throw ValidationError("--at-seq and --recorded-until cannot be used together")
        }
        if let atSeq, atSeq < 0 { throw ValidationError("--at-seq must not be negative") }
    }

    func run() throws {
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        let seq = try atSeq ?? recordedUntil.map { try ledger.seq(recordedUntil: $0.normalized) }
        let day = asOf?.day ?? DayArgument.today
        let reports = Reports(asOf: day, source: try ledger.entities(asOf: day, atSeq: seq))
        try ReportOutput.write(to: output, protecting: database.resolvedPath) { out in
            try ReportPrinter(columns: name.columns, format: format, output: out).print { row in
                try reports.rows(of: name, row)
            }
        }
    }
}

/// Writes report rows as they come, in the chosen format.
struct ReportPrinter {
    var columns: [String]
    var format: ReportFormat
    var output: Output

    /// Writes the header, every row `produce` hands over, and the closing lines.
    func print(_ produce: (([Cell]) throws -> Void) throws -> Void) throws {
        switch format {
        case .csv:
            try output.write(CSVEncoding.header(columns))
            try produce { cells in try output.write(appending: { CSVEncoding.append(cells, to: &$0) }) }
        case .json:
            var first = true
            try output.write("[")
            try produce { cells in
                try output.write(first ? "\n" : ",\n")
                try output.write(JSONReportEncoding.object(columns: columns, cells: cells))
                first = false
            }
            try output.write(first ? "]\n" : "\n]\n")
        case .table:
            let table = TableWriter(headers: columns, output: output)
            try produce { cells in try table.row(cells.map(\.plainText)) }
            try table.finish()
        }
        try output.flush()
    }
}
