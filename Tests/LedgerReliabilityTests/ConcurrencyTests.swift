import Foundation
import LedgerStore
import LedgerTestSupport
import Testing

/// Several processes at once on one ledger file.
@Suite(.serialized) struct ConcurrencyTests {
    /// Four writers, many rounds: every batch lands whole (or is refused with 75 and retried),
    /// the log stays gapless and verifies, and readers never see half a batch.
    @Test(arguments: Backend.allCases) func fourWritersAndAReader(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        #expect(try sandbox.run(["init"]).status == 0)
        let batchSize = 400
        let rounds = 5
        let failures = Failures()
        let group = DispatchGroup()
        for writer in 0..<4 {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                for round in 0..<rounds {
                    let prefix = "w\(writer)-r\(round)"
                    let input = Data(incidents(prefix, count: batchSize).utf8)
                    var attempts = 0
                    while true {
                        attempts += 1
                        guard let result = try? sandbox.run(["append", "--quiet"], stdin: input) else {
                            failures.add("\(prefix): could not run")
                            break
                        }
                        if result.status == 0 { break }
                        if result.status == 75 && attempts < 20 { continue }
                        failures.add("\(prefix): exit \(result.status): \(result.stderr)")
                        break
                    }
                }
            }
        }
        let readerDone = Flag()
        let reader = DispatchGroup()
        reader.enter()
        DispatchQueue.global().async {
            defer { reader.leave() }
            var reads = 0
            while !readerDone.isSet || reads < 3 {
                reads += 1
                guard let result = try? sandbox.run(["report", "thefts", "--format", "csv"]), result.status == 0 else {
                    failures.add("a report failed while writers ran")
                    return
                }
                let rows = result.stdout.split(separator: "\r\n").count - 1
                if rows % batchSize != 0 { failures.add("a reader saw \(rows) incidents: half a batch") }
            }
        }
        group.wait()
        readerDone.set()
        reader.wait()
        #expect(failures.all.isEmpty, "\(failures.all)")
        let ids = try storedIDs(sandbox)
        #expect(ids.count == 4 * rounds * batchSize)
        #expect(Set(ids).count == ids.count)
        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    /// A writer that holds the lock past the busy timeout: append exits 75 and appends nothing.
    @Test func aLockHeldPastTheBusyTimeoutExits75() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let before = try storedCount(sandbox)
        let holder = try SQLiteDatabase(path: sandbox.database, mode: .readWrite)
        try holder.execute("BEGIN IMMEDIATE")
        let result = try sandbox.run(["append"], stdin: Data(incidents("locked", count: 3).utf8))
        try holder.execute("ROLLBACK")
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("retry"))
        #expect(try storedCount(sandbox) == before)
        #expect(try sandbox.run(["append"], stdin: Data(incidents("locked", count: 3).utf8)).status == 0)
    }

    /// Two processes append to one stream with the same expected_version: exactly one wins.
    @Test(arguments: Backend.allCases) func sameExpectedVersionExactlyOneWins(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        for round in 0..<5 {
            let version = 2 + round
            let results = Results()
            let group = DispatchGroup()
            for contender in 0..<2 {
                group.enter()
                DispatchQueue.global().async {
                    defer { group.leave() }
                    let line =
                        #"{"id":"race-\#(round)-\#(contender)","type":"attribution.made","stream":"incident/coincheck-2018","occurred_on":"2023-05-01","source":{"publisher":"P"},"data":{"actor":"actor/lazarus-group","attributed_by":"X\#(contender)","confidence":"alleged"},"expected_version":\#(version)}"#
                    var status: Int32 = -1
                    for _ in 0..<20 {
                        status = (try? sandbox.run(["append"], stdin: Data((line + "\n").utf8)))?.status ?? -1
                        if status != 75 { break }
                    }
                    results.add(status)
                }
            }
            group.wait()
            #expect(results.all.sorted() == [0, 65], "round \(round): \(results.all)")
        }
        #expect(try sandbox.run(["verify"]).status == 0)
    }
}

/// Thread-safe lists for the tests' worker threads.
final class Failures: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}

final class Results: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var items: [Int32] = []
    func add(_ item: Int32) { lock.withLock { items.append(item) } }
    var all: [Int32] { lock.withLock { items } }
}

final class Flag: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Writers on a server that one holds up past the busy timeout, and the server's own guard.
@Suite struct ServerTurnTests {
    /// Another session holds the append turn (the lock on `ledger_head`) for 8 s: append exits
    /// 75 with nothing appended, then succeeds once the turn is free.
    @Test func aTurnHeldPastTheBusyTimeoutExits75() throws {
        let sandbox = try LedgerSandbox(backend: .server)
        try sandbox.appendSeeds()
        let before = try storedCount(sandbox)
        let database = try #require(sandbox.serverDatabase)
        let holder = Thread {
            _ = try? TestServer.run(
                "BEGIN; SELECT one FROM ledger_head FOR UPDATE; SELECT pg_sleep(8); ROLLBACK;", database: database)
        }
        holder.start()
        // Wait until the holder has the row.
        var held = false
        for _ in 0..<100 where !held {
            Thread.sleep(forTimeInterval: 0.05)
            held =
                try sandbox.rawQuery(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'ledger_head' AND l.granted"
                ).first != "0"
        }
        #expect(held)
        let result = try sandbox.run(["append"], stdin: Data(incidents("locked", count: 3).utf8))
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("retry"))
        #expect(try storedCount(sandbox) == before)
        while holder.isExecuting || !holder.isFinished { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try sandbox.run(["append"], stdin: Data(incidents("locked", count: 3).utf8)).status == 0)
    }
}
