import Foundation
import LedgerStore
import LedgerTestSupport
import Testing

/// The guards of the log (the triggers that refuse changing it) are checked by `verify`,
/// restored by a writer on a file, and out of a writer role's reach on a server (issue 24).
@Suite struct LogGuardTests {
    @Test func aDroppedGuardFailsVerifyAndAWriterRestoresIt() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let file = try SQLiteDatabase(path: sandbox.database, mode: .readWrite)
        try file.execute("DROP TRIGGER events_refuse_delete")
        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("events_refuse_delete"), "\(verify.stderr)")
        // A trigger of the same name that refuses nothing is no guard either.
        try file.execute("CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events BEGIN SELECT 1; END")
        #expect(try sandbox.run(["verify"]).status == 1)
        try file.execute("DROP TRIGGER events_refuse_delete")
        let append = try sandbox.run(["append", ReportTests.golden.appendingPathComponent("extra.ndjson").path])
        #expect(append.status == 0, "\(append.stderr)")
        #expect(
            append.stderr.contains("warning: ") && append.stderr.contains("events_refuse_delete"), "\(append.stderr)")
        #expect(try sandbox.run(["verify"]).status == 0)
        #expect(throws: (any Error).self) { try file.execute("DELETE FROM events WHERE seq = 1") }
    }

    @Test func aDisabledGuardOnAServerFailsVerify() throws {
        let sandbox = try LedgerSandbox(backend: .server)
        try sandbox.appendSeeds()
        try TestServer.run("ALTER TABLE events DISABLE TRIGGER events_refuse_delete", database: sandbox.serverDatabase!)
        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("events_refuse_delete"), "\(verify.stderr)")
        try TestServer.run("ALTER TABLE events ENABLE TRIGGER events_refuse_delete", database: sandbox.serverDatabase!)
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    /// The owner that ran `init` can do anything to its tables; the roles the README gives
    /// the writer and the reader cannot switch the guard off nor cut the log.
    @Test func aWriterRoleCanNeitherSwitchTheGuardOffNorCutTheLog() throws {
        let sandbox = try LedgerSandbox(backend: .server)
        try sandbox.appendSeeds()
        let database = sandbox.serverDatabase!
        let writer = "w_\(database.suffix(12))"
        try TestServer.run(
            """
            CREATE ROLE \(writer) LOGIN PASSWORD 'w-secret';
            GRANT CONNECT, TEMPORARY ON DATABASE \(database) TO \(writer);
            GRANT USAGE ON SCHEMA public TO \(writer);
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(writer);
            GRANT INSERT ON events TO \(writer);
            GRANT UPDATE ON ledger_head TO \(writer);
            GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(writer);
            REVOKE UPDATE, DELETE, TRUNCATE ON events FROM \(writer);
            """, database: database)
        defer { try? TestServer.run("DROP OWNED BY \(writer); DROP ROLE IF EXISTS \(writer);", database: database) }
        for attack in [
            "ALTER TABLE events DISABLE TRIGGER ALL", "DELETE FROM events WHERE seq > 10", "TRUNCATE events",
            "DROP TRIGGER events_refuse_delete ON events",
        ] {
            #expect(throws: (any Error).self, "\(attack)") {
                try TestServer.run("SET ROLE \(writer); \(attack);", database: database)
            }
        }
        #expect(try sandbox.storedCount() == 14)
        #expect(try sandbox.run(["verify"]).status == 0)
    }
}
