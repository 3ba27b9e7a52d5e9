import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `ledger-bench serve`: the service's figures (issue 27), with load from other processes on
/// loopback (`wrk`, `curl`): screening on the real OFAC and UN lists, a small report on a
/// large ledger, appends over HTTP against `ledger append`, the change feed's delay, what
/// idle subscribers cost, and memory under a mixed load.
struct ServeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "The service's figures: requests/s and latency, appends, the change feed.")

    @Option(help: "The ledger binary to measure (ledger-serve beside it).") var ledger = ".build/release/ledger"
    @Option(help: "The real list files' folder (Tests/peer-comparison/README.md).")
    var lists = ProcessInfo.processInfo.environment["PEER_LISTS_DIR"] ?? "Tests/peer-comparison/lists"
    @Option(help: "A large ledger for GET /v1/reports/totals (make bench's 1M-event one); skipped without.")
    var largeLedger: String?
    @Option(help: "Events appended over HTTP and by ledger append.") var events = 20_000
    @Option(help: "Seconds of load for each request figure.") var seconds = 20
    @Option(help: "Seconds of the mixed load whose memory is watched.") var soakSeconds = 600
    @Option(help: "wrk's connections.") var connections = 8
    @Option(help: "A scratch directory (emptied first).") var work = ".build-bench-serve"
    @Flag(help: "Only the mixed load's memory, on --large-ledger (or a generated ledger of --events).")
    var soakOnly = false

    func run() throws {
        _ = system("rm -rf '\(work)' && mkdir -p '\(work)'")
        guard system("command -v wrk >/dev/null && command -v curl >/dev/null") == 0 else {
            throw BenchError.failed("wrk and curl are needed (apt-get install wrk curl)")
        }
        var rows: [(String, String, String)] = []
        if soakOnly {
            let db = largeLedger ?? "\(work)/soak.sqlite"
            if largeLedger == nil {
                let lines = "\(work)/events.ndjson"
                _ = writeGeneratedLedger(to: lines, mix: .realistic, events: events, designations: 0)
                _ = try measure([ledger, "init", "--db", db], stdoutPath: "/dev/null")
                _ = try measure([ledger, "append", lines, "--db", db, "--quiet"], stdoutPath: "/dev/null")
            }
            rows.append(try soak(db))
            printTable(rows)
            return
        }

        // Screening on the real lists.
        let ofac = "\(lists)/ofac_sdn_2021-07"
        let un = "\(lists)/un/UN_consolidated.xml"
        let listsDB = "\(work)/lists.sqlite"
        if FileManager.default.fileExists(atPath: "\(ofac)/sdn.csv") && FileManager.default.fileExists(atPath: un) {
            for arguments in [
                [
                    "import", "ofac-csv", "\(ofac)/sdn.csv", "\(ofac)/alt.csv", "\(ofac)/add.csv",
                    "\(ofac)/sdn_comments.csv", "--published-on", "2021-07-01",
                ],
                ["import", "un-xml", un],
            ] {
                let imported = try measure(
                    [ledger] + arguments + ["--db", listsDB, "--quiet"], stdoutPath: "/dev/null")
                guard imported.status == 0 else { throw BenchError.failed("\(arguments[1]) import failed") }
            }
            let queries = try screeningQueries(listsDB)
            let service = try RunningService(ledger: ledger, db: listsDB, work: work)
            let paths = queries.map { "/v1/screen?q=\(percentEncoded($0))&as_of=2026-03-01" }
            let result = try wrk(service.url, paths: paths, name: "screen")
            rows.append(
                (
                    "GET /v1/screen, real OFAC 2021-07 + UN lists, \(queries.count) names (\(connections) connections)",
                    "\(Int(result.rate)) requests/s, p50 \(format(result.p50)) / p99 \(format(result.p99)) ms, \(result.errors) errors",
                    "≥ 2,000 requests/s, p99 ≤ 20 ms"
                ))
            service.stop()
        } else {
            rows.append(("GET /v1/screen on the real lists", "skipped: no list files under \(lists)", ""))
        }

        // A small report on a large ledger, one request at a time.
        if let largeLedger {
            let service = try RunningService(ledger: ledger, db: largeLedger, work: work)
            let paths = ["2010-06-30", "2015-01-01", "2020-12-31", "2025-06-01"].map {
                "/v1/reports/totals?as_of=\($0)"
            }
            let result = try wrk(service.url, paths: paths, name: "totals", connections: 1, threads: 1)
            rows.append(
                (
                    "GET /v1/reports/totals on \(largeLedger), one connection",
                    "p50 \(format(result.p50)) / p95 \(format(result.p95)) ms, \(Int(result.rate)) requests/s",
                    "p95 ≤ 10 ms"
                ))
            service.stop()
        } else {
            rows.append(("GET /v1/reports/totals on a 1M-event ledger", "skipped: no --large-ledger", "p95 ≤ 10 ms"))
        }

        // Appends: POST /v1/events in batches of 1,000 against ledger append of the same lines.
        let lines = "\(work)/events.ndjson"
        let produced = writeGeneratedLedger(to: lines, mix: .realistic, events: events, designations: 0)
        let token = String(repeating: "b", count: 40)
        let tokens = "\(work)/tokens"
        try "bench \(token)\n".write(toFile: tokens, atomically: true, encoding: .utf8)
        chmod(tokens, 0o600)
        let all = try String(contentsOfFile: lines, encoding: .utf8).split(separator: "\n")
        var batches: [String] = []
        for start in stride(from: 0, to: all.count, by: 1_000) {
            let batch = "\(work)/batch-\(batches.count).ndjson"
            try (all[start..<min(start + 1_000, all.count)].joined(separator: "\n") + "\n").write(
                toFile: batch, atomically: true, encoding: .utf8)
            batches.append(batch)
        }
        // Three runs of each, alternating, into fresh ledgers: the best of each counts (the
        // machine is noisy; the same lines, the same work).
        var appendBest = Double.infinity
        var postBest = Double.infinity
        let appendDB = "\(work)/append.sqlite"
        var writer: RunningService?
        for run in 0..<3 {
            _ = system("rm -f '\(appendDB)' '\(appendDB)-wal' '\(appendDB)-shm'")
            _ = try measure([ledger, "init", "--db", appendDB], stdoutPath: "/dev/null")
            let appended = try measure([ledger, "append", lines, "--db", appendDB, "--quiet"], stdoutPath: "/dev/null")
            guard appended.status == 0 else { throw BenchError.failed("ledger append failed") }
            appendBest = min(appendBest, appended.seconds)
            let postDB = "\(work)/post-\(run).sqlite"
            _ = try measure([ledger, "init", "--db", postDB], stdoutPath: "/dev/null")
            writer?.stop()
            let service = try RunningService(ledger: ledger, db: postDB, work: work, extra: ["--token-file", tokens])
            writer = service
            let postStart = now()
            for batch in batches {
                let posted = try measure(
                    [
                        "curl", "-s", "-f", "-X", "POST", "-H", "Authorization: Bearer \(token)", "--data-binary",
                        "@" + batch, service.url + "/v1/events",
                    ], stdoutPath: "/dev/null")
                guard posted.status == 0 else { throw BenchError.failed("POST /v1/events failed (\(posted.status))") }
            }
            postBest = min(postBest, now() - postStart)
        }
        rows.append(
            (
                "POST /v1/events, \(produced) realistic events in batches of 1,000, against ledger append (best of 3 each)",
                "\(format(postBest)) s against \(format(appendBest)) s: \(format(postBest / appendBest))×",
                "≤ 1.5×"
            ))
        guard let writer else { throw BenchError.failed("no service") }

        // The change feed: from POST sent to the event's arrival at a subscriber.
        let delays = try feedDelays(writer, token: token, count: 50)
        rows.append(
            (
                "change feed, an appended event to a subscriber (\(delays.count) events)",
                "p50 \(format(percentile(delays, 50))) / p99 \(format(percentile(delays, 99))) ms", "p99 ≤ 1,000 ms"
            ))

        // Idle subscribers: what 100 open feeds add to the server's resident memory.
        let before = writer.residentKiB()
        let subscribers = (0..<100).compactMap { _ in openFeed(writer.port) }
        Thread.sleep(forTimeInterval: 3)
        let during = writer.residentKiB()
        subscribers.forEach { close($0) }
        rows.append(
            (
                "\(subscribers.count) idle change-feed subscribers",
                "\(format(Double(during - before) / 1024)) MB more anonymous resident memory (\(before / 1024) → \(during / 1024) MB)",
                "≤ 50 MB"
            ))
        writer.stop()

        // Memory under a mixed load of reports, screens and event pages.
        if soakSeconds > 0 { rows.append(try soak(appendDB)) }
        printTable(rows)
    }

    private func printTable(_ rows: [(String, String, String)]) {
        print(
            "ledger serve (release build, load from wrk and curl on loopback, \(ProcessInfo.processInfo.activeProcessorCount) cores)"
        )
        print("| what | measured | target |")
        print("|---|---|---|")
        for (what, measured, target) in rows { print("| \(what) | \(measured) | \(target) |") }
    }

    /// `soakSeconds` of mixed reads on `db`, its resident memory sampled every 10 s.
    private func soak(_ db: String) throws -> (String, String, String) {
        let service = try RunningService(ledger: ledger, db: db, work: work)
        defer { service.stop() }
        let mixed =
            ["thefts", "totals", "actors", "obligations"].flatMap { name in
                ["2012-01-01", "2019-12-23", "2025-01-01"].map { "/v1/reports/\(name)?as_of=\($0)" }
            } + ["/v1/events?from_seq=1000&limit=500", "/v1/screen?q=Lazarus+Group", "/healthz"]
        let samples = ArrivalLog()
        let soak = soakSeconds
        let sampler = Thread {
            let end = now() + Double(soak)
            var index = 0
            while now() < end {
                samples.note(index, at: Double(service.residentKiB()))
                index += 1
                Thread.sleep(forTimeInterval: 10)
            }
        }
        sampler.start()
        let result = try wrk(service.url, paths: mixed, name: "mixed", duration: soakSeconds)
        Thread.sleep(forTimeInterval: 0.5)
        let sampled = (0..<samples.count).compactMap { samples.time(of: $0).map(Int.init) }
        let minute = sampled.count > 6 ? sampled[6] : sampled.last ?? 0
        return (
            "\(soakSeconds) s of mixed reads on \(db) (\(Int(result.rate)) requests/s): anonymous resident memory",
            "\((sampled.first ?? 0) / 1024) MB at 0 s, \(minute / 1024) MB at 60 s, highest \((sampled.max() ?? 0) / 1024) MB, \(service.residentKiB() / 1024) MB at the end (\(sampled.count) samples)",
            "flat"
        )
    }

    /// Names to screen on the real lists: each listed entity's name as listed, with a word
    /// dropped, with its words reversed, with a letter changed; and as many unrelated
    /// made-up names, which find nothing (as most of a customer file does).
    private func screeningQueries(_ db: String) throws -> [String] {
        let json = "\(work)/designations.json"
        let listed = try measure(
            [ledger, "report", "designations", "--format", "json", "--as-of", "2026-03-01", "--db", db],
            stdoutPath: json)
        guard listed.status == 0,
            let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
                as? [[String: Any]]
        else { throw BenchError.failed("report designations failed") }
        var random = SeededRandom(state: 27)
        var names: [String] = []
        for row in rows {
            guard let name = row["entity"] as? String else { continue }
            let words = name.split(separator: " ")
            switch random.below(4) {
            case 0: names.append(name)
            case 1: names.append(words.count > 2 ? words.dropLast().joined(separator: " ") : name)
            case 2: names.append(words.reversed().joined(separator: " "))
            default:
                var letters = Array(name)
                if letters.count > 4 { letters[random.below(letters.count)] = "e" }
                names.append(String(letters))
            }
        }
        var generator = LedgerGenerator(events: 1, designations: 0, seed: 28)
        for _ in 0..<names.count { names.append(generator.name(2 + random.below(2))) }
        return names.shuffled(using: &random)
    }

    struct WrkResult {
        var rate: Double
        var p50: Double
        var p95: Double
        var p99: Double
        var errors: Int
    }

    /// Runs wrk against `url`, cycling through `paths`; latencies in ms.
    private func wrk(
        _ url: String, paths: [String], name: String, connections: Int? = nil, threads: Int = 2,
        duration: Int? = nil
    ) throws -> WrkResult {
        let script = "\(work)/\(name).lua"
        let table = paths.map {
            "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        try """
        local paths = {\(table.joined(separator: ",\n"))}
        local counter = 0
        local threads = 0
        setup = function(thread) thread:set("offset", threads * 7919); threads = threads + 1 end
        request = function()
          counter = counter + 1
          return wrk.format("GET", paths[((counter + (offset or 0)) % #paths) + 1])
        end
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("RESULT %d %f %f %f %f %d\\n", summary.requests, summary.duration / 1e6,
            latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
            e.connect + e.read + e.write + e.status + e.timeout))
        end
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let output = "\(work)/\(name).wrk"
        let run = try measure(
            [
                "wrk", "-t", String(threads), "-c", String(connections ?? self.connections), "-d",
                "\(duration ?? seconds)s", "--timeout", "10s", "-s", script, url,
            ], stdoutPath: output)
        guard run.status == 0,
            let line = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
                .first(where: { $0.hasPrefix("RESULT ") })
        else { throw BenchError.failed("wrk \(name) failed") }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count == 6 else { throw BenchError.failed("wrk \(name): \(line)") }
        return WrkResult(
            rate: fields[0] / fields[1], p50: fields[2], p95: fields[3], p99: fields[4], errors: Int(fields[5]))
    }

    /// The delay, in ms, from sending each of `count` single-event appends to its arrival on
    /// the change feed.
    private func feedDelays(_ service: RunningService, token: String, count: Int) throws -> [Double] {
        let head = try measure(["curl", "-s", "-o", "\(work)/head.json", service.url + "/healthz"]).status
        guard head == 0, let health = try? String(contentsOfFile: "\(work)/head.json", encoding: .utf8),
            let seqText = health.split(separator: "\"seq\":").last?.prefix(while: \.isNumber), let seq = Int(seqText)
        else { throw BenchError.failed("GET /healthz failed") }
        guard let feed = openFeed(service.port, path: "/v1/events/stream?from_seq=\(seq + 1)") else {
            throw BenchError.failed("cannot open the change feed")
        }
        defer { close(feed) }
        let arrivals = ArrivalLog()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var pending = ""
            while true {
                let read = Glibc.read(feed, &buffer, buffer.count)
                if read <= 0 { return }
                let at = now()
                pending += String(decoding: buffer[0..<read], as: UTF8.self)
                while let end = pending.range(of: "\n") {
                    let line = pending[..<end.lowerBound]
                    if line.hasPrefix("id: "), let id = Int(line.dropFirst(4)) { arrivals.note(id, at: at) }
                    pending = String(pending[end.upperBound...])
                }
                if arrivals.count >= count { return }
            }
        }
        reader.start()
        var random = SeededRandom(state: 31)
        var sent: [Int: Double] = [:]
        for index in 0..<count {
            let id = "feed-\(index)-\(random.below(1_000_000_000))"
            let event =
                "{\"id\":\"\(id)\",\"type\":\"statement.issued\",\"stream\":\"statement/\(id)\",\"occurred_on\":\"2024-01-01\",\"source\":{\"publisher\":\"Bench\",\"url\":\"https://example.org/\(id)\"},\"data\":{\"issuers\":[\"Bench\"],\"kind\":\"other\",\"mentions\":[],\"summary\":\"A bench statement.\"}}\n"
            let file = "\(work)/feed-event.ndjson"
            try event.write(toFile: file, atomically: true, encoding: .utf8)
            sent[seq + 1 + index] = now()
            let posted = try measure(
                [
                    "curl", "-s", "-f", "-X", "POST", "-H", "Authorization: Bearer \(token)", "--data-binary",
                    "@" + file, service.url + "/v1/events",
                ], stdoutPath: "/dev/null")
            guard posted.status == 0 else { throw BenchError.failed("POST of a feed event failed") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let deadline = now() + 5
        while arrivals.count < count && now() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return sent.compactMap { seq, at in arrivals.time(of: seq).map { ($0 - at) * 1000 } }
    }

    /// A connection to `port` that asked for the change feed and is left open; nil on failure.
    private func openFeed(_ port: Int, path: String = "/v1/events/stream?from_seq=1000000000") -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8)
        guard connected == 0, request.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == request.count
        else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    private func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// When each event id arrived on the feed (written by the reader thread, read by the bench);
/// also the memory samples of the mixed load, by sample number.
final class ArrivalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var arrivals: [Int: Double] = [:]

    func note(_ seq: Int, at time: Double) { lock.withLock { arrivals[seq] = time } }
    func time(of seq: Int) -> Double? { lock.withLock { arrivals[seq] } }
    var count: Int { lock.withLock { arrivals.count } }
}

/// `ledger serve` started on a free port for a figure, stopped (SIGTERM) after.
final class RunningService: @unchecked Sendable {
    // `@unchecked Sendable`: its members are set once; the sampler thread only reads /proc.
    let process: Process
    let url: String
    let port: Int

    init(ledger: String, db: String, work: String, extra: [String] = []) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: ledger)
        process.arguments = ["serve", "--db", db, "--listen", "127.0.0.1:0"] + extra
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard text.hasPrefix("listening on http://"), let port = Int(text.split(separator: ":").last ?? "") else {
            throw BenchError.failed("ledger serve did not start: \(text)")
        }
        url = String(text.dropFirst("listening on ".count))
        self.port = port
    }

    /// The server's anonymous resident memory now (heap and stacks: `RssAnon`), in KiB. The
    /// ledger file's pages that SQLite maps are page cache, shared and reclaimable, and are
    /// left out: a report that reads a 750 MB file whole maps most of it, as `ledger report`
    /// does.
    func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
