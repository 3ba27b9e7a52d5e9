import ArgumentParser
import Crypto
import Foundation
import LedgerAnswers
import LedgerDomain
import LedgerStore

/// `ledger report NAME`: a compliance report as of a day, as the ledger stood at a `seq`.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        // A subcommand of `ledger` even when `parseHot` parses it alone: ArgumentParser then
        // skips its completion-script check (a third of a report's start, all conformance
        // look-ups; `ledger --generate-completion-script` is the root's). Help is unchanged: it
        // names a super-command only for the root of what it describes.
        _superCommandName: "ledger",
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

    @Flag(help: "With --output FILE, also write FILE.manifest.json pinning the report to the ledger's head and tree.")
    var manifest = false

    func validate() throws {
        if manifest && output == nil { throw ValidationError("--manifest needs --output FILE") }
        if atSeq != nil && recordedUntil != nil {
            throw ValidationError("--at-seq and --recorded-until cannot be used together")
        }
        if let atSeq, atSeq < 0 { throw ValidationError("--at-seq must not be negative") }
    }

    func run() throws {
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        var seq = try atSeq ?? recordedUntil.map { try ledger.log.seq(recordedUntil: $0.normalized) }
        let day = asOf?.day ?? DayArgument.today
        if manifest {
            // The manifest pins the ledger as it stood: a seq beyond the log is the head.
            let count = try ledger.log.eventCount()
            seq = min(seq ?? count, count)
        }
        let run = ReportRun(name: name, format: format, asOf: day, atSeq: seq)
        var digest = SHA256()
        try ReportOutput.write(to: output, protecting: database.resolvedPath) { out in
            // Only a manifest needs the output's digest: a plain export does not pay for it.
            if manifest { out.tap = { digest.update(bufferPointer: $0) } }
            let rows = try run.write(from: ledger, to: out)
            guard manifest, let output, let seq else { return }
            // The manifest is written, whole, before the report is renamed into place: an
            // error leaves both files as they were.
            try out.flush()
            guard let hash = try ledger.log.eventHash(seq: seq) else {
                throw ValidationError("--at-seq \(seq) is beyond the log")
            }
            let pinned = ReportManifest(
                report: name, format: format, asOf: day, atSeq: seq, output: output, rows: rows,
                sha256: digest.finalize().map { String(format: "%02x", $0) }.joined(),
                headHash: hash, treeRoot: try ledger.proofs.treeRoot(size: seq), createdAt: Clock.now())
            try ReportOutput.write(to: output + ".manifest.json", protecting: database.resolvedPath) { file in
                try file.write(pinned.json)
                try file.flush()
            }
        }
    }
}
