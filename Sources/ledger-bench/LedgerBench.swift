import ArgumentParser
import Foundation
import LedgerDomain
import LedgerStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ledger-bench`: generates realistic ledgers and measures the `ledger` binary on them.
@main
struct LedgerBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger-bench",
        abstract: "Generate a realistic ledger and measure the ledger on it.",
        subcommands: [
            Generate.self, Run.self, Server.self, Lists.self, ScreeningEvaluation.self, RealListBench.self,
            ServeBench.self,
        ])
}

/// `ledger-bench generate`: a reproducible NDJSON ledger on standard output or in a file.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write N generated events as NDJSON.")

    @Option(help: "How many events.") var events = 1_000_000
    @Option(help: "How many designations among them.") var designations = 100_000
    @Option(help: "The seed.") var seed: UInt64 = 2397
    @Option(help: "The file to write (default: standard output).") var output: String?
    @Option(help: "Instead of a mixed ledger, one long stream: resolution or incident.")
    var longStream: LongStream?
    @Option(help: "The mix: own or realistic.") var mix: Mix = .own

    func run() throws {
        let descriptor = output.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } ?? 1
        guard descriptor >= 0 else { throw BenchError.failed("cannot write \(output ?? "")") }
        var generator = LedgerGenerator(events: events, designations: designations, seed: seed)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        let emit = { (line: String) in
            buffer.append(contentsOf: line.utf8)
            buffer.append(0x0A)
            if buffer.count > 1 << 20 {
                _ = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if let longStream {
            generator.generateLongStream(longStream, emit)
        } else if mix == .realistic {
            generator.generateRealistic(emit)
        } else {
            generator.generate(emit)
        }
        _ = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if descriptor != 1 { close(descriptor) }
    }
}

/// `ledger-bench run`: every figure of the performance issue, as a table and one JSON line.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure append, replay, verify, reports, screen.")

    @Option(help: "How many events.") var events = 1_000_000
    @Option(help: "How many designations among them.") var designations = 100_000
    @Option(help: "The ledger binary to measure.") var ledger = ".build/release/ledger"
    @Option(help: "A scratch directory (emptied first).") var work = ".build-bench"

    @Option(help: "Compliance reports on the one resolution of the long-stream case.")
    var longResolutionEvents = 100_000
    @Option(help: "Attributions and corrections on the one incident of the long-stream case.")
    var longIncidentEvents = 2_000

    @Option(help: "The mix: own (the bench's orderly mix) or realistic (issue 26's random mix).")
    var mix: Mix = .own

    /// How many names the customer file of `screen --file` holds.
    static let customerLines = 10_000

    /// The smaller mixed ledger whose append rate the full one's is compared with.
    static let smallEvents = 100_000

    func run() throws {
        _ = system("rm -rf '\(work)' && mkdir -p '\(work)'")
        let input = "\(work)/events.ndjson"
        let db = "\(work)/bench.sqlite"
        var figures: [(label: String, shown: String, target: String)] = []
        var json: [String: Double] = [:]
        func record(_ key: String, _ label: String, _ value: Double, _ shown: String, target: String = "") {
            figures.append((label, shown, target))
            json[key] = value
            print("  \(label): \(shown)\(target.isEmpty ? "" : " (target \(target))")")
        }

        print("generating \(events) events of the \(mix.rawValue) mix…")
        let start = now()
        let count = writeGeneratedLedger(to: input, mix: mix, events: events, designations: designations)
        print("  generated \(count) events in \(format(now() - start)) s")

        print("appending…")
        let append = try measure([ledger, "append", "--db", db, "--quiet", input])
        guard append.status == 0 else { throw BenchError.failed("append failed (\(append.status))") }
        record("append_events_per_s", "append (events/s)", Double(count) / append.seconds, rate(count, append.seconds))
        record(
            "append_peak_rss_mb", "append peak memory (MB)", Double(append.maxRSSKiB) / 1024,
            "\(append.maxRSSKiB / 1024)", target: "≤ 128")

        let stored = fileSize(db) + fileSize(db + "-wal")
        record(
            "file_size_ratio", "ledger file / NDJSON input (size)", Double(stored) / Double(fileSize(input)),
            "\(format(Double(stored) / Double(fileSize(input)))) (\(stored / 1_000_000) MB)", target: "≤ 2")

        print("importing the same lines with the sqlite3 shell…")
        let shellDB = "\(work)/shell.sqlite"
        let shell = try measure([
            "sqlite3", shellDB, "PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", "PRAGMA cache_size=-65536;",
            "CREATE TABLE raw(line TEXT);", ".mode ascii", ".separator \"\\037\" \"\\n\"", ".import \(input) raw",
            """
            CREATE TABLE events(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
              stream_version INTEGER NOT NULL, line TEXT NOT NULL, UNIQUE (stream, stream_version));
            """,
            """
            INSERT INTO events(id, stream, stream_version, line)
            SELECT json_extract(line, '$.id'), json_extract(line, '$.stream'),
                   row_number() OVER (PARTITION BY json_extract(line, '$.stream') ORDER BY rowid), line
            FROM raw ORDER BY rowid;
            """,
        ])
        guard shell.status == 0 else { throw BenchError.failed("sqlite3 import failed (\(shell.status))") }
        record(
            "sqlite_shell_events_per_s", "sqlite3 shell import (events/s)", Double(count) / shell.seconds,
            rate(count, shell.seconds))
        record(
            "append_vs_shell_ratio", "append time / shell time", append.seconds / shell.seconds,
            format(append.seconds / shell.seconds), target: "≤ 2.5")

        print("replaying…")
        let replay = try measure([ledger, "replay", "--db", db, "--quiet"])
        record(
            "replay_events_per_s", "replay (events/s)", Double(count) / replay.seconds, rate(count, replay.seconds),
            target: "≥ 120000")
        record(
            "replay_peak_rss_mb", "replay peak memory (MB)", Double(replay.maxRSSKiB) / 1024,
            "\(replay.maxRSSKiB / 1024)")

        print("verifying…")
        let verify = try measure([ledger, "verify", "--db", db])
        guard verify.status == 0 else { throw BenchError.failed("verify failed (\(verify.status))") }
        record(
            "verify_events_per_s", "verify (events/s)", Double(count) / verify.seconds, rate(count, verify.seconds),
            target: "≥ 150000")

        // Before the reports and screening, which grow this process (an in-process screen maps
        // the ledger), since a child's peak memory counts this process's (see `Measured`).
        let smallEvents = mix == .realistic ? max(1, count / 4) : Self.smallEvents
        print("appending \(smallEvents) events of the same mix, and the long streams…")
        var peakMiB: [String: Int] = [:]
        func appendRate(_ name: String, events: Int, _ generate: (inout LedgerGenerator, (String) -> Void) -> Void)
            throws -> Double
        {
            let path = "\(work)/\(name).ndjson"
            var generator = LedgerGenerator(events: events, designations: events / 10, seed: 2397)
            let file = fopen(path, "w")
            generate(&generator) { line in
                fputs(line, file)
                fputc(0x0A, file)
            }
            fclose(file)
            let run = try measure([ledger, "append", "--db", "\(work)/\(name).sqlite", "--quiet", path])
            guard run.status == 0 else { throw BenchError.failed("append of \(name) failed (\(run.status))") }
            peakMiB[name] = run.maxRSSKiB / 1024
            return Double(generator.produced) / run.seconds
        }
        let mixedRate = Double(count) / append.seconds
        let smallRate = try appendRate("mixed-small", events: smallEvents) { generator, emit in
            switch mix {
            case .own: generator.generate(emit)
            case .realistic: generator.generateRealistic(emit)
            }
        }
        record(
            "append_small_events_per_s", "append of \(smallEvents) events (events/s)", smallRate,
            rate(Int(smallRate), 1))
        record(
            "append_large_vs_small_ratio", "append rate at \(count) / at \(smallEvents)", mixedRate / smallRate,
            format(mixedRate / smallRate), target: "≥ 0.9")
        for (kind, events) in [(LongStream.resolution, longResolutionEvents), (.incident, longIncidentEvents)] {
            let long = try appendRate("long-\(kind.rawValue)", events: events) { $0.generateLongStream(kind, $1) }
            record(
                "append_long_\(kind.rawValue)_events_per_s",
                "append of one \(kind.rawValue) taking \(events) events (events/s)",
                long, rate(Int(long), 1))
            record(
                "append_long_\(kind.rawValue)_vs_mixed_ratio", "long \(kind.rawValue) rate / mixed rate",
                long / mixedRate, format(long / mixedRate), target: "≥ 0.9")
            let peak = peakMiB["long-\(kind.rawValue)"] ?? 0
            record(
                "append_long_\(kind.rawValue)_peak_rss_mb", "append of the long \(kind.rawValue), peak memory (MB)",
                Double(peak), "\(peak)", target: "≤ 128")
        }

        print("reports…")
        var random = SeededRandom(state: 7)
        var small: [Double] = []
        var largeRows = 0
        var largeSeconds = 0.0
        for name in ReportName.allCases {
            for _ in 0..<8 {
                let day = Day(year: 2006 + random.below(21), month: 1 + random.below(12), day: 1 + random.below(28))!
                let run = try measure([
                    ledger, "report", name.rawValue, "--db", db, "--as-of", "\(day)", "--format", "csv",
                ])
                guard run.status == 0 else { throw BenchError.failed("report \(name) failed") }
                let rows = run.lines - 1
                if rows <= 1_000 {
                    small.append(run.seconds)
                } else {
                    largeRows += rows
                    largeSeconds += run.seconds
                }
            }
        }
        record(
            "report_small_p95_ms", "report ≤1,000 rows, p50 / p95 (ms, a new process)", percentile(small, 95) * 1000,
            "\(format(percentile(small, 50) * 1000)) / \(format(percentile(small, 95) * 1000))", target: "p95 ≤ 15")
        if largeSeconds > 0 {
            record(
                "report_large_rows_per_s", "report large results (rows/s)", Double(largeRows) / largeSeconds,
                rate(largeRows, largeSeconds))
        }

        print("screening…")
        let opened = try Ledger.openForReading(path: db)
        var names: [String] = []
        let statement = try opened.database.prepare(
            "SELECT json_extract(data, '$.entity') FROM events WHERE type = 'designation.added' LIMIT 200")
        while try statement.step() { names.append(statement.string(0)) }
        var latencies: [Double] = []
        let today = Day("2025-12-31")!
        for (index, name) in names.enumerated() {
            var query = name
            if index % 2 == 1, query.count > 4 {  // a one-letter typo
                var characters = Array(query)
                characters[characters.count / 2] = "x"
                query = String(characters)
            }
            let began = now()
            _ = try opened.screen(Screener(query: query, threshold: 0.85), asOf: today)
            latencies.append(now() - began)
        }
        record(
            "screen_p95_ms", "screen, p95 (ms, in process)",
            percentile(latencies, 95) * 1000, format(percentile(latencies, 95) * 1000))

        // The same queries as a user runs them: one new process each.
        var processes: [Double] = []
        for query in names.prefix(60) {
            let run = try measure([ledger, "screen", query, "--db", db, "--as-of", "2025-12-31", "--format", "csv"])
            guard run.status == 0 else { throw BenchError.failed("screen failed (\(run.status))") }
            processes.append(run.seconds)
        }
        record(
            "screen_process_p95_ms", "screen as a new process, p50 / p95 (ms)", percentile(processes, 95) * 1000,
            "\(format(percentile(processes, 50) * 1000)) / \(format(percentile(processes, 95) * 1000))",
            target: "p95 ≤ 15")

        // A customer file: listed names, their typos and look-alikes, and unrelated names.
        let customers = "\(work)/customers.txt"
        var picker = SeededRandom(state: 11)
        var lines: [String] = []
        let firstNames = ["John", "Maria", "Wei", "Olga", "Ahmed", "Yuki", "Carlos", "Anna", "Min", "Pierre"]
        let surnames = ["Smith", "Garcia", "Wang", "Ivanova", "Hassan", "Tanaka", "Silva", "Novak", "Park", "Martin"]
        let firms = ["Trading", "Holdings", "Logistics", "Shipping", "Industries", "Bank", "Capital", "Foods"]
        for index in 0..<Self.customerLines {
            switch index % 4 {
            case 0: lines.append(names[picker.below(names.count)])
            case 1:
                var characters = Array(names[picker.below(names.count)])
                if characters.count > 4 { characters.swapAt(1, 2) }
                lines.append(String(characters))
            case 2:
                lines.append("\(firstNames[picker.below(10)]) \(surnames[picker.below(10)]) \(picker.below(1000))")
            default:
                lines.append(
                    "\(surnames[picker.below(10)]) \(firms[picker.below(firms.count)]) \(picker.below(1000)) Ltd")
            }
        }
        _ = FileManager.default.createFile(
            atPath: customers, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        let batch = try measure([
            ledger, "screen", "--file", customers, "--db", db, "--as-of", "2025-12-31", "--quiet",
        ])
        guard batch.status == 0 else { throw BenchError.failed("screen --file failed (\(batch.status))") }
        record(
            "screen_file_names_per_s", "screen --file (names/s)",
            Double(Self.customerLines) / batch.seconds, rate(Self.customerLines, batch.seconds))
        record(
            "screen_file_peak_rss_mb", "screen --file peak memory (MB, the ledger mapped)",
            Double(batch.maxRSSKiB) / 1024, "\(batch.maxRSSKiB / 1024)")

        print("proofs and checkpoints…")
        try measureProofs(db: db, count: count) { record($0, $1, $2, $3, target: $4) }

        print("one-event appends…")
        var single: [Double] = []
        for index in 0..<20 {
            let path = "\(work)/one-\(index).ndjson"
            let line =
                #"{"id":"bench-one-\#(index)","type":"actor.identified","stream":"actor/bench-one-\#(index)","occurred_on":"2024-01-01","source":{"publisher":"Bench"},"data":{"name":"One \#(index)","aliases":[]}}"#
            _ = system("printf '%s\\n' '\(line)' > '\(path)'")
            let run = try measure([ledger, "append", "--db", db, "--quiet", path])
            guard run.status == 0 else { throw BenchError.failed("one-event append failed") }
            single.append(run.seconds)
        }
        record(
            "append_one_p50_ms", "one-event append as a new process, p50 (ms)", percentile(single, 50) * 1000,
            format(percentile(single, 50) * 1000))

        print("version and exports…")
        var versions: [Double] = []
        for _ in 0..<40 {
            let run = try measure([ledger, "--version"], stdoutPath: "/dev/null")
            guard run.status == 0 else { throw BenchError.failed("ledger --version failed (\(run.status))") }
            versions.append(run.seconds)
        }
        record(
            "version_p50_ms", "ledger --version as a new process, p50 (ms)", percentile(versions, 50) * 1000,
            format(percentile(versions, 50) * 1000), target: "≤ 5")
        let export = try measure([
            ledger, "report", "thefts", "--db", db, "--format", "csv", "--as-of", "2026-12-31",
        ])
        guard export.status == 0 else { throw BenchError.failed("report thefts failed (\(export.status))") }
        record(
            "thefts_csv_rows_per_s", "report thefts as CSV, \(export.lines - 1) rows (rows/s)",
            Double(export.lines - 1) / export.seconds, rate(export.lines - 1, export.seconds), target: "≥ 250000")

        print("")
        print("| figure (\(mix.rawValue) mix, \(count) events) | measured | target |")
        print("|---|---|---|")
        for figure in figures { print("| \(figure.label) | \(figure.shown) | \(figure.target) |") }
        let line = json.keys.sorted().map {
            "\"\($0)\":\(format($0.hasSuffix("ratio") ? json[$0]! : json[$0]!.rounded()))"
        }
        print("{\"mix\":\"\(mix.rawValue)\",\"events\":\(count)," + line.joined(separator: ",") + "}")
    }
}

extension Run {
    /// Section 9's commands as a user runs them, one new process each, at random sizes of
    /// the whole ledger: inclusion and consistency proofs, checkpoints unsigned and signed,
    /// and a manifest's reproduction.
    func measureProofs(db: String, count: Int, record: (String, String, Double, String, String) -> Void) throws {
        var picker = SeededRandom(state: 14)
        func p95(_ key: String, _ label: String, runs: Int, _ arguments: () -> [String]) throws {
            var seconds: [Double] = []
            for _ in 0..<runs {
                let run = try measure([ledger] + arguments() + ["--db", db], stdoutPath: "/dev/null")
                guard run.status == 0 else { throw BenchError.failed("\(key) failed (\(run.status))") }
                seconds.append(run.seconds)
            }
            record(
                key, "\(label) at \(count) events, p50 / p95 (ms, a new process)", percentile(seconds, 95) * 1000,
                "\(format(percentile(seconds, 50) * 1000)) / \(format(percentile(seconds, 95) * 1000))", "")
        }
        try p95("prove_p95_ms", "prove SEQ", runs: 60) { ["prove", String(1 + picker.below(count))] }
        try p95("prove_sized_p95_ms", "prove SEQ --size N", runs: 60) {
            let size = 1 + picker.below(count)
            return ["prove", String(1 + picker.below(size)), "--size", String(size)]
        }
        try p95("prove_consistency_p95_ms", "prove --consistency M", runs: 60) {
            ["prove", "--consistency", String(1 + picker.below(count))]
        }
        try p95("checkpoint_p95_ms", "checkpoint", runs: 30) { ["checkpoint"] }
        let key = "\(work)/bench.key"
        _ = system("rm -f '\(key)'")
        let generated = try measure(
            [ledger, "key", "generate", "bench.example", "--out", key], stdoutPath: "/dev/null")
        guard generated.status == 0 else { throw BenchError.failed("key generate failed") }
        try p95("checkpoint_signed_p95_ms", "checkpoint --key", runs: 30) { ["checkpoint", "--key", key] }
        let output = "\(work)/thefts.csv"
        let report = try measure([
            ledger, "report", "thefts", "--db", db, "--format", "csv", "--as-of", "2025-12-31", "--output", output,
            "--manifest",
        ])
        guard report.status == 0 else { throw BenchError.failed("report --manifest failed") }
        let reproduce = try measure([ledger, "reproduce", output + ".manifest.json", "--db", db])
        guard reproduce.status == 0 else { throw BenchError.failed("reproduce failed (\(reproduce.status))") }
        record(
            "reproduce_thefts_ms", "reproduce the thefts report's manifest (ms)", reproduce.seconds * 1000,
            format(reproduce.seconds * 1000), "")
    }
}

/// The two mixes of `make bench`: the bench's own orderly one, and issue 26's realistic one.
enum Mix: String, ExpressibleByArgument, CaseIterable {
    case own, realistic
}

/// Writes the seeded generator's ledger of `events` events of `mix` to `path`; how many it wrote.
func writeGeneratedLedger(to path: String, mix: Mix = .own, events: Int, designations: Int) -> Int {
    var generator = LedgerGenerator(events: events, designations: designations, seed: 2397)
    let file = fopen(path, "w")
    let emit = { (line: String) in
        fputs(line, file)
        fputc(0x0A, file)
    }
    switch mix {
    case .own: generator.generate(emit)
    case .realistic: generator.generateRealistic(emit)
    }
    fclose(file)
    return generator.produced
}

func percentile(_ values: [Double], _ p: Int) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(p) / 100 * Double(sorted.count)).rounded(.up)) - 1)]
}

func rate(_ count: Int, _ seconds: Double) -> String {
    String(Int(Double(count) / seconds))
}

func format(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

extension LongStream: ExpressibleByArgument {}

/// The size of a file in bytes; 0 if it is missing.
func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
}
