import Foundation
import LedgerTestSupport
import Testing

/// A ledger read on the server's hot standby (streaming replication), as auditors would run
/// their reports on a replica of their own (contract section 7).
@Suite struct ReadReplicaTests {
    @Test func readCommandsWorkOnAStandbyAndWritesAreRefused() throws {
        let sandbox = try LedgerSandbox(backend: .server)
        try sandbox.appendSeeds()
        #expect(
            try sandbox.run(["append", ReportTests.golden.appendingPathComponent("extra.ndjson").path]).status == 0)
        let standby = try TestServer.standbyURL(database: try #require(sandbox.serverDatabase))
        let primary = try sandbox.run(["verify"])
        let head = try #require(primary.stdout.split(separator: "\n").last.map(String.init))
        // Replication is asynchronous: wait until the standby has replayed the appends.
        var replica = try sandbox.run(["verify", "--db", standby], db: false)
        for _ in 0..<200 where !(replica.status == 0 && replica.stdout.hasSuffix(head + "\n")) {
            Thread.sleep(forTimeInterval: 0.05)
            replica = try sandbox.run(["verify", "--db", standby], db: false)
        }
        #expect(replica.status == 0, "\(replica.stderr)")
        #expect(replica.stdout.hasSuffix(head + "\n"))
        // The views are checked too, against a fresh replay built aside (a standby holds no
        // temporary tables): the same lines as on the primary.
        #expect(replica.stdout == primary.stdout)

        for report in ["thefts", "obligations", "actors", "statements", "designations", "totals"] {
            for day in ["2019-12-22", "2022-04-30", "2023-01-23", "2030-01-01"] {
                let onPrimary = try sandbox.run(["report", report, "--as-of", day, "--format", "csv"])
                let onStandby = try sandbox.run(
                    ["report", report, "--as-of", day, "--format", "csv", "--db", standby], db: false)
                #expect(onStandby.status == 0, "\(onStandby.stderr)")
                #expect(onStandby.stdout == onPrimary.stdout, "\(report) as of \(day)")
            }
        }
        #expect(try sandbox.run(["log", "--db", standby], db: false).stdout == sandbox.log())
        let screen = ["screen", "Lazarus Group", "--format", "csv"]
        #expect(try sandbox.run(screen + ["--db", standby], db: false).stdout == sandbox.run(screen).stdout)
        let history = ["history", "incident/coincheck-2018"]
        #expect(try sandbox.run(history + ["--db", standby], db: false).stdout == sandbox.run(history).stdout)

        // Writes are refused with one error line and exit 74; nothing changes.
        let append = try sandbox.run(
            ["append", "--db", standby], db: false, stdin: Data(Self.incident.utf8))
        #expect(append.status == 74, "\(append.stderr)")
        #expect(append.stderr.hasPrefix("error: ") && append.stderr.contains("read replica"), "\(append.stderr)")
        #expect(append.stderr.split(separator: "\n").count == 1)
        let copyTo = try sandbox.run(["copy", "--from", sandbox.database, "--to", standby], db: false)
        #expect(copyTo.status == 74, "\(copyTo.stderr)")
        #expect(copyTo.stderr.hasPrefix("error: ") && copyTo.stderr.split(separator: "\n").count == 1)
        let rebuild = try sandbox.run(["replay", "--db", standby], db: false)
        #expect(rebuild.status == 74, "\(rebuild.stderr)")
        #expect(rebuild.stderr.hasPrefix("error: "))
        // A replay aside is read-only, and works there: the digest the primary gives.
        for seq in ["3", "20"] {
            let onStandby = try sandbox.run(["replay", "--at-seq", seq, "--db", standby], db: false)
            let onPrimary = try sandbox.run(["replay", "--at-seq", seq])
            #expect(onStandby.status == 0, "\(onStandby.stderr)")
            let digest = { (result: RunResult) in result.stdout.split(separator: "\n").last.map(String.init) }
            #expect(digest(onStandby) == digest(onPrimary))
            #expect(digest(onStandby)?.contains("digest ") == true)
        }
        #expect(try sandbox.run(["verify"]).stdout == primary.stdout)
    }

    static let incident =
        #"{"id":"on-a-replica","type":"theft.reported","stream":"incident/on-a-replica","occurred_on":"2022-01-01","source":{"publisher":"P"},"data":{"victim":"V","amount_usd":1,"assets":[],"methods":[]}}"#
        + "\n"
}
