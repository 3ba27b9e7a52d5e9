import ArgumentParser
import Dispatch
import LedgerDomain

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ledger-bench server`: the PostgreSQL column of the performance figures, measured on the same
/// generator against a server on loopback, each beside the SQLite figure of the same run.
struct Server: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure append, concurrent writers, replay and small reports on a PostgreSQL server.")

    @Option(help: "The server's maintenance database URL (its password in $PGPASSWORD).") var url: String
    @Option(help: "How many events.") var events = 100_000
    @Option(help: "How many designations among them.") var designations = 10_000
    @Option(help: "The ledger binary to measure.") var ledger = ".build/release/ledger"
    @Option(help: "A scratch directory (emptied first).") var work = ".build-bench-server"
    @Option(help: "psql, to create the bench's databases.") var psql = "psql"
    @Option(help: "How many batches each of the four concurrent writers appends.") var batches = 5
    @Option(help: "The mix: own or realistic.") var mix: Mix = .realistic

    func run() throws {
        _ = system("rm -rf '\(work)' && mkdir -p '\(work)'")
        let input = "\(work)/events.ndjson"
        let count = writeGeneratedLedger(to: input, mix: mix, events: events, designations: designations)
        var rows: [(String, String, String, String)] = []
        func row(_ label: String, _ server: Double, _ file: Double) {
            let ratio = file > 0 ? server / file : 0
            rows.append((label, format(server), format(file), format(ratio)))
            print("  \(label): server \(format(server)), file \(format(file)), server/file \(format(ratio))")
        }
        let server = try database("bench_one")
        let fileDB = "\(work)/bench.sqlite"

        print("appending \(count) events, one writer…")
        let serverAppend = try measure([ledger, "append", "--db", server, "--quiet", input])
        guard serverAppend.status == 0 else { throw BenchError.failed("server append failed") }
        let fileAppend = try measure([ledger, "append", "--db", fileDB, "--quiet", input])
        guard fileAppend.status == 0 else { throw BenchError.failed("file append failed") }
        row(
            "append, one writer (events/s)", Double(count) / serverAppend.seconds,
            Double(count) / fileAppend.seconds)

        print("four writers at once…")
        // Each writer appends `batches` batches, so that the writers take turns.
        let perBatch = max(1, count / 4 / batches)
        let perWriter = perBatch * batches
        let writers = try (0..<4).map { writer in
            try (0..<batches).map { batch in
                try writeIncidents(
                    "\(work)/writer-\(writer)-\(batch).ndjson", prefix: "w\(writer)b\(batch)", count: perBatch)
            }
        }
        let single = try writeIncidents("\(work)/single.ndjson", prefix: "single", count: perWriter * 4)
        let lone = try database("bench_lone")
        let loneRun = try measure([ledger, "append", "--db", lone, "--quiet", single])
        guard loneRun.status == 0 else { throw BenchError.failed("lone writer failed") }
        let shared = try database("bench_four")
        let began = now()
        let statuses = Statuses()
        DispatchQueue.concurrentPerform(iterations: 4) { writer in
            // A writer that waited past the busy timeout exits 75 and tries again, as a user would.
            for batch in writers[writer] {
                var status: Int32 = 75
                for _ in 0..<50 where status == 75 {
                    status = (try? measure([ledger, "append", "--db", shared, "--quiet", batch]))?.status ?? -1
                }
                statuses.add(status)
            }
        }
        let together = now() - began
        guard statuses.all.allSatisfy({ $0 == 0 }) else { throw BenchError.failed("a writer failed: \(statuses.all)") }
        let fourRate = Double(perWriter * 4) / together
        let oneRate = Double(perWriter * 4) / loneRun.seconds
        let writersLine =
            "four writers at once on the server: \(format(fourRate)) events/s; one writer, the same events: "
            + "\(format(oneRate)) events/s; four / one: \(format(fourRate / oneRate))"
        print("  " + writersLine)

        print("replaying…")
        let serverReplay = try measure([ledger, "replay", "--db", server, "--quiet"])
        guard serverReplay.status == 0 else { throw BenchError.failed("server replay failed") }
        let fileReplay = try measure([ledger, "replay", "--db", fileDB, "--quiet"])
        row("replay (events/s)", Double(count) / serverReplay.seconds, Double(count) / fileReplay.seconds)

        print("verifying…")
        let serverVerify = try measure([ledger, "verify", "--db", server])
        guard serverVerify.status == 0 else { throw BenchError.failed("server verify failed") }
        let fileVerify = try measure([ledger, "verify", "--db", fileDB])
        row("verify (events/s)", Double(count) / serverVerify.seconds, Double(count) / fileVerify.seconds)

        print("reports…")
        var random = SeededRandom(state: 7)
        var onServer: [Double] = []
        var onFile: [Double] = []
        for name in ReportName.allCases {
            for _ in 0..<8 {
                let day = Day(year: 2006 + random.below(21), month: 1 + random.below(12), day: 1 + random.below(28))!
                let arguments = ["report", name.rawValue, "--as-of", "\(day)", "--format", "csv"]
                let a = try measure([ledger] + arguments + ["--db", server])
                let b = try measure([ledger] + arguments + ["--db", fileDB])
                guard a.status == 0, b.status == 0 else { throw BenchError.failed("report \(name) failed") }
                if b.lines - 1 <= 1_000 {
                    onServer.append(a.seconds)
                    onFile.append(b.seconds)
                }
            }
        }
        row(
            "report ≤1,000 rows, p95 (ms, process included)", percentile(onServer, 95) * 1000,
            percentile(onFile, 95) * 1000)

        print("")
        print("| figure (\(count) events) | PostgreSQL | SQLite | PostgreSQL / SQLite |")
        print("|---|---|---|---|")
        for (label, a, b, ratio) in rows { print("| \(label) | \(a) | \(b) | \(ratio) |") }
        print("")
        print(writersLine)
    }

    /// A new, empty database on the server for one measurement; its URL.
    private func database(_ name: String) throws -> String {
        let drop = try measure([psql, "-X", "-q", "-d", url, "-c", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
        let create = try measure([psql, "-X", "-q", "-d", url, "-c", "CREATE DATABASE \(name)"])
        guard drop.status == 0, create.status == 0 else { throw BenchError.failed("cannot create database \(name)") }
        guard let slash = url.lastIndex(of: "/") else { throw BenchError.failed("--url names no database") }
        return url[...slash] + name
    }

    /// `count` independent theft reports, ids and streams unique to `prefix`.
    private func writeIncidents(_ path: String, prefix: String, count: Int) throws -> String {
        guard let file = fopen(path, "w") else { throw BenchError.failed("cannot write \(path)") }
        for index in 0..<count {
            fputs(
                #"{"id":"\#(prefix)-\#(index)","type":"theft.reported","stream":"incident/\#(prefix)-\#(index)","occurred_on":"2022-01-01","source":{"publisher":"Bench"},"data":{"victim":"V \#(index)","amount_usd":\#(index),"assets":["ETH"],"methods":[]}}"#
                    + "\n", file)
        }
        fclose(file)
        return path
    }
}

/// Exit statuses gathered from the writer threads.
private final class Statuses: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = PThreadMutex()
    private var items: [Int32] = []
    func add(_ item: Int32) { lock.withLock { items.append(item) } }
    var all: [Int32] { lock.withLock { items } }
}

/// A mutex on pthreads (the bench does not import Foundation).
private final class PThreadMutex: @unchecked Sendable {
    // @unchecked: the mutex is what makes it safe.
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
