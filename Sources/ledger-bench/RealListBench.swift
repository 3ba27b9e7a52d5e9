import ArgumentParser
import Foundation

/// `ledger-bench real-lists`: the screening speed on the real official lists (issue 25): the
/// OFAC SDN files of 2021-07 and the UN consolidated list of 2026-02-27 imported as published,
/// then a file of names screened whole and single queries timed as new processes. The lists
/// are public but not ours to commit: they live where `Tests/peer-comparison/README.md` says,
/// and the step says so and stops when they are absent.
struct RealListBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "real-lists", abstract: "Screening speed on the real OFAC and UN list files.")

    @Option(help: "The ledger binary to measure.") var ledger = ".build/release/ledger"
    @Option(help: "The list files' folder (Tests/peer-comparison/README.md).")
    var lists = ProcessInfo.processInfo.environment["PEER_LISTS_DIR"] ?? "Tests/peer-comparison/lists"
    @Option(help: "Names to screen, one a line (Tests/peer-comparison/run.sh writes the default).")
    var queries = ".build/peer-comparison/queries.txt"
    @Option(help: "How many single queries to time as new processes.") var processRuns = 200
    @Option(help: "How many times to screen the whole file (the best run counts).") var fileRuns = 3
    @Option(help: "A scratch directory (emptied first).") var work = ".build-bench-real-lists"

    func run() throws {
        let ofac = "\(lists)/ofac_sdn_2021-07"
        let un = "\(lists)/un/UN_consolidated.xml"
        let manager = FileManager.default
        guard manager.fileExists(atPath: "\(ofac)/sdn.csv"), manager.fileExists(atPath: un) else {
            print("real lists: skipped, no list files under \(lists) (see Tests/peer-comparison/README.md)")
            return
        }
        guard FileManager.default.fileExists(atPath: queries) else {
            print("real lists: skipped, no names to screen at \(queries) (Tests/peer-comparison/run.sh writes them)")
            return
        }
        _ = system("rm -rf '\(work)' && mkdir -p '\(work)'")
        let db = "\(work)/lists.sqlite"
        let ofacImport = try measure(
            [
                ledger, "import", "ofac-csv", "\(ofac)/sdn.csv", "\(ofac)/alt.csv", "\(ofac)/add.csv",
                "\(ofac)/sdn_comments.csv", "--published-on", "2021-07-01", "--db", db, "--quiet",
            ], stdoutPath: "/dev/null")
        guard ofacImport.status == 0 else { throw BenchError.failed("the OFAC import failed (\(ofacImport.status))") }
        let unImport = try measure(
            [ledger, "import", "un-xml", un, "--db", db, "--quiet"], stdoutPath: "/dev/null")
        guard unImport.status == 0 else { throw BenchError.failed("the UN import failed (\(unImport.status))") }

        let names = try queryNames()
        /// The best of `fileRuns` runs of `screen --file` on `lines`: seconds and peak memory (KiB).
        func screenFile(_ lines: [String], named name: String) throws -> (seconds: Double, peak: Int) {
            let file = "\(work)/\(name)"
            try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            var best = (seconds: Double.infinity, peak: 0)
            for _ in 0..<max(1, fileRuns) {
                let run = try measure(
                    [ledger, "screen", "--file", file, "--as-of", "2026-03-01", "--format", "csv", "--db", db],
                    stdoutPath: "/dev/null")
                guard run.status == 0 else { throw BenchError.failed("screen --file failed (\(run.status))") }
                best = (min(best.seconds, run.seconds), max(best.peak, run.maxRSSKiB))
            }
            return best
        }
        let (best, peak) = try screenFile(names, named: "queries.txt")
        // A customer-sized file of real names: the unrelated names of `derived/` (legislators,
        // denied persons, Entity List names, later designations) with the labelled queries.
        var customers: [String] = []
        let derived = "\(lists)/derived"
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: derived)) ?? []).sorted()
        where file.hasSuffix(".txt") {
            customers += try String(contentsOfFile: "\(derived)/\(file)", encoding: .utf8).split(separator: "\n")
                .map(String.init).filter { !$0.isEmpty }
        }
        let customerRun = customers.isEmpty ? nil : try screenFile(customers + names, named: "customers.txt")
        var picker = SeededRandom(state: 25)
        var latencies: [Double] = []
        for _ in 0..<processRuns {
            let query = names[picker.below(names.count)]
            let run = try measure(
                [ledger, "screen", query, "--as-of", "2026-03-01", "--format", "csv", "--db", db])
            guard run.status == 0 else { throw BenchError.failed("screen \(query) failed (\(run.status))") }
            latencies.append(run.seconds)
        }
        let rows: [(String, String, String)] = [
            ("OFAC 2021-07 import (8,976 entries, as a process)", "\(format(ofacImport.seconds)) s", ""),
            ("UN 2026-02-27 import (1,003 entries, as a process)", "\(format(unImport.seconds)) s", ""),
            (
                "screen --file, \(names.count) names (best of \(max(1, fileRuns)))",
                "\(rate(names.count, best)) names/s, peak \(peak / 1024) MB", "≥ 2,000 names/s"
            ),
            customerRun.map { run in
                (
                    "screen --file, \(customers.count + names.count) real names (derived/ and the labelled queries)",
                    "\(rate(customers.count + names.count, run.seconds)) names/s, peak \(run.peak / 1024) MB",
                    "≥ 2,000 names/s"
                )
            } ?? ("screen --file, a customer-sized file", "skipped: no derived/ names", "≥ 2,000 names/s"),
            (
                "one query as a new process, \(processRuns) runs, p50 / p95",
                "\(format(percentile(latencies, 50) * 1000)) / \(format(percentile(latencies, 95) * 1000)) ms",
                "p95 ≤ 20 ms"
            ),
        ]
        print("real lists (OFAC 2021-07 + UN 2026-02-27, as of 2026-03-01)")
        print("| what | measured | target |")
        print("|---|---|---|")
        for (what, measured, target) in rows { print("| \(what) | \(measured) | \(target) |") }
    }

    /// The names to screen, one a line: by default the labelled set's queries that
    /// `Tests/peer-comparison/run.sh` writes (real listed names and their variants, and real
    /// unrelated names), which screen as a customer file would: most find nothing, some an entry.
    private func queryNames() throws -> [String] {
        try String(contentsOfFile: queries, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.isEmpty }
    }
}
