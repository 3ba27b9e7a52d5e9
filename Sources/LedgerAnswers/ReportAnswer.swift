import LedgerDomain
import LedgerStore

/// How a report is written.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

extension Day {
    /// Today in UTC, the default of every `--as-of` and `as_of`.
    public static var today: Day {
        Day(String(Clock.now().prefix(10))) ?? Day(year: 1970, month: 1, day: 1)!
    }
}

/// One report as the ledger stood: its name, format, day and `seq`.
public struct ReportRun {
    public var name: ReportName
    public var format: ReportFormat
    public var asOf: Day
    public var atSeq: Int64?

    public init(name: ReportName, format: ReportFormat, asOf: Day, atSeq: Int64?) {
        self.name = name
        self.format = format
        self.asOf = asOf
        self.atSeq = atSeq
    }

    /// Writes the report to `output`; returns the number of data rows.
    public func write(from ledger: Ledger, to output: Output) throws -> Int {
        let reports = Reports(asOf: asOf, source: try ledger.entities(asOf: asOf, atSeq: atSeq))
        var rows = 0
        try ReportPrinter(columns: name.columns, format: format, output: output).print { row in
            try reports.rows(of: name) { cells in
                rows += 1
                try row(cells)
            }
        }
        return rows
    }
}

/// Writes report rows as they come, in the chosen format.
public struct ReportPrinter {
    public var columns: [String]
    public var format: ReportFormat
    public var output: Output

    public init(columns: [String], format: ReportFormat, output: Output) {
        self.columns = columns
        self.format = format
        self.output = output
    }

    /// Writes the header, every row `produce` hands over, and the closing lines.
    public func print(_ produce: (([Cell]) throws -> Void) throws -> Void) throws {
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
