import ArgumentParser
import LedgerDomain
import LedgerStore

/// `ledger screen QUERY`: was this name or address on a sanctions list that day?
struct Screen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Screen a name or an address against the designations active on a day.",
        discussion: """
            Identifiers match exactly after trimming (0x… hex addresses case-insensitively). Names and \
            aliases are normalised (case folded, diacritics and punctuation removed, white space collapsed): \
            an exact match scores 1.00, otherwise the better of Jaro-Winkler on the names and on their \
            words sorted, at most 0.99.
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "A name, an alias or an identifier (a wallet address, say).")
    var query: String

    @Option(name: .customLong("as-of"), help: "YYYY-MM-DD: the designations active that day (default: today, UTC).")
    var asOf: DayArgument?

    @Option(help: "The lowest score shown, 0…1.")
    var threshold: Double = 0.85

    @Option(help: "table, csv or json.")
    var format: ReportFormat = .table

    @Flag(name: .customLong("fail-on-match"), help: "Exit 1 when anything matches.")
    var failOnMatch = false

    func validate() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1") }
        guard query.contains(where: { !$0.isWhitespace }) else { throw ValidationError("the query is empty") }
    }

    func run() throws {
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        let matches = try ledger.screen(
            Screener(query: query, threshold: threshold), asOf: asOf?.day ?? DayArgument.today)
        try ReportPrinter(columns: ScreeningMatch.columns, format: format, output: Output.standardOutput).print {
            row in
            for match in matches { try row(match.cells) }
        }
        if failOnMatch && !matches.isEmpty { throw ExitCode(Exit.fault) }
    }
}
