import LedgerDomain
import LedgerStore

/// How `explain` is written.
public enum ExplainFormat: String, CaseIterable, Sendable {
    case table, json
}

/// `explain NAME KEY`: the events behind one row of a report, each with its part in the row
/// that day, then the row (contract section 10).
public struct ExplainRun {
    public var name: ReportName
    public var key: String
    public var asOf: Day
    public var atSeq: Int64?
    public var format: ExplainFormat

    public init(name: ReportName, key: String, asOf: Day, atSeq: Int64?, format: ExplainFormat) {
        self.name = name
        self.key = key
        self.asOf = asOf
        self.atSeq = atSeq
        self.format = format
    }

    /// Writes the explanation to `output`; `ExplainError.noRow` (66) when the report has no
    /// such row that day.
    public func write(from ledger: Ledger, to output: Output) throws {
        let day = asOf
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
