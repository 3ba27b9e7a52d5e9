import Foundation
import LedgerTestSupport
import Testing

/// The least-privilege setup the README gives: an owner runs `init` (and `replay`), a writer
/// role appends, a reader role runs reports and verify, and neither can change the log.
@Suite struct ServerRolesTests {
    @Test func aWriterAppendsAReaderReadsAndNeitherChangesTheLog() throws {
        let sandbox = try LedgerSandbox(backend: .server)
        #expect(try sandbox.run(["init"]).status == 0)
        let database = try #require(sandbox.serverDatabase)
        let suffix = String(database.suffix(12))
        let (writer, reader) = ("writer_\(suffix)", "reader_\(suffix)")
        try TestServer.run(
            """
            CREATE ROLE \(writer) LOGIN PASSWORD 'w-secret';
            CREATE ROLE \(reader) LOGIN PASSWORD 'r-secret';
            GRANT CONNECT, TEMPORARY ON DATABASE \(database) TO \(writer), \(reader);
            GRANT USAGE ON SCHEMA public TO \(writer), \(reader);
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(writer), \(reader);
            GRANT INSERT ON events TO \(writer);
            GRANT UPDATE ON ledger_head TO \(writer);
            GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(writer);
            REVOKE UPDATE, DELETE ON events FROM \(writer);
            """, database: database)
        defer {
            try? TestServer.dropDatabase(database)
            try? TestServer.run("DROP ROLE IF EXISTS \(writer); DROP ROLE IF EXISTS \(reader);")
        }
        let url = { (role: String) in
            sandbox.database.replacingOccurrences(of: "ledger_test@", with: "\(role)@")
        }
        let appended = try sandbox.run(
            ["append", "--db", url(writer)] + LedgerSandbox.seedFiles(), db: false,
            environment: ["PGPASSWORD": "w-secret"])
        #expect(appended.status == 0, "\(appended.stderr)")
        let verify = try sandbox.run(
            ["verify", "--db", url(reader)], db: false, environment: ["PGPASSWORD": "r-secret"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("projections ok"))
        let report = try sandbox.run(
            ["report", "thefts", "--db", url(reader)], db: false, environment: ["PGPASSWORD": "r-secret"])
        let asOwner = try sandbox.run(["report", "thefts"])
        #expect(report.status == 0 && report.stdout == asOwner.stdout)

        // The reader cannot append; a wrong password is refused without being shown.
        let refused = try sandbox.run(
            ["append", "--db", url(reader)] + LedgerSandbox.seedFiles(), db: false,
            environment: ["PGPASSWORD": "r-secret"])
        #expect(refused.status == 74, "\(refused.stderr)")
        #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.contains("permission denied"))
        let wrong = try sandbox.run(
            ["report", "thefts", "--db", url(reader)], db: false, environment: ["PGPASSWORD": "not-it"])
        #expect(wrong.status == 66)
        #expect(wrong.stderr.contains("login refused") && !wrong.stderr.contains("not-it"))

        // Not even the writer can change what is stored.
        for change in ["UPDATE events SET recorded_by = 'x'", "DELETE FROM events", "TRUNCATE events"] {
            #expect(throws: TestServer.Failed.self) {
                try TestServer.run("SET ROLE \(writer); \(change);", database: database)
            }
        }
        #expect(try sandbox.run(["verify"]).stdout == verify.stdout)
    }
}
