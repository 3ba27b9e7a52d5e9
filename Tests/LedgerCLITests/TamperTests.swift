import Foundation
import LedgerStore
import LedgerTestSupport
import Testing

/// An attacker with the file, or a server's superuser: drops or disables the triggers, then
/// rewrites history through raw SQL.
@Suite struct TamperTests {
    func tamper(_ sandbox: LedgerSandbox, _ sql: String) throws {
        try sandbox.tamper(sql)
    }

    func verifyFails(_ sandbox: LedgerSandbox, at seq: Int, _ extra: [String] = []) throws {
        let result = try sandbox.run(["verify"] + extra)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: verify: seq \(seq): "), "\(result.stderr)")
    }

    @Test(arguments: Backend.allCases) func editedDataIsCaught(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        try tamper(sandbox, "UPDATE events SET data = replace(data, '530000000', '1') WHERE seq = 4")
        try verifyFails(sandbox, at: 4)
    }

    @Test(arguments: Backend.allCases) func editedColumnIsCaught(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        try tamper(sandbox, "UPDATE events SET occurred_on = '2018-01-27' WHERE seq = 6")
        try verifyFails(sandbox, at: 6)
    }

    @Test(arguments: Backend.allCases) func rehashedEditBreaksTheChainAfterIt(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        // The attacker recomputes the edited event's own hash; the next event's prev_hash no longer matches.
        try tamper(sandbox, "UPDATE events SET hash = '\(String(repeating: "f", count: 64))' WHERE seq = 3")
        try verifyFails(sandbox, at: 3)
    }

    @Test(arguments: Backend.allCases) func deletedEventIsCaught(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        try tamper(sandbox, "DELETE FROM events WHERE seq = 5")
        try verifyFails(sandbox, at: 6)
    }

    @Test(arguments: Backend.allCases) func insertedEventIsCaught(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        // Make room at seq 5 and slip in a copy of event 4 under a new id.
        try tamper(
            sandbox,
            """
            UPDATE events SET seq = seq + 1000000 WHERE seq >= 5;
            UPDATE events SET seq = seq - 999999 WHERE seq > 1000000;
            INSERT INTO events (seq, id, type, stream, stream_version, occurred_on, known_on, source, data,
                                recorded_at, recorded_by, prev_hash, hash)
            SELECT 5, 'forged', type, 'incident/forged', 1, occurred_on, known_on, source, data,
                   recorded_at, recorded_by, hash, hash FROM events WHERE seq = 4;
            """)
        try verifyFails(sandbox, at: 5)
    }

    @Test(arguments: Backend.allCases) func reorderedEventsAreCaught(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        try tamper(
            sandbox,
            """
            UPDATE events SET seq = -1 WHERE seq = 8;
            UPDATE events SET seq = 8 WHERE seq = 9;
            UPDATE events SET seq = 9 WHERE seq = -1;
            """)
        try verifyFails(sandbox, at: 8)
    }

    @Test(arguments: Backend.allCases) func appendedForgeryIsCaught(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        try tamper(
            sandbox,
            """
            INSERT INTO events (seq, id, type, stream, stream_version, occurred_on, known_on, source, data,
                                recorded_at, recorded_by, prev_hash, hash)
            SELECT seq + 1, 'forged', type, stream, stream_version + 1, occurred_on, known_on, source, data,
                   recorded_at, recorded_by, hash, hash FROM events ORDER BY seq DESC LIMIT 1;
            """)
        let count = try sandbox.log().split(separator: "\n").count
        try verifyFails(sandbox, at: count)
    }

    @Test(arguments: Backend.allCases) func truncatedTailIsCaughtOnlyWithExpect(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let verify = try sandbox.run(["verify"])
        let head = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("head ") }).dropFirst(5)
        #expect(try sandbox.run(["verify", "--expect", String(head)]).status == 0)
        let seq = Int(head.split(separator: ":")[0])!
        try tamper(sandbox, "DELETE FROM events WHERE seq = \(seq)")
        #expect(try sandbox.run(["verify"]).status == 1)  // the stored views still hold the lost event
        // A careful attacker rebuilds the views too: a chain alone cannot see a cut tail.
        #expect(try sandbox.run(["replay"]).status == 0)
        #expect(try sandbox.run(["verify"]).status == 0)
        try verifyFails(sandbox, at: seq, ["--expect", String(head)])
    }

    @Test func triggersRefuseAnOrdinarySQLSession() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let database = try SQLiteDatabase(path: sandbox.database, mode: .readWrite)
        #expect(throws: LedgerStoreError.self) { try database.execute("UPDATE events SET recorded_by = 'x'") }
        #expect(throws: LedgerStoreError.self) { try database.execute("DELETE FROM events WHERE seq = 1") }
        #expect(try sandbox.run(["verify"]).status == 0)
    }
}
