import Foundation
import LedgerStore
import LedgerTestSupport
import Testing

/// `ledger copy --from SRC --to DST` (contract section 7): file to file, file to server, server
/// to file and server to server.
@Suite struct CopyTests {
    static let directions = zip([Backend.file, .file, .server, .server], [Backend.file, .server, .file, .server])

    /// A destination of `backend` for a copy out of `sandbox`: a file beside its ledger, or a
    /// database of its own on the test server (kept until the returned sandbox goes).
    func destination(_ backend: Backend, beside sandbox: LedgerSandbox, name: String = "copy") throws -> (
        String, LedgerSandbox?
    ) {
        if backend == .file { return (sandbox.path("\(name).sqlite"), nil) }
        let other = try LedgerSandbox(backend: .server)
        return (other.database, other)
    }

    func head(_ sandbox: LedgerSandbox, _ path: String) throws -> String {
        let result = try sandbox.run(["verify", "--db", path], db: false)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").last.map(String.init) ?? ""
    }

    func log(_ sandbox: LedgerSandbox, _ path: String) throws -> String {
        try sandbox.run(["log", "--db", path], db: false).stdout
    }

    @Test(arguments: directions)
    func aCopyHoldsTheSameEventsHeadAndReports(from source: Backend, to target: Backend) throws {
        let sandbox = try LedgerSandbox(backend: source)
        try sandbox.appendSeeds()
        let (copy, held) = try destination(target, beside: sandbox)
        defer { withExtendedLifetime(held) {} }
        let result = try sandbox.run(["copy", "--from", sandbox.database, "--to", copy], db: false)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("copied 14 events (0 already there)\nhead 14:"))
        #expect(try head(sandbox, copy) == head(sandbox, sandbox.database))
        #expect(try log(sandbox, copy) == log(sandbox, sandbox.database))
        for report in ["thefts", "obligations", "actors", "statements", "designations", "totals"] {
            for day in ["2019-12-22", "2023-01-23", "2026-01-01"] {
                let original = try sandbox.run(["report", report, "--as-of", day])
                let copied = try sandbox.run(["report", report, "--as-of", day, "--db", copy], db: false)
                #expect(copied.status == 0)
                #expect(copied.stdout == original.stdout, "\(report) as of \(day)")
            }
        }
    }

    @Test(arguments: directions)
    func aSecondCopyTakesOnlyWhatIsNew(from source: Backend, to target: Backend) throws {
        let sandbox = try LedgerSandbox(backend: source)
        let seeds = try LedgerSandbox.seedFiles()
        #expect(try sandbox.run(["append", seeds[0]]).status == 0)
        let (copy, held) = try destination(target, beside: sandbox)
        defer { withExtendedLifetime(held) {} }
        #expect(try sandbox.run(["copy", "--from", sandbox.database, "--to", copy], db: false).status == 0)
        let before = try log(sandbox, copy)
        #expect(try sandbox.run(["append"] + seeds.dropFirst()).status == 0)
        let result = try sandbox.run(["copy", "--from", sandbox.database, "--to", copy, "--quiet"], db: false)
        #expect(result.status == 0, "\(result.stderr)")
        let present = before.split(separator: "\n").count
        #expect(result.stdout.hasPrefix("copied \(14 - present) events (\(present) already there)"))
        #expect(try log(sandbox, copy) == log(sandbox, sandbox.database))
        #expect(try head(sandbox, copy) == head(sandbox, sandbox.database))
        // Nothing new: nothing copied, nothing changed.
        let again = try sandbox.run(["copy", "--from", sandbox.database, "--to", copy], db: false)
        #expect(again.stdout.hasPrefix("copied 0 events (14 already there)"))
    }

    @Test(arguments: directions)
    func anotherHistoryIsNotOverwritten(from source: Backend, to target: Backend) throws {
        let sandbox = try LedgerSandbox(backend: source)
        try sandbox.appendSeeds()
        let (other, held) = try destination(target, beside: sandbox, name: "other")
        defer { withExtendedLifetime(held) {} }
        let seeds = try LedgerSandbox.seedFiles()
        #expect(try sandbox.run(["append", "--db", other, "--actor", "someone else", seeds[0]], db: false).status == 0)
        let before = try log(sandbox, other)
        let result = try sandbox.run(["copy", "--from", sandbox.database, "--to", other], db: false)
        #expect(result.status == 65)
        #expect(result.stderr.contains(": not a copy of the source's log so far"), "\(result.stderr)")
        #expect(try log(sandbox, other) == before)
    }

    @Test func aBrokenSourceIsCopiedUpToTheBreak() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let database = try SQLiteDatabase(path: sandbox.database, mode: .readWrite)
        try database.execute(
            """
            DROP TRIGGER events_refuse_update;
            UPDATE events SET data = replace(data, '530000000', '1') WHERE seq = 4;
            """)
        let copy = sandbox.path("copy.sqlite")
        let result = try sandbox.run(["copy", "--from", sandbox.database, "--to", copy], db: false)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: copy: the source's chain breaks at seq 4: hash mismatch"))
        #expect(result.stderr.contains("copied up to seq 3"))
        #expect(result.stdout.hasPrefix("copied 3 events (0 already there)"))
        #expect(try head(sandbox, copy).hasPrefix("head 3:"))
    }

    @Test(arguments: ["-wal", "-shm", "-journal"])
    func aCopyIntoTheSourcesOwnFilesIsRefused(_ suffix: String) throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        // `verify` leaves an empty -wal beside the file; -shm and -journal may not exist.
        #expect(try sandbox.run(["verify"]).status == 0)
        let log = try sandbox.log()
        let result = try sandbox.run(
            ["copy", "--from", sandbox.database, "--to", sandbox.database + suffix], db: false)
        #expect(result.status == 64, "\(result.stdout) \(result.stderr)")
        #expect(try sandbox.log() == log)
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    @Test func aLedgerIsNotCopiedOntoItself() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let result = try sandbox.run(["copy", "--from", sandbox.database, "--to", sandbox.database], db: false)
        #expect(result.status == 64)
        let missing = try sandbox.run(
            ["copy", "--from", sandbox.path("none.sqlite"), "--to", sandbox.path("x.sqlite")], db: false)
        #expect(missing.status == 66)
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("x.sqlite")))
    }
}
