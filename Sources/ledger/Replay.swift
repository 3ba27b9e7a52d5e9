import ArgumentParser
import LedgerAnswers
import LedgerDomain
import LedgerStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ledger replay`: rebuilds every projection from the log.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Rebuild every projection from the log; print events replayed, time taken and the projections' digest.",
        discussion: """
            Without --at-seq the stored views are rebuilt in one transaction. With --at-seq N the log up to N \
            is replayed into temporary tables, and nothing is written to the ledger: the digest is that of the projections as they \
            stood after event N.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("at-seq"), help: "Replay only events 1…N, aside: nothing is written to the ledger.")
    var atSeq: Int64?

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        if let atSeq, atSeq < 0 { throw ValidationError("--at-seq must not be negative") }
    }

    func run() throws {
        let start = monotonicSeconds()
        let summary: ReplaySummary
        let progress = Progress(verb: "replayed", quiet: quiet)
        defer { progress.finish() }
        if let atSeq {
            let ledger = try Ledger.openForReading(path: database.resolvedPath, withScratch: true)
            let total = max(1, min(atSeq, try ledger.log.head().seq))
            summary = try ledger.views.replay(atSeq: atSeq) {
                progress.update(events: $0, fraction: Double($0) / Double(total))
            }
        } else {
            let ledger = try openLedgerForWriting(database.resolvedPath)
            let total = max(1, try ledger.log.head().seq)
            summary = try ledger.views.rebuild { progress.update(events: $0, fraction: Double($0) / Double(total)) }
        }
        let seconds = monotonicSeconds() - start
        let output = Output.standardOutput
        let rate = seconds > 0 ? Int(Double(summary.events) / seconds) : 0
        try output.line("replayed \(summary.events) events in \(formatSeconds(seconds)) s (\(rate) events/s)")
        try output.line("projections: \(summary.versions) versions, digest \(summary.digest)")
        try output.flush()
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Seconds with three decimals.
func formatSeconds(_ seconds: Double) -> String {
    let millis = Int((seconds * 1000).rounded())
    let fraction = String(millis % 1000)
    return "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}
