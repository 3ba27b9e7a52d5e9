import LedgerDomain
import LedgerStore

/// `history STREAM`: one entity's events, each with its version, whether it counts that
/// day, and the entity's state after it.
public struct HistoryRun {
    public static let columns = ["seq", "stream_version", "type", "occurred_on", "known_on", "id", "counts", "state"]

    public var stream: String
    public var asOf: Day
    /// `.json` or `.table`.
    public var format: ReportFormat

    public init(stream: String, asOf: Day, format: ReportFormat) {
        self.stream = stream
        self.asOf = asOf
        self.format = format
    }

    /// Writes the history to `output`; `InputFileError.noSuchStream` (66) for a stream the
    /// ledger does not hold.
    public func write(from ledger: Ledger, to output: Output) throws {
        let events = try ledger.log.events(of: stream)
        guard !events.isEmpty else { throw InputFileError.noSuchStream(stream) }
        let printer = ReportPrinter(columns: Self.columns, format: format, output: output)
        var history = EntityHistory(stream: stream, asOf: asOf)
        try printer.print { row in
            for (index, logged) in events.enumerated() {
                let state = history.add(logged)
                let counts = logged.event.knownOn <= asOf
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
