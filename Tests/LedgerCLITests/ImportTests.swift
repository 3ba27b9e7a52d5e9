import Foundation
import LedgerTestSupport
import Testing

/// `ledger import` on the built binary, as a compliance officer runs it: two snapshots of each
/// official list (`Golden/import/`, excerpts written by hand in the real formats), imported,
/// imported again, followed by the next snapshot and an older one, and the reports and
/// screening as of the days around each change (contract section 8).
@Suite struct ImportTests {
    static let fixtures = ReportTests.golden.appendingPathComponent("import")
    static let unFirst = fixtures.appendingPathComponent("un/consolidated-2024-01-15.xml").path
    static let unSecond = fixtures.appendingPathComponent("un/consolidated-2024-03-01.xml").path

    static func ofac(_ day: String, _ names: [String] = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"])
        -> [String]
    {
        names.map { fixtures.appendingPathComponent("ofac/\(day)/\($0)").path }
    }

    func sandbox(_ backend: Backend) throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox(backend: backend)
        #expect(try sandbox.run(["init"]).status == 0)
        return sandbox
    }

    func succeed(_ sandbox: LedgerSandbox, _ arguments: [String]) throws -> [String] {
        let result = try sandbox.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// The rows of a CSV report, header left out.
    func csvRows(_ sandbox: LedgerSandbox, _ arguments: [String]) throws -> [String] {
        let result = try sandbox.run(arguments + ["--format", "csv"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout.split(separator: "\r\n").dropFirst().map(String.init)
    }

    /// `designation,…,active` rows of the designations report, keyed by designation.
    func designations(_ sandbox: LedgerSandbox, asOf day: String) throws -> [String: String] {
        var byStream: [String: String] = [:]
        for row in try csvRows(sandbox, ["report", "designations", "--as-of", day]) {
            byStream[String(row.prefix { $0 != "," })] = row
        }
        return byStream
    }

    func screen(_ sandbox: LedgerSandbox, _ query: String, asOf day: String) throws -> [String] {
        try csvRows(sandbox, ["screen", query, "--as-of", day])
    }

    @Test(arguments: Backend.allCases) func unSnapshotsImportReimportAndDiff(backend: Backend) throws {
        let sandbox = try sandbox(backend)
        #expect(
            try succeed(sandbox, ["import", "un-xml", Self.unFirst]) == [
                "imported UN-AL-QAIDA snapshot 2024-01-15: added 1, amended 0, removed 0, unchanged 0",
                "imported UN-DPRK snapshot 2024-01-15: added 6, amended 0, removed 0, unchanged 0",
            ])
        let log = try sandbox.log()
        #expect(
            try succeed(sandbox, ["import", "un-xml", Self.unFirst]) == [
                "imported UN-AL-QAIDA snapshot 2024-01-15: added 0, amended 0, removed 0, unchanged 1",
                "imported UN-DPRK snapshot 2024-01-15: added 0, amended 0, removed 0, unchanged 6",
            ])
        #expect(try sandbox.log() == log, "a re-import appends nothing")
        #expect(
            try succeed(sandbox, ["import", "un-xml", Self.unSecond]) == [
                "imported UN-AL-QAIDA snapshot 2024-03-01: added 0, amended 0, removed 0, unchanged 1",
                "imported UN-DPRK snapshot 2024-03-01: added 1, amended 2, removed 1, unchanged 3",
            ])
        let afterSecond = try sandbox.log()
        let older = try sandbox.run(["import", "un-xml", Self.unFirst])
        #expect(older.status == 65)
        #expect(older.stderr.hasPrefix("error: \(Self.unFirst): the snapshot of UN-"), "\(older.stderr)")
        #expect(try sandbox.log() == afterSecond)

        // The entity the second snapshot dropped: active until that day, then removed.
        let before = try designations(sandbox, asOf: "2024-02-29")
        let after = try designations(sandbox, asOf: "2024-03-01")
        #expect(before["designation/un-kpe.008"]?.hasSuffix(",DPRK,2009-07-16,,true,,") == true)
        #expect(after["designation/un-kpe.008"]?.hasSuffix(",DPRK,2009-07-16,2024-03-01,false,,") == true)
        // The new entry exists only from the snapshot that brought it (known_on), though it
        // was listed on 2012-05-02 (occurred_on).
        #expect(before["designation/un-kpe.010"] == nil)
        #expect(after["designation/un-kpe.010"]?.contains(",DPRK,2012-05-02,,true") == true)
        // An added passport number and an added alias.
        #expect(before["designation/un-kpi.030"]?.contains("passport:381420565,DPRK") == true)
        #expect(after["designation/un-kpi.030"]?.contains("passport:381420565;passport:654120219,DPRK") == true)
        #expect(try screen(sandbox, "KPA Unit 586", asOf: "2024-02-29").isEmpty)
        #expect(
            try screen(sandbox, "KPA Unit 586", asOf: "2024-03-01") == [
                "designation/un-kpe.031,UN-DPRK,RECONNAISSANCE GENERAL BUREAU,alias,KPA Unit 586,1.00"
            ])
        #expect(try screen(sandbox, "654120219", asOf: "2024-03-01").count == 1)
        let tangun = "Korean Tangun Trading Corporation"
        #expect(try screen(sandbox, tangun, asOf: "2024-02-29").first?.hasPrefix("designation/un-kpe.008,") == true)
        #expect(try screen(sandbox, tangun, asOf: "2024-03-01").allSatisfy { !$0.hasPrefix("designation/un-kpe.008,") })

        // Every imported event carries the file's SHA-256 and its publisher.
        let digest = try sandbox.shell("sha256sum '\(Self.unSecond)' | cut -c1-64").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let amended = try succeed(sandbox, ["log", "--stream", "designation/un-kpi.030"])
        #expect(amended.count == 2)
        #expect(amended[1].contains(#""sha256":"\#(digest)""#))
        #expect(amended[1].contains(#""publisher":"United Nations Security Council""#))
        #expect(amended[1].contains(#""id":"un-kpi.030-amended-2024-03-01""#))
    }

    @Test(arguments: Backend.allCases) func ofacSnapshotsImportReimportAndDiff(backend: Backend) throws {
        let sandbox = try sandbox(backend)
        let first = ["import", "ofac-csv"] + Self.ofac("2024-01-15") + ["--published-on", "2024-01-15"]
        #expect(
            try succeed(sandbox, first) == [
                "imported OFAC-SDN snapshot 2024-01-15: added 7, amended 0, removed 0, unchanged 0"
            ])
        #expect(
            try succeed(sandbox, first) == [
                "imported OFAC-SDN snapshot 2024-01-15: added 0, amended 0, removed 0, unchanged 7"
            ])
        let second = ["import", "ofac-csv"] + Self.ofac("2024-03-01") + ["--published-on", "2024-03-01"]
        #expect(
            try succeed(sandbox, second) == [
                "imported OFAC-SDN snapshot 2024-03-01: added 1, amended 2, removed 1, unchanged 4"
            ])
        let log = try sandbox.log()
        let older = try sandbox.run(first)
        #expect(older.status == 65, "\(older.stderr)")
        #expect(try sandbox.log() == log)

        let before = try designations(sandbox, asOf: "2024-02-29")
        let after = try designations(sandbox, asOf: "2024-03-01")
        // alt.csv's aliases, then the names of Remarks; a SWIFT/BIC of Remarks; programs joined by `;`.
        #expect(
            before["designation/ofac-15603"]
                == "designation/ofac-15603,OFAC-SDN,FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA,organization,NORTH KOREA'S FOREIGN TRADE BANK;MOOYOKBANK,swift_bic:FTBDKPPY,NPWMD;DPRK3,2024-01-15,,true,,"
        )
        #expect(
            after["designation/ofac-15603"]
                == "designation/ofac-15603,OFAC-SDN,FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA,organization,NORTH KOREA'S FOREIGN TRADE BANK;MOOYOKBANK;KOREA TRADE BANK,swift_bic:FTBDKPPY,NPWMD;DPRK3,2024-01-15,,true,,"
        )
        #expect(after["designation/ofac-11599"]?.hasSuffix(",2024-01-15,2024-03-01,false,,") == true)
        #expect(before["designation/ofac-43377"] == nil)
        #expect(after["designation/ofac-23764"]?.contains(",HUA FU,vessel,") == true)
        // Digital currency addresses from Remarks, also past its cut at 1,000 characters.
        let lazarus = try #require(after["designation/ofac-27307"])
        #expect(lazarus.contains("eth_address:0x098B716B8Aaf21512996dC57EB0615e2383E2f96"))
        // WU Huihui's second snapshot drops a bitcoin address and adds a tron one (that tron
        // address is made up for the fixture).
        let dropped = "1986rYHckYbJpGQJy6ornuMyD2N5MTqwDt"
        let added = "TNpXfRZgKxQ8cbSxDXBuhy6pwBK8nWqpNv"
        #expect(try screen(sandbox, dropped, asOf: "2024-02-29").first?.hasPrefix("designation/ofac-42496,") == true)
        #expect(try screen(sandbox, dropped, asOf: "2024-03-01").isEmpty)
        #expect(try screen(sandbox, added, asOf: "2024-02-29").isEmpty)
        #expect(try screen(sandbox, added, asOf: "2024-03-01").first?.contains(",identifier,\(added),1.00") == true)
        let ronin = "0x098b716b8aaf21512996dc57eb0615e2383e2f96"
        #expect(try screen(sandbox, ronin, asOf: "2024-01-14").isEmpty)
        #expect(try screen(sandbox, ronin, asOf: "2024-01-15").first?.hasPrefix("designation/ofac-27307,") == true)
        #expect(
            try screen(sandbox, "Korea Trade Bank", asOf: "2024-03-01").first?.contains(",alias,KOREA TRADE BANK,1.00")
                == true)
    }

    /// `--dry-run` prints what it would append and appends nothing; `ledger append` of that
    /// NDJSON appends the very events an import would, so the import is then a no-op.
    @Test func dryRunPrintsTheEventsAndAppendsNothing() throws {
        let sandbox = try sandbox(.file)
        let dry = try sandbox.run(["import", "un-xml", Self.unFirst, "--dry-run", "--list", "UN-DPRK"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stderr == "imported UN-DPRK snapshot 2024-01-15: added 6, amended 0, removed 0, unchanged 0\n")
        #expect(dry.stdout.split(separator: "\n").count == 6)
        #expect(try sandbox.log().isEmpty)
        let ndjson = try sandbox.write("dry.ndjson", dry.stdout)
        #expect(try succeed(sandbox, ["append", ndjson]) == ["appended 6, skipped 0"])
        #expect(
            try succeed(sandbox, ["import", "un-xml", Self.unFirst]) == [
                "imported UN-AL-QAIDA snapshot 2024-01-15: added 1, amended 0, removed 0, unchanged 0",
                "imported UN-DPRK snapshot 2024-01-15: added 0, amended 0, removed 0, unchanged 6",
            ])
    }

    /// A renamed entry, a removed alias and a new program are one `designation.amended`; the
    /// report shows the name and program as last amended, screening finds the entry by its
    /// name of the day, and an entry back on the list after its removal starts a new stream.
    @Test func renamesRemovedAliasesAndRelistings() throws {
        let sandbox = try sandbox(.file)
        _ = try succeed(sandbox, ["import", "un-xml", Self.unFirst])
        _ = try succeed(sandbox, ["import", "un-xml", Self.unSecond])
        // The first snapshot again, a month after the second, with one entry renamed and an alias gone.
        var third = try String(contentsOfFile: Self.unFirst, encoding: .utf8)
        third = third.replacingOccurrences(of: "2024-01-15T23:00:04.106Z", with: "2024-04-01T10:00:00.000Z")
        third = third.replacingOccurrences(
            of: "RECONNAISSANCE GENERAL BUREAU", with: "GENERAL RECONNAISSANCE BUREAU")
        third = third.replacingOccurrences(of: "<ALIAS_NAME>RGB</ALIAS_NAME>", with: "<ALIAS_NAME/>")
        let file = try sandbox.write("consolidated-2024-04-01.xml", third)
        #expect(
            try succeed(sandbox, ["import", "un-xml", file, "--list", "UN-DPRK"]) == [
                "imported UN-DPRK snapshot 2024-04-01: added 1, amended 2, removed 1, unchanged 3"
            ])
        let amended = try succeed(sandbox, ["log", "--stream", "designation/un-kpe.031"])
        #expect(
            amended.last?.contains(
                #""data":{"entity":"GENERAL RECONNAISSANCE BUREAU","remove_aliases":["RGB","KPA Unit 586"]}"#) == true)
        let rows = try designations(sandbox, asOf: "2024-04-01")
        #expect(
            rows["designation/un-kpe.031"]?.contains(
                ",GENERAL RECONNAISSANCE BUREAU,organization,Chongch’al Ch’ongguk,,DPRK,2016-03-02,,true") == true)
        #expect(
            try designations(sandbox, asOf: "2024-03-31")["designation/un-kpe.031"]?.contains(
                ",RECONNAISSANCE GENERAL BUREAU,") == true)
        #expect(
            try screen(sandbox, "General Reconnaissance Bureau", asOf: "2024-04-01").first?.contains(
                ",name,GENERAL RECONNAISSANCE BUREAU,1.00") == true)
        #expect(try screen(sandbox, "RGB", asOf: "2024-03-31").count == 1)
        #expect(try screen(sandbox, "RGB", asOf: "2024-04-01").isEmpty)
        // KPe.008 returns: a new stream; KPe.010, absent from this snapshot, is removed.
        #expect(rows["designation/un-kpe.008-relisted-2024-04-01"]?.hasSuffix(",true,,") == true)
        #expect(rows["designation/un-kpe.008"]?.hasSuffix(",false,,") == true)
        #expect(rows["designation/un-kpe.010"]?.hasSuffix(",2024-04-01,false,,") == true)
        let history = try succeed(sandbox, ["history", "designation/un-kpe.031"])
        #expect(history.joined().contains("GENERAL RECONNAISSANCE BUREAU"))
    }

    /// Designations entered by hand (no `source.sha256`) are never removed by an import.
    @Test func designationsEnteredByHandAreNeverRemoved() throws {
        let sandbox = try sandbox(.file)
        try sandbox.appendSeeds()
        let hand = try designations(sandbox, asOf: "2024-03-01").filter { $0.value.contains(",OFAC-SDN,") }
        #expect(!hand.isEmpty)
        _ = try succeed(
            sandbox, ["import", "ofac-csv"] + Self.ofac("2024-03-01", ["sdn.csv"]) + ["--published-on", "2024-03-01"])
        let after = try designations(sandbox, asOf: "2024-03-01")
        for (stream, row) in hand { #expect(after[stream] == row) }
    }

    /// Malformed files, files of another format, fields that do not fit: one `error:` line
    /// naming the file and line, exit 65, nothing appended. A missing file: 66.
    @Test func badInputIsRefusedWithNothingAppended() throws {
        let sandbox = try sandbox(.file)
        try sandbox.appendSeeds()
        let log = try sandbox.log()
        let bad = Self.fixtures.appendingPathComponent("bad")
        let cases: [([String], String)] = [
            (["un-xml", bad.appendingPathComponent("un-truncated.xml").path], "un-truncated.xml:"),
            (["un-xml", bad.appendingPathComponent("un-wrong-root.xml").path], "un-wrong-root.xml:"),
            (["un-xml", Self.ofac("2024-01-15")[0]], "sdn.csv:1: "),
            (
                [
                    "ofac-csv", bad.appendingPathComponent("ofac-unterminated-quote/sdn.csv").path, "--published-on",
                    "2024-05-01",
                ], "ofac-unterminated-quote/sdn.csv:3: "
            ),
            (
                [
                    "ofac-csv", bad.appendingPathComponent("ofac-xml-renamed/sdn.csv").path, "--published-on",
                    "2024-05-01",
                ],
                "ofac-xml-renamed/sdn.csv:1: "
            ),
        ]
        for (arguments, place) in cases {
            let result = try sandbox.run(["import"] + arguments)
            #expect(result.status == 65, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(place), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(try sandbox.log() == log)
        }
        // A malformed value inside one entry is repaired with a warning, never a refused list.
        let listedOn = try sandbox.run(
            ["import", "un-xml", bad.appendingPathComponent("un-bad-listed-on.xml").path, "--dry-run"])
        #expect(listedOn.status == 0, "\(listedOn.stderr)")
        #expect(listedOn.stderr.contains("warning: ") && listedOn.stderr.contains("LISTED_ON"), "\(listedOn.stderr)")
        let type = try sandbox.run(
            [
                "import", "ofac-csv", bad.appendingPathComponent("ofac-unknown-type/sdn.csv").path, "--published-on",
                "2024-05-01", "--dry-run",
            ])
        #expect(type.status == 0, "\(type.stderr)")
        #expect(type.stderr.contains("warning: ") && type.stderr.contains("SDN_Type"), "\(type.stderr)")

        let missing = try sandbox.run(["import", "un-xml", sandbox.path("nowhere.xml")])
        #expect(missing.status == 66)
        let missingAlt = try sandbox.run(
            ["import", "ofac-csv", Self.ofac("2024-01-15")[0], sandbox.path("alt.csv"), "--published-on", "2024-01-15"])
        #expect(missingAlt.status == 66, "\(missingAlt.stderr)")
        let undated = try sandbox.run(["import", "ofac-csv", Self.ofac("2024-01-15")[0]])
        #expect(undated.status == 64)
        let notAList = try sandbox.run(["import", "un-xml", Self.unFirst, "--list", "UN-NOSUCH"])
        #expect(notAList.status == 65)
        #expect(try sandbox.log() == log)
    }
}

/// A full-size list in each format (20,000 entries, written by `ledger-bench lists`) imports
/// whole, and again as a no-op. The time and memory are measured by `make bench`, not here.
@Suite struct FullSizeImportTests {
    @Test func twentyThousandEntriesOfEachFormat() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        let work = sandbox.path("lists")
        let bench = LedgerSandbox.sibling("ledger-bench").path
        let written = try sandbox.shell("'\(bench)' lists --entries 20000 --work '\(work)' --write-only")
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try sandbox.run(["init"]).status == 0)
        let un = try sandbox.run(["import", "un-xml", "\(work)/un-1.xml", "--quiet"])
        #expect(un.status == 0, "\(un.stderr)")
        #expect(
            un.stdout == """
                imported UN-AL-QAIDA snapshot 2024-01-15: added 1333, amended 0, removed 0, unchanged 0
                imported UN-DPRK snapshot 2024-01-15: added 18667, amended 0, removed 0, unchanged 0

                """)
        let ofac =
            ["import", "ofac-csv"]
            + ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"].map { "\(work)/ofac-1/\($0)" }
        let first = try sandbox.run(ofac + ["--published-on", "2024-01-15", "--quiet"])
        #expect(
            first.stdout == "imported OFAC-SDN snapshot 2024-01-15: added 20000, amended 0, removed 0, unchanged 0\n")
        let second = try sandbox.run(ofac + ["--published-on", "2024-01-15", "--quiet"])
        #expect(
            second.stdout == "imported OFAC-SDN snapshot 2024-01-15: added 0, amended 0, removed 0, unchanged 20000\n")
        // An address past the 1,000 characters of Remarks, joined from sdn_comments.csv.
        let tron = "T\(String(40, radix: 36))TRONADDRESS"
        let hit = try sandbox.run(["screen", tron, "--as-of", "2024-01-15", "--format", "csv"])
        #expect(hit.stdout.contains("designation/ofac-10040,OFAC-SDN,"), "\(hit.stdout)")
    }
}
