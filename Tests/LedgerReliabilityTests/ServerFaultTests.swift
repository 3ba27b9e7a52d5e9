import Foundation
import LedgerStore
import LedgerTestSupport
import Testing

/// A server that goes away, or cannot be reached, as a user meets it (contract section 7).
@Suite(.serialized) struct ServerFaultTests {
    /// The server ends the writer's connection in the middle of a batch: exit 74, one error
    /// line naming the server (never the password), and not one event of the batch stored.
    @Test func aConnectionLostMidBatchAppendsNothing() throws {
        let sandbox = try LedgerSandbox(backend: .server)
        try sandbox.appendSeeds()
        let before = try storedCount(sandbox)
        let database = try #require(sandbox.serverDatabase)
        try sandbox.write("big.ndjson", incidents("lost", count: 40_000))
        let started = Date()
        final class Outcome: @unchecked Sendable {
            // @unchecked: written once by the worker, read after `done` is signalled.
            var result: RunResult?
            let done = DispatchSemaphore(value: 0)
        }
        let outcome = Outcome()
        DispatchQueue.global().async {
            outcome.result = try? sandbox.run(["append", sandbox.path("big.ndjson")])
            outcome.done.signal()
        }
        // Wait until the writer holds the append turn, then end its connection.
        var held = false
        while !held && Date().timeIntervalSince(started) < 30 {
            Thread.sleep(forTimeInterval: 0.05)
            held =
                try sandbox.rawQuery(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'ledger_head' AND l.granted AND l.mode = 'RowShareLock'"
                ).first != "0"
        }
        #expect(held)
        Thread.sleep(forTimeInterval: 0.3)
        try TestServer.run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()"
        )
        outcome.done.wait()
        let result = try #require(outcome.result)
        #expect(result.status == 74, "\(result.stderr)")
        #expect(
            result.stderr.hasPrefix("error: ") && result.stderr.contains("database \(database)"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!result.stderr.contains(try TestServer.password()))
        #expect(try storedCount(sandbox) == before)
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    /// Nothing listens, or no such database, or not a URL: 66, 66 and 64, one line each.
    @Test func aServerThatCannotBeReachedIsNamed() throws {
        let sandbox = try LedgerSandbox()
        let port = try TestServer.port()
        let cases: [(String, Int32, String)] = [
            ("postgresql://ledger_test:hunter2@127.0.0.1:1/ledger", 66, "127.0.0.1:1 database ledger: cannot connect"),
            (
                "postgresql://ledger_test@127.0.0.1:\(port)/no_such_ledger", 66,
                "database no_such_ledger: no such database"
            ),
            ("postgresql://127.0.0.1:\(port)", 64, "--db: the server URL"),
        ]
        for (url, status, message) in cases {
            for command in [["report", "thefts"], ["append"]] {
                let result = try sandbox.run(command + ["--db", url], db: false, stdin: Data())
                #expect(result.status == status, "\(url) \(command): \(result.stderr)")
                #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(result.stderr)")
                #expect(!result.stderr.contains("hunter2"))
                #expect(result.stderr.split(separator: "\n").count == 1)
            }
        }
    }
}
