import ArgumentParser
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
        let day = asOf?.day ?? DayArgument.today
        let seq = min(atSeq ?? Int64.max, try ledger.log.eventCount())
        var evidence = RowEvidence(report: name, key: key)
        if evidence.dependsOnCorrectedFields {
            try ledger.log.forEachEvent(LogFilter(stream: evidence.stream, type: EventType.eventCorrected.rawValue)) {
                evidence.noteCorrection(LoggedEvent(seq: $0.seq, event: try $0.event()))
            }
        }
        try ledger.log.forEachEvent(LogFilter(stream: evidence.stream)) { stored in
            guard evidence.mayConsider(type: stored.type, stream: stored.stream) else { return }
            evidence.consider(LoggedEvent(seq: stored.seq, event: try stored.event()))
        }
        let reports = Reports(asOf: day, source: try ledger.entities(asOf: day, atSeq: seq, only: evidence.rowEntity))
        var row: [Cell]?
        try reports.rows(of: name) { cells in
            if row == nil && evidence.isRow(cells) { row = cells }
        }
        guard let row else { throw ExplainError.noRow(report: name.rawValue, key: key, asOf: day, atSeq: atSeq) }
        let events = evidence.parts(asOf: day, atSeq: seq)
        let output = Output.standardOutput
        switch format {
        case .json:
            func text(_ value: String) -> JSONValue { .string(value) }
            let listed = events.map { explained -> String in
                let members: [(String, JSONValue)] = [
                    ("seq", .number(String(explained.seq))), ("id", text(explained.id.text)),
                    ("type", text(explained.type.rawValue)), ("known_on", text(explained.knownOn.description)),
                    ("publisher", text(explained.publisher)), ("part", text(explained.part.description)),
                ]
                return "{"
                    + members.map { CanonicalJSON.string(of: text($0.0)) + ":" + CanonicalJSON.string(of: $0.1) }
                    .joined(separator: ",") + "}"
            }
            try output.write(
                "{\"report\":\(CanonicalJSON.string(of: text(name.rawValue))),\"key\":\(CanonicalJSON.string(of: text(key))),"
                    + "\"as_of\":\"\(day)\",\"at_seq\":\(seq),\"events\":[" + listed.joined(separator: ",") + "],"
                    + "\"row\":\(JSONReportEncoding.object(columns: name.columns, cells: row))}\n")
        case .table:
            let table = TableWriter(headers: ["seq", "id", "type", "known_on", "publisher", "part"], output: output)
            for explained in events {
                try table.row([
                    String(explained.seq), explained.id.text, explained.type.rawValue, explained.knownOn.description,
                    explained.publisher, explained.part.description,
                ])
            }
            try table.finish()
            try output.line("")
            let rowTable = TableWriter(headers: name.columns, output: output)
            try rowTable.row(row.map(\.plainText))
            try rowTable.finish()
        }
        try output.flush()
    }
}

enum ExplainFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// `explain` asked for a row the report does not have that day: exit 66.
enum ExplainError: Error {
    case noRow(report: String, key: String, asOf: Day, atSeq: Int64?)
}
