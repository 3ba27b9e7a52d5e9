import Foundation
import LedgerTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--output` and standard output never destroy the ledger or another file, and a failed
/// write is never a quiet success (issue: never lose the ledger).
@Suite struct OutputSafetyTests {
    static let reportArguments = ["report", "thefts", "--as-of", "2023-06-01", "--format", "csv"]

    func seeded() throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        return sandbox
    }

    func fileType(_ path: String) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return info.st_mode & S_IFMT
    }

    @Test(arguments: ["ledger.sqlite", "./ledger.sqlite", "sub/../ledger.sqlite", "link", "hard", "ledger.sqlite-wal"])
    func anOutputThatIsTheLedgerIsRefused(_ target: String) throws {
        let sandbox = try seeded()
        try FileManager.default.createDirectory(atPath: sandbox.path("sub"), withIntermediateDirectories: true)
        #expect(symlink("ledger.sqlite", sandbox.path("link")) == 0)
        #expect(link(sandbox.database, sandbox.path("hard")) == 0)
        let before = try sandbox.log()
        let result = try sandbox.run(Self.reportArguments + ["--output", target])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("ledger"), "\(result.stderr)")
        #expect(try sandbox.run(["verify"]).status == 0)
        #expect(try sandbox.log() == before)
        #expect(fileType(sandbox.path("link")) == S_IFLNK)
    }

    @Test func aDatabaseNamedAnotherWayIsStillRecognised() throws {
        let sandbox = try seeded()
        let result = try sandbox.run(
            Self.reportArguments + ["--db", sandbox.directory.path + "/./ledger.sqlite", "--output", "ledger.sqlite"],
            db: false)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    @Test func aCharacterDeviceGetsTheBytesAndStaysADevice() throws {
        let sandbox = try seeded()
        // /dev/full's numbers (1, 7): every write fails with ENOSPC.
        guard mknod(sandbox.path("full"), S_IFCHR | 0o666, dev_t((1 << 8) | 7)) == 0 else {
            print("skipped: mknod is not allowed here (\(String(cString: strerror(errno))))")
            return
        }
        let result = try sandbox.run(Self.reportArguments + ["--output", "full"])
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1)
        #expect(fileType(sandbox.path("full")) == S_IFCHR)
        #expect(try sandbox.files().filter { $0.hasPrefix("full") || $0.hasPrefix(".full") } == ["full"])
    }

    @Test func aSymlinkToDevNullIsWrittenThroughAndKept() throws {
        let sandbox = try seeded()
        #expect(symlink("/dev/null", sandbox.path("null-link")) == 0)
        let result = try sandbox.run(Self.reportArguments + ["--output", "null-link"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(fileType(sandbox.path("null-link")) == S_IFLNK)
        #expect(fileType("/dev/null") == S_IFCHR)
    }

    @Test func aSymlinkToStandardOutputWritesThere() throws {
        let sandbox = try seeded()
        let expected = try sandbox.run(Self.reportArguments).stdout
        #expect(symlink("/proc/self/fd/1", sandbox.path("stdout-link")) == 0)
        let result = try sandbox.run(Self.reportArguments + ["--output", "stdout-link"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == expected)
        #expect(fileType(sandbox.path("stdout-link")) == S_IFLNK)
    }

    @Test func aFIFOGetsTheBytesAndStaysAFIFO() throws {
        let sandbox = try seeded()
        let expected = try sandbox.run(Self.reportArguments).stdout
        let result = try sandbox.shell(
            """
            mkfifo pipe && timeout 20 cat pipe > got & sleep 0.2
            "$LEDGER" \(Self.reportArguments.joined(separator: " ")) --db "$DB" --output pipe; status=$?
            wait; exit $status
            """)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(fileType(sandbox.path("pipe")) == S_IFIFO)
        #expect(try String(contentsOfFile: sandbox.path("got"), encoding: .utf8) == expected)
    }

    @Test func aSymlinkToAFileReplacesTheTargetAndKeepsTheLink() throws {
        let sandbox = try seeded()
        let expected = try sandbox.run(Self.reportArguments).stdout
        try FileManager.default.createDirectory(atPath: sandbox.path("reports"), withIntermediateDirectories: true)
        try sandbox.write("reports/thefts.csv", "old")
        #expect(symlink("reports/thefts.csv", sandbox.path("latest.csv")) == 0)
        let result = try sandbox.run(Self.reportArguments + ["--output", "latest.csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(fileType(sandbox.path("latest.csv")) == S_IFLNK)
        #expect(try String(contentsOfFile: sandbox.path("reports/thefts.csv"), encoding: .utf8) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.path("reports")) == ["thefts.csv"])
    }

    /// In a sticky world-writable directory (`/tmp`), the kernel follows no link that another
    /// user owns (`fs.protected_symlinks`): nor does `--output`, for the report or its manifest.
    @Test(arguments: ["report.csv", "report.csv.manifest.json"])
    func aLinkPlantedByAnotherUserInAStickyDirectoryIsRefused(_ planted: String) throws {
        let sandbox = try seeded()
        let shared = sandbox.path("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        #expect(chmod(shared, 0o1777) == 0)
        try sandbox.write("victim", "precious")
        #expect(symlink(sandbox.path("victim"), shared + "/" + planted) == 0)
        #expect(lchown(shared + "/" + planted, 65534, 65534) == 0)
        let result = try sandbox.run(Self.reportArguments + ["--output", shared + "/report.csv", "--manifest"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(planted), "\(result.stderr)")
        #expect(try String(contentsOfFile: sandbox.path("victim"), encoding: .utf8) == "precious")
        // A link of the caller's own in the same directory is written through.
        let own = sandbox.path("own-target.csv")
        try sandbox.write("own-target.csv", "old")
        #expect(symlink(own, shared + "/mine.csv") == 0)
        #expect(try sandbox.run(Self.reportArguments + ["--output", shared + "/mine.csv"]).status == 0)
        #expect(try String(contentsOfFile: own, encoding: .utf8).hasPrefix("incident,"))
    }

    @Test func aPlantedSymlinkAtTheOldTemporaryNameIsNotFollowed() throws {
        let sandbox = try seeded()
        try sandbox.write("victim", "precious")
        // `exec` keeps the shell's pid, so the link sits where `PATH.partial-PID` used to be written.
        let result = try sandbox.shell(
            """
            ln -s victim "out.csv.partial-$$"
            exec "$LEDGER" \(Self.reportArguments.joined(separator: " ")) --db "$DB" --output out.csv
            """)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: sandbox.path("victim"), encoding: .utf8) == "precious")
        #expect(try String(contentsOfFile: sandbox.path("out.csv"), encoding: .utf8).hasPrefix("incident,"))
    }

    @Test func anExistingReportKeepsItsPermissionsAndANewOneFollowsTheUmask() throws {
        let sandbox = try seeded()
        try sandbox.write("private.csv", "old")
        #expect(chmod(sandbox.path("private.csv"), 0o600) == 0)
        let result = try sandbox.shell(
            """
            umask 022
            "$LEDGER" \(Self.reportArguments.joined(separator: " ")) --db "$DB" --output private.csv &&
            "$LEDGER" \(Self.reportArguments.joined(separator: " ")) --db "$DB" --output public.csv
            """)
        #expect(result.status == 0, "\(result.stderr)")
        var info = stat()
        #expect(stat(sandbox.path("private.csv"), &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(sandbox.path("public.csv"), &info) == 0 && info.st_mode & 0o777 == 0o644)
        #expect(try sandbox.files().filter { $0.contains(".csv") } == ["private.csv", "public.csv"])
    }

    @Test func anInterruptedReportLeavesNoTemporaryFile() throws {
        let sandbox = try LedgerSandbox()
        let process = Process()
        process.executableURL = LedgerSandbox.sibling("ledger-bench")
        process.arguments = [
            "generate", "--events", "20000", "--designations", "100", "--seed", "7", "--output",
            sandbox.path("g.ndjson"),
        ]
        try process.run()
        process.waitUntilExit()
        #expect(try sandbox.run(["append", "--quiet", sandbox.path("g.ndjson")]).status == 0)
        try FileManager.default.createDirectory(atPath: sandbox.path("out"), withIntermediateDirectories: true)
        var interrupted = 0
        for (index, delay) in [0.05, 0.1, 0.2, 0.3, 0.5].enumerated() {
            for signal in [SIGINT, SIGTERM] {
                let child = Process()
                // A test runner may have been started with these signals ignored, which a child
                // inherits: `env` gives the ledger their default actions, as at a terminal.
                child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                child.arguments = [
                    "--default-signal=INT,TERM", LedgerSandbox.binary.path, "report", "thefts", "--format", "csv",
                    "--db", sandbox.database, "--output",
                    sandbox.path("out/report-\(index).csv"),
                ]
                child.standardError = FileHandle.nullDevice
                try child.run()
                Thread.sleep(forTimeInterval: delay)
                kill(child.processIdentifier, signal)
                child.waitUntilExit()
                if child.terminationReason == .uncaughtSignal { interrupted += 1 }
                let left = try FileManager.default.contentsOfDirectory(atPath: sandbox.path("out"))
                #expect(left.allSatisfy { $0.hasPrefix("report-") && $0.hasSuffix(".csv") }, "\(left)")
            }
        }
        // The report takes about a second: most signals land while it is being written.
        #expect(interrupted >= 5, "only \(interrupted) of 10 runs were interrupted")
    }

    static let readCommands: [[String]] = [
        ["report", "thefts"], ["report", "totals", "--format", "csv"], ["report", "actors", "--format", "json"],
        ["log"], ["log", "--format", "table"], ["verify"], ["screen", "Lazarus Group"],
        ["history", "incident/coincheck-2018"], ["replay", "--at-seq", "5"], ["init"],
    ]

    @Test(arguments: readCommands)
    func aFullStandardOutputExits74(_ command: [String]) throws {
        let sandbox = try seeded()
        let words = command.map { "'\($0)'" }.joined(separator: " ")
        for redirection in ["> /dev/full", ">&-"] {
            let result = try sandbox.shell("\"$LEDGER\" \(words) --db \"$DB\" \(redirection)")
            #expect(result.status == 74, "\(command) \(redirection): \(result.status) \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(result.stderr)")
        }
    }
}
