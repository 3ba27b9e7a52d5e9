import Foundation
import LedgerStore
import LedgerTestSupport
import Testing

/// A small tmpfs mounted inside the sandbox, for a disk that fills up or turns read-only;
/// nil (with the reason printed) where this machine does not let the test mount one.
final class SmallDisk {
    let path: String

    init?(in sandbox: LedgerSandbox, megabytes: Int) {
        path = sandbox.path("disk")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard Self.shell("mount -t tmpfs -o size=\(megabytes)m ledger-test '\(path)'") else {
            print("skipped: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)")
            return nil
        }
    }

    func remountReadOnly() -> Bool { Self.shell("mount -o remount,ro '\(path)'") }

    deinit { _ = Self.shell("umount '\(path)'") }

    @discardableResult
    static func shell(_ command: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>/dev/null"]
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

@Suite(.serialized) struct EnvironmentTests {
    @Test func aFullDiskRefusesTheBatchWith74AndKeepsTheLedger() throws {
        let sandbox = try LedgerSandbox()
        guard let disk = SmallDisk(in: sandbox, megabytes: 4) else { return }
        let db = disk.path + "/ledger.sqlite"
        #expect(try sandbox.run(["append", "--db", db] + LedgerSandbox.seedFiles(), db: false).status == 0)
        let head = try sandbox.run(["verify", "--db", db], db: false).stdout
        let batch = try generatedBatch(sandbox, events: 20_000, seed: 5)
        let result = try sandbox.run(["append", "--db", db, "--quiet", batch], db: false)
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "))
        #expect(try sandbox.run(["verify", "--db", db], db: false).stdout == head)
    }

    @Test func aReadOnlyFileSystemStillAnswersAndRefusesAppends() throws {
        let sandbox = try LedgerSandbox()
        guard let disk = SmallDisk(in: sandbox, megabytes: 8) else { return }
        let db = disk.path + "/ledger.sqlite"
        #expect(try sandbox.run(["append", "--db", db] + LedgerSandbox.seedFiles(), db: false).status == 0)
        let thefts = try sandbox.run(["report", "thefts", "--db", db, "--format", "csv"], db: false).stdout
        #expect(disk.remountReadOnly())
        let report = try sandbox.run(["report", "thefts", "--db", db, "--format", "csv"], db: false)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout == thefts)
        #expect(try sandbox.run(["verify", "--db", db], db: false).status == 0)
        #expect(try sandbox.run(["screen", "hidden cobra", "--db", db], db: false).status == 0)
        let append = try sandbox.run(["append", "--db", db], db: false, stdin: Data(incidents("ro", count: 1).utf8))
        #expect(append.status == 74 || append.status == 66, "\(append.stderr)")
        #expect(append.stderr.hasPrefix("error: "))
    }

    /// An auditor's offline copy: the ledger file alone, no `-wal` or `-shm`, on read-only media.
    @Test func aLedgerFileAloneOnReadOnlyMediaIsCheckable() throws {
        let sandbox = try LedgerSandbox()
        guard let disk = SmallDisk(in: sandbox, megabytes: 8) else { return }
        try sandbox.appendSeeds()
        let verified = try sandbox.run(["verify"]).stdout
        let thefts = try sandbox.run(["report", "thefts", "--format", "csv"]).stdout
        let db = disk.path + "/copy.sqlite"
        // The file as a backup tool takes it: checkpointed, then copied alone.
        #expect(
            try sandbox.shell(#"sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null && cp "$DB" '\#(db)'"#)
                .status == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: disk.path).filter { $0.hasPrefix("copy") } == [
                "copy.sqlite"
            ])
        #expect(disk.remountReadOnly())
        for command in [
            ["verify"], ["report", "thefts", "--format", "csv"], ["screen", "lazarus"], ["log"],
            ["replay", "--at-seq", "3"], ["checkpoint"], ["prove", "2"],
        ] {
            let result = try sandbox.run(command + ["--db", db], db: false)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            if command == ["verify"] { #expect(result.stdout == verified) }
            if command[0] == "report" { #expect(result.stdout == thefts) }
        }
    }
}
