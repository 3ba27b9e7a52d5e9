import ArgumentParser
import Foundation
import LedgerAnswers
import LedgerDomain
import LedgerImport
import LedgerStore

/// `ledger screen QUERY` or `ledger screen --file FILE`: was this name or address (or any of
/// these customers) on a sanctions list that day?
struct Screen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        // A subcommand of `ledger` even when `parseHot` parses it alone: ArgumentParser then
        // skips its completion-script check (a third of a report's start, all conformance
        // look-ups; `ledger --generate-completion-script` is the root's). Help is unchanged: it
        // names a super-command only for the root of what it describes.
        _superCommandName: "ledger",
        abstract: "Screen a name or an address (or a file of them) against the designations active on a day.",
        discussion: """
            Identifiers match in their canonical form (invisible characters removed; hex and bech32 addresses \
            in either case). Names are normalised (compatibility forms, invisible characters, look-alike letters \
            and other scripts folded to Latin; case, diacritics and punctuation folded): an exact match scores \
            1.00, the same letters with the spaces taken out 0.99, otherwise a word-by-word comparison (order, \
            romanisations of Korean names, phonetic keys, typing slips, abbreviations), at most 0.98, in which \
            generic company words weigh little.
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "A name, an alias or an identifier (a wallet address, say).")
    var query: String?

    @Option(help: "Screen every line of this file (or one column of a CSV file with --column).")
    var file: String?

    @Option(help: "With --file: the file is CSV with a header row; screen this column.")
    var column: String?

    @Option(name: .customLong("as-of"), help: "YYYY-MM-DD: the designations active that day (default: today, UTC).")
    var asOf: DayArgument?

    @Option(help: "The lowest score shown, 0…1.")
    var threshold: Double = 0.85

    @Option(help: "table, csv or json (json also explains each match); with --file, csv (default) or json.")
    var format: ReportFormat?

    @Flag(name: .customLong("fail-on-match"), help: "Exit 1 when anything matches.")
    var failOnMatch = false

    @Flag(help: "No progress on standard error (with --file).")
    var quiet = false

    func validate() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1") }
        switch (query, file) {
        case (nil, nil): throw ValidationError("give a query, or --file FILE")
        case (.some, .some): throw ValidationError("give a query or --file, not both")
        case (.some, nil):
            if column != nil { throw ValidationError("--column goes with --file") }
        case (nil, .some):
            if format == .table { throw ValidationError("--file writes csv or json") }
        }
    }

    func run() throws {
        let day = asOf?.day ?? DayArgument.today
        if let file {
            // One session (a connection of its own) per core: a customer file is screened in
            // blocks of lines shared between them, written in line order.
            // The sessions share the standings they read: a designation is read once per run.
            var sessions: [ScreeningSession] = []
            for _ in 0..<max(1, min(2, ProcessInfo.processInfo.activeProcessorCount)) {
                sessions.append(
                    try ScreeningSession(
                        ledger: try Ledger.openForReading(path: database.resolvedPath), asOf: day,
                        sharing: sessions.first))
            }
            let workers = sessions.map(ScreeningWorker.init(session:))
            try screenFile(file, with: workers)
            return
        }
        // The query is read (normalised) once, before the ledger is opened: an empty one is a
        // usage error whatever the ledger.
        let run = ScreenRun(query: query ?? "", threshold: threshold, format: format ?? .table)
        _ = try run.screener()
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        let matched = try run.write(using: try ScreeningSession(ledger: ledger, asOf: day), to: Output.standardOutput)
        if failOnMatch && matched > 0 { throw ExitCode(Exit.fault) }
    }

    /// How many lines are screened together, shared between the workers.
    static let blockLines = 512

    /// Screens each line (or each row's `--column`) of `path`, writing the matches block by
    /// block, in line order.
    private func screenFile(_ path: String, with workers: [ScreeningWorker]) throws {
        let format = format ?? .csv
        let explains = format == .json
        let columns = ["line", "query"] + ScreeningMatch.columns + (explains ? ScreeningMatch.explanationColumns : [])
        let progress = Progress(verb: "screened", quiet: quiet)
        defer { progress.finish() }
        var screened: Int64 = 0
        var matchedLines = 0
        let threshold = threshold
        try ReportPrinter(columns: columns, format: format, output: Output.standardOutput).print { row in
            var block: [(line: Int, query: String)] = []
            // Lines before a bad one are written, then the first bad line's error (a line
            // with nothing to compare is found by the workers, so the block is written up to it).
            func flush() throws {
                let pending = block
                block.removeAll(keepingCapacity: true)
                let results = try ScreeningWorker.screen(pending.map(\.query), threshold: threshold, with: workers)
                for ((line, query), (normalized, matches)) in zip(pending, results) {
                    guard let matches else {
                        throw InputError(
                            file: path, line: line, field: column ?? "query",
                            reason: "holds no letter, digit or identifier once normalised")
                    }
                    if !matches.isEmpty { matchedLines += 1 }
                    for match in matches {
                        try row(
                            [.number(Int64(line)), .text(query)] + match.cells
                                + (explains ? match.explanation(query: normalized) : []))
                    }
                }
                screened += Int64(pending.count)
                progress.update(events: screened)
            }
            func screen(_ text: String, line: Int) throws {
                let query = text.trimmingWhitespace()
                guard !query.isEmpty else { return }
                block.append((line, query))
                if block.count >= Self.blockLines { try flush() }
            }
            do {
                try read(path) { try screen($0, line: $1) }
            } catch {
                try flush()
                throw error
            }
            try flush()
        }
        if failOnMatch && matchedLines > 0 { throw ExitCode(Exit.fault) }
    }

    /// Hands each line (or each row's `--column`) of `path` to `screen`, with its line number.
    private func read(_ path: String, into screen: (String, Int) throws -> Void) throws {
        if let column {
            var index: Int?
            try CSVRecords(SnapshotInput(path: path, digest: false), strictUTF8: true).forEach { fields, line in
                guard let position = index else {
                    guard let found = fields.firstIndex(of: column) else {
                        throw InputError(
                            file: path, line: line, field: "--column",
                            reason:
                                "no column \"\(column)\" in the header (it has: \(fields.joined(separator: ", ")))")
                    }
                    index = found
                    return
                }
                guard position < fields.count else {
                    throw InputError(
                        file: path, line: line, field: column,
                        reason: "the row has \(fields.count) fields, no \(column)")
                }
                try screen(fields[position], line)
            }
        } else {
            let input = try InputLines(path: path)
            try input.forEachLine { line, bytes in
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw InputError(file: input.name, line: line, field: "query", reason: "is not UTF-8")
                }
                try screen(text.hasSuffix("\r") ? String(text.dropLast()) : text, line)
            }
        }
    }
}

/// One screening session used by one thread at a time: `screen(_:threshold:with:)` hands
/// each worker its own share of a block and waits for all before the next block, so no
/// session is ever used by two threads at once (what makes `@unchecked Sendable` safe).
final class ScreeningWorker: @unchecked Sendable {
    private let session: ScreeningSession
    private var results: [(normalized: String, matches: [ScreeningMatch]?)] = []
    private var failure: (any Error)?

    init(session: ScreeningSession) {
        self.session = session
    }

    /// Each query's normalised form and matches, in the queries' order; nil matches for a
    /// query that has nothing to compare (`Screener.isScreenable`).
    static func screen(_ queries: [String], threshold: Double, with workers: [ScreeningWorker]) throws
        -> [(normalized: String, matches: [ScreeningMatch]?)]
    {
        guard !queries.isEmpty else { return [] }
        DispatchQueue.concurrentPerform(iterations: workers.count) { index in
            let worker = workers[index]
            worker.results.removeAll(keepingCapacity: true)
            worker.failure = nil
            do {
                for position in stride(from: index, to: queries.count, by: workers.count) {
                    let screener = Screener(query: queries[position], threshold: threshold)
                    worker.results.append(
                        (screener.normalizedQuery, screener.isScreenable ? try worker.session.screen(screener) : nil))
                }
            } catch {
                worker.failure = error
            }
        }
        if let failure = workers.lazy.compactMap(\.failure).first { throw failure }
        return (0..<queries.count).map { position in
            workers[position % workers.count].results[position / workers.count]
        }
    }
}
