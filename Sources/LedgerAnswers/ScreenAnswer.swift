import LedgerDomain
import LedgerStore

/// `screen QUERY`: the designations active on a day that match a name or an identifier.
public struct ScreenRun: Sendable {
    public var query: String
    public var threshold: Double
    public var format: ReportFormat

    public init(query: String, threshold: Double, format: ReportFormat) {
        self.query = query
        self.threshold = threshold
        self.format = format
    }

    /// The query read (normalised) once; `UsageError.unscreenableQuery` (64) when nothing
    /// in it can be compared.
    public func screener() throws -> Screener {
        let screener = Screener(query: query, threshold: threshold)
        guard screener.isScreenable else { throw UsageError.unscreenableQuery }
        return screener
    }

    /// The columns written: those of a match, and with JSON those that explain it.
    public var columns: [String] {
        ScreeningMatch.columns + (format == .json ? ScreeningMatch.explanationColumns : [])
    }

    /// Each match's cells, in `columns`' order.
    public func rows(of matches: [ScreeningMatch], for screener: Screener) -> [[Cell]] {
        matches.map { match in
            match.cells + (format == .json ? match.explanation(query: screener.normalizedQuery) : [])
        }
    }

    /// Writes the matches of the query in `session` to `output`; returns how many matched.
    public func write(using session: ScreeningSession, to output: Output) throws -> Int {
        try write(try screener(), using: session, to: output)
    }

    /// The same, with the query read already (`screener()`).
    public func write(_ screener: Screener, using session: ScreeningSession, to output: Output) throws -> Int {
        let matches = try session.screen(screener)
        try ReportPrinter(columns: columns, format: format, output: output).print { row in
            for cells in rows(of: matches, for: screener) { try row(cells) }
        }
        return matches.count
    }
}

extension ScreeningMatch {
    /// The columns `--format json` adds to explain a match.
    public static let explanationColumns = ["normalized_query", "matched_normalized", "rule"]

    /// The cells of `explanationColumns`.
    public func explanation(query normalizedQuery: String) -> [Cell] {
        [.text(normalizedQuery), .text(matchedNormalized), .text(rule.rawValue)]
    }
}
