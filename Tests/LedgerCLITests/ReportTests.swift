import Foundation
import LedgerStore
import LedgerTestSupport
import Testing

/// The golden files: each report at days that straddle a deadline, an attribution, a
/// correction, a retraction, an amendment and a removal, written by hand from contract
/// section 5 for the seeds plus `Golden/extra.ndjson`.
@Suite struct ReportTests {
    static let golden = LedgerSandbox.packageRoot.appendingPathComponent("Tests/LedgerCLITests/Golden")

    static var goldenFiles: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: golden.path))?.filter { $0.hasSuffix(".csv") }.sorted()
            ?? []
    }

    func seededSandbox(_ backend: Backend = .file) throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let extra = try sandbox.run(["append", Self.golden.appendingPathComponent("extra.ndjson").path])
        #expect(extra.status == 0, "\(extra.stderr)")
        return sandbox
    }

    @Test func everyReportHasGoldenFiles() {
        let reports = Set(Self.goldenFiles.map { String($0.split(separator: "-")[0]) })
        #expect(reports == ["thefts", "obligations", "actors", "statements", "designations", "totals"])
    }

    @Test(arguments: Backend.allCases) func reportsMatchTheGoldenFiles(backend: Backend) throws {
        let sandbox = try seededSandbox(backend)
        for file in Self.goldenFiles {
            let name = String(file.dropLast(4))
            let dash = try #require(name.firstIndex(of: "-"))
            let report = String(name[..<dash])
            let day = String(name[name.index(after: dash)...])
            let expected = try String(contentsOf: Self.golden.appendingPathComponent(file), encoding: .utf8)
            let result = try sandbox.run(["report", report, "--as-of", day, "--format", "csv"])
            #expect(result.status == 0, "\(file): \(result.stderr)")
            #expect(result.stdout == expected, "\(file)")
        }
    }

    @Test(arguments: Backend.allCases) func jsonHasTypedCells(backend: Backend) throws {
        let sandbox = try seededSandbox(backend)
        let thefts = try sandbox.run(["report", "thefts", "--as-of", "2022-05-01", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(thefts.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 2)
        let heist = rows[1]
        #expect(heist["amount_usd"] as? Int == 600_000_000)
        #expect(heist["assets"] as? [String] == ["ETH", "USDC"])
        #expect(heist["attributed_to"] as? [String] == [])
        #expect(heist["victim_country"] is NSNull)
        #expect(heist["confidence"] is NSNull)
        let designations = try sandbox.run(["report", "designations", "--as-of", "2021-06-30", "--format", "json"])
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(designations.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["active"] as? Bool } == [true, true, true, true, false])
        #expect(entries[4]["entity"] as? String == "=Test, \"Vessel\"")  // no spreadsheet prefix in JSON
        let totals = try sandbox.run(["report", "totals", "--as-of", "2023-02-15", "--format", "json"])
        let years = try #require(try JSONSerialization.jsonObject(with: Data(totals.stdout.utf8)) as? [[String: Any]])
        #expect(years.map { $0["year"] as? Int } == [2018, 2022])
        #expect(years[0]["reported_usd"] is NSNull)
        // Column order is the CSV's.
        let keys = thefts.stdout.split(separator: "\n")[1]
        #expect(keys.hasPrefix(#"{"incident":"incident/coincheck-2018","occurred_on":"#))
    }

    @Test(arguments: Backend.allCases) func emptyReportsAreStillWellFormed(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.run(["init"])
        #expect(try sandbox.run(["report", "thefts", "--format", "json"]).stdout == "[]\n")
        #expect(
            try sandbox.run(["report", "totals", "--format", "csv"]).stdout
                == "year,incidents,attributed_incidents,incident_sum_usd,reported_usd,reported_by\r\n")
        #expect(try sandbox.run(["report", "actors"]).status == 0)
    }

    @Test(arguments: Backend.allCases) func atSeqGivesTheSameBytesWhateverIsAppendedLater(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let head = try sandbox.log().split(separator: "\n").count
        var before: [String: String] = [:]
        for report in ["thefts", "obligations", "actors", "statements", "designations", "totals"] {
            before[report] = try sandbox.run([
                "report", report, "--as-of", "2030-01-01", "--at-seq", "\(head)", "--format", "csv",
            ]).stdout
        }
        #expect(try sandbox.run(["append", Self.golden.appendingPathComponent("extra.ndjson").path]).status == 0)
        for report in before.keys {
            let after = try sandbox.run([
                "report", report, "--as-of", "2030-01-01", "--at-seq", "\(head)", "--format", "csv",
            ])
            #expect(after.stdout == before[report], "\(report)")
        }
        let now = try sandbox.run(["report", "thefts", "--as-of", "2030-01-01", "--format", "csv"]).stdout
        #expect(now != before["thefts"])
        // Seq 0: nothing existed yet.
        #expect(
            try sandbox.run(["report", "thefts", "--at-seq", "0", "--format", "csv"]).stdout.split(separator: "\r\n")
                .count == 1)
    }

    @Test(arguments: Backend.allCases) func recordedUntilSelectsByTransactionTime(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let stamp = try #require(
            try sandbox.run(["log", "--format", "table", "--limit", "1"]).stdout
                .split(separator: "\n")[2].split(separator: " ").first { $0.hasSuffix("Z") })
        Thread.sleep(forTimeInterval: 0.01)
        #expect(try sandbox.run(["append", Self.golden.appendingPathComponent("extra.ndjson").path]).status == 0)
        let atSeeds = try sandbox.run([
            "report", "designations", "--as-of", "2030-01-01", "--recorded-until", String(stamp), "--format", "csv",
        ])
        #expect(atSeeds.status == 0, "\(atSeeds.stderr)")
        #expect(atSeeds.stdout.split(separator: "\r\n").count == 4)  // the seeds' three designations
        let before = try sandbox.run([
            "report", "designations", "--recorded-until", "2000-01-01T00:00:00Z", "--format", "csv",
        ])
        #expect(before.stdout.split(separator: "\r\n").count == 1)
        let everything = try sandbox.run(["report", "designations", "--as-of", "2030-01-01", "--format", "csv"])
        #expect(everything.stdout.split(separator: "\r\n").count == 6)
    }

    @Test(arguments: [
        ["report", "thefts", "--as-of", "2019-02-29"], ["report", "thefts", "--as-of", "yesterday"],
        ["report", "nothing"], ["report", "thefts", "--format", "xlsx"],
        ["report", "thefts", "--at-seq", "3", "--recorded-until", "2026-01-01T00:00:00Z"],
        ["report", "thefts", "--recorded-until", "2026-01-01 00:00"], ["history"], ["replay", "--at-seq", "x"],
    ])
    func badReportUsageExits64(_ arguments: [String]) throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let result = try sandbox.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: "))
    }

    @Test func readCommandsOnAMissingLedgerCreateNothing() throws {
        let sandbox = try LedgerSandbox()
        for command in [["report", "thefts"], ["history", "incident/x"], ["replay", "--at-seq", "1"]] {
            #expect(try sandbox.run(command).status == 66)
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.database))
    }

    @Test(arguments: Backend.allCases) func outputFileIsWrittenWhole(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let path = sandbox.path("thefts.csv")
        let result = try sandbox.run(["report", "thefts", "--format", "csv", "--output", path])
        #expect(result.status == 0 && result.stdout.isEmpty)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == (try sandbox.run(["report", "thefts", "--format", "csv"]).stdout))
        let bad = try sandbox.run(["report", "thefts", "--output", sandbox.path("no/such/dir/x.csv")])
        #expect(bad.status == 74)
    }

    @Test(arguments: Backend.allCases) func historyShowsTheStateAfterEachEvent(backend: Backend) throws {
        let sandbox = try seededSandbox(backend)
        let before = try sandbox.run([
            "history", "incident/test-heist-2022", "--as-of", "2022-04-30", "--format", "json",
        ])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["type"] as? String } == ["theft.reported", "attribution.made", "event.retracted"])
        #expect(rows.map { $0["counts"] as? Bool } == [true, true, false])
        #expect((rows[2]["state"] as? String)?.contains(#""confidence":"assessed""#) == true)
        let after = try sandbox.run([
            "history", "incident/test-heist-2022", "--as-of", "2022-05-01", "--format", "json",
        ])
        let later = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [[String: Any]])
        #expect((later[2]["state"] as? String)?.contains(#""attributions":[]"#) == true)
        #expect(try sandbox.run(["history", "incident/nothing"]).status == 66)
        #expect(try sandbox.run(["history", "incident/test-heist-2022"]).status == 0)
    }

    @Test(arguments: Backend.allCases) func replayRebuildsTheViewsToTheSameDigest(backend: Backend) throws {
        let sandbox = try seededSandbox(backend)
        let verify = try sandbox.run(["verify"])
        let digest = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("projections ok") })
            .split(separator: " ").last.map(String.init)
        let replay = try sandbox.run(["replay"])
        #expect(replay.status == 0)
        #expect(replay.stdout.hasPrefix("replayed 27 events in "))
        #expect(replay.stdout.contains("digest \(digest!)"))
        let inMemory = try sandbox.run(["replay", "--at-seq", "27"])
        #expect(inMemory.stdout.contains("digest \(digest!)"))
        let earlier = try sandbox.run(["replay", "--at-seq", "10"])
        #expect(earlier.stdout.hasPrefix("replayed 10 events"))
        #expect(!earlier.stdout.contains("digest \(digest!)"))
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    @Test func verifyNamesATamperedView() throws {
        let sandbox = try seededSandbox()
        let database = try SQLiteDatabase(path: sandbox.database, mode: .readWrite)
        try database.execute(
            """
            UPDATE versions SET amount = 6
            WHERE stream_id = (SELECT stream_id FROM streams WHERE name = 'incident/test-heist-2022')
            """
        )
        let result = try sandbox.run(["verify"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: verify: view "), "\(result.stderr)")
        #expect(result.stderr.contains(": incident/test-heist-2022: "), "\(result.stderr)")
        #expect(try sandbox.run(["replay"]).status == 0)
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    /// A ledger file written before the stored views existed (schema 1) still answers reports,
    /// and gets its views built from its log on the first writing command.
    @Test func anOlderLedgerGetsItsViewsBuilt() throws {
        let sandbox = try seededSandbox()
        let expected = try sandbox.run(["report", "thefts", "--as-of", "2022-04-30", "--format", "csv"]).stdout
        let database = try SQLiteDatabase(path: sandbox.database, mode: .readWrite)
        try database.execute(
            """
            DROP TABLE versions; DROP TABLE streams; DROP TABLE screen_postings;
            DROP TABLE screen_trigram_counts; DROP TABLE screen_identifiers; DROP TABLE incident_sums;
            DROP TABLE actor_incidents; DROP TABLE compliance_sums; DROP TABLE figure_versions;
            DROP TABLE designation_terms; DROP TABLE merkle_nodes; PRAGMA user_version = 1;
            """
        )
        #expect(try sandbox.run(["report", "thefts", "--as-of", "2022-04-30", "--format", "csv"]).stdout == expected)
        #expect(try sandbox.run(["screen", "hidden cobra", "--fail-on-match"]).status == 1)
        #expect(try sandbox.run(["verify"]).status == 0)
        #expect(try sandbox.run(["init"]).status == 0)
        #expect(try sandbox.run(["screen", "hidden cobra", "--fail-on-match"]).status == 1)
        #expect(try database.integer("PRAGMA user_version") == 11)
        #expect(try sandbox.run(["report", "thefts", "--as-of", "2022-04-30", "--format", "csv"]).stdout == expected)
        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains("projections ok"))
    }

    /// A ledger file of schema 5 (before the screening index held designation terms) screens
    /// as before, judging designations from its log, and its first writing command builds the
    /// terms; the screen output is the same all along.
    @Test func aSchema5LedgerGetsDesignationTerms() throws {
        let sandbox = try seededSandbox()
        let queries = [
            ["screen", "hidden cobra"], ["screen", "Lazarus Grup", "--threshold", "0.8", "--format", "csv"],
        ]
        let expected = try queries.map { try sandbox.run($0).stdout }
        let database = try SQLiteDatabase(path: sandbox.database, mode: .readWrite)
        try database.execute(
            """
            DROP TABLE designation_terms; DROP TABLE merkle_nodes; CREATE TABLE screen_names (stream_id INTEGER NOT NULL PRIMARY KEY,
                trigrams TEXT NOT NULL) WITHOUT ROWID; PRAGMA user_version = 5;
            """)
        #expect(try queries.map { try sandbox.run($0).stdout } == expected)
        #expect(try sandbox.run(["init"]).status == 0)
        #expect(try database.integer("PRAGMA user_version") == 11)
        #expect(try database.integer("SELECT count(*) FROM designation_terms") ?? 0 > 0)
        #expect(try queries.map { try sandbox.run($0).stdout } == expected)
        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains("projections ok"))
    }

    /// A ledger file written with the wide `event_versions` views (schema 3) still answers
    /// reports (folded from its log), and its first writing command replaces those views by
    /// the narrow ones, built from the log.
    @Test func aSchema3LedgerGetsTheNarrowViews() throws {
        let sandbox = try seededSandbox()
        let expected = try sandbox.run(["report", "thefts", "--as-of", "2022-04-30", "--format", "csv"]).stdout
        let actors = try sandbox.run(["report", "actors", "--format", "csv"]).stdout
        let database = try SQLiteDatabase(path: sandbox.database, mode: .readWrite)
        // The tables of schema 3, as that version wrote them, with a row of its own.
        try database.execute(
            """
            DROP TABLE versions; DROP TABLE streams; DROP TABLE screen_postings;
            DROP TABLE screen_trigram_counts; DROP TABLE screen_identifiers; DROP TABLE incident_sums;
            DROP TABLE actor_incidents; DROP TABLE compliance_sums; DROP TABLE figure_versions;
            DROP TABLE designation_terms; DROP TABLE merkle_nodes;
            CREATE TABLE event_versions (
                seq INTEGER NOT NULL, from_seq INTEGER NOT NULL, from_date TEXT NOT NULL, to_date TEXT NOT NULL,
                to_seq INTEGER NOT NULL, stream TEXT NOT NULL, kind TEXT NOT NULL, sort1 TEXT NOT NULL,
                type TEXT NOT NULL, id TEXT NOT NULL, occurred_on TEXT NOT NULL, known_on TEXT NOT NULL,
                publisher TEXT NOT NULL, data TEXT NOT NULL, amount INTEGER, actor TEXT,
                PRIMARY KEY (seq, from_seq, from_date)) WITHOUT ROWID;
            INSERT INTO event_versions VALUES (1, 1, '2017-01-01', '9999-99-99', 9223372036854775807,
                'incident/x', 'incident', '2017-01-01', 'theft.reported', 'x', '2017-01-01', '2017-01-01', 'P',
                '{}', 1, NULL);
            CREATE TABLE screen_trigrams (trigram TEXT NOT NULL, stream TEXT NOT NULL,
                PRIMARY KEY (trigram, stream)) WITHOUT ROWID;
            CREATE TABLE screen_trigram_counts (trigram TEXT NOT NULL PRIMARY KEY, streams INTEGER NOT NULL)
                WITHOUT ROWID;
            CREATE TABLE screen_identifiers (key TEXT NOT NULL, stream TEXT NOT NULL,
                PRIMARY KEY (key, stream)) WITHOUT ROWID;
            PRAGMA user_version = 3;
            """
        )
        #expect(try sandbox.run(["report", "thefts", "--as-of", "2022-04-30", "--format", "csv"]).stdout == expected)
        #expect(try sandbox.run(["screen", "hidden cobra", "--fail-on-match"]).status == 1)
        #expect(try sandbox.run(["init"]).status == 0)
        #expect(try database.integer("PRAGMA user_version") == 11)
        #expect(try database.integer("SELECT count(*) FROM sqlite_master WHERE name = 'event_versions'") == 0)
        #expect(try sandbox.run(["report", "thefts", "--as-of", "2022-04-30", "--format", "csv"]).stdout == expected)
        #expect(try sandbox.run(["report", "actors", "--format", "csv"]).stdout == actors)
        #expect(try sandbox.run(["screen", "hidden cobra", "--fail-on-match"]).status == 1)
        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains("projections ok"))
    }

    @Test func tableCellsShowControlCharactersEscaped() throws {
        let sandbox = try LedgerSandbox()
        let line =
            #"{"id":"s","type":"statement.issued","stream":"statement/s","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"issuers":["A\u001b[31mred"],"kind":"other","summary":"line\nbreak","mentions":[]}}"#
        #expect(try sandbox.run(["append"], stdin: Data((line + "\n").utf8)).status == 0)
        let table = try sandbox.run(["report", "statements"]).stdout
        #expect(!table.contains("\u{1b}"))
        #expect(table.contains("\\u{1b}[31mred") && table.contains("line\\nbreak"))
    }
}

/// The table format: columns line up by characters shown, whatever the script, and a long
/// cell is cut to the column's limit with `…`.
@Suite struct TableFormatTests {
    @Test func columnsAlignByCharactersAndLongCellsAreCut() throws {
        let sandbox = try LedgerSandbox()
        let long = String(repeating: "Ж", count: 70)
        let lines = [
            #"{"id":"a1","type":"actor.identified","stream":"actor/kim","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"name":"김정은 Group","aliases":["Ñandú"],"sponsor_state":"KP"}}"#,
            #"{"id":"a2","type":"actor.identified","stream":"actor/plain","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"name":"Plain","aliases":[],"sponsor_state":"KP"}}"#,
            #"{"id":"a3","type":"actor.identified","stream":"actor/long","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"name":"\#(long)","aliases":[],"sponsor_state":"KP"}}"#,
        ]
        let append = try sandbox.run(["append"], stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(append.status == 0, "\(append.stderr)")
        let table = try sandbox.run(["report", "actors", "--as-of", "2021-01-01"])
        #expect(table.status == 0, "\(table.stderr)")
        let rows = table.stdout.split(separator: "\n").map(String.init)
        #expect(rows.count == 5)
        // The sponsor_state column starts at the same character on every line, after
        // names in Hangul, Cyrillic and ASCII, and aliases with accents.
        let header = Array(rows[0])
        let column = try #require(
            String(header).range(of: "sponsor_state").map {
                String(header).distance(from: String(header).startIndex, to: $0.lowerBound)
            })
        for stream in ["actor/kim", "actor/plain", "actor/long"] {
            let row = Array(try #require(rows.first { $0.hasPrefix(stream) }))
            #expect(row.count > column + 2 && String(row[column..<(column + 2)]) == "KP", "\(String(row))")
            #expect(row[column - 1] == " ", "\(String(row))")
        }
        let kim = try #require(rows.first { $0.hasPrefix("actor/kim") })
        #expect(kim.contains("김정은 Group") && kim.contains("Ñandú"))
        let cut = try #require(rows.first { $0.hasPrefix("actor/long") })
        #expect(cut.contains(String(repeating: "Ж", count: 59) + "…  "), "\(cut)")
        #expect(!cut.contains(String(repeating: "Ж", count: 60)))
    }
}

/// A batch that corrects thefts stored by earlier batches, appended in look-ahead groups on a
/// server (the targets read at once) and event by event on a file, gives the same reports,
/// and the server's views verify.
@Suite struct CorrectionBatchTests {
    func lines(batch: Int) -> String {
        var lines: [String] = []
        for k in 0..<120 {
            let n = batch * 120 + k
            let day = String(format: "20%02d-%02d-%02d", 10 + n % 12, 1 + n % 12, 1 + n % 28)
            lines.append(
                #"{"id":"t\#(n)","type":"theft.reported","stream":"incident/i\#(n)","occurred_on":"\#(day)","source":{"publisher":"P"},"data":{"victim":"V\#(n)","amount_usd":\#(1000 + n),"assets":[],"methods":[]}}"#
            )
            if batch > 0 && k % 3 == 0 {
                // A correction of a theft of an earlier batch, then one of its own correction's target again.
                let target = n - 120 - k / 2
                let later = String(format: "20%02d-12-30", 22 + k % 3)
                lines.append(
                    #"{"id":"c\#(n)","type":"event.corrected","stream":"incident/i\#(target)","occurred_on":"\#(later)","source":{"publisher":"Q"},"data":{"target":"t\#(target)","patch":{"amount_usd":\#(5 * n)},"reason":"revised"}}"#
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func serverAndFileAgreeAfterCorrectionsOfEarlierBatches() throws {
        let server = try LedgerSandbox(backend: .server)
        let file = try LedgerSandbox(backend: .file)
        for batch in 0..<3 {
            for sandbox in [server, file] {
                let append = try sandbox.run(["append"], stdin: Data(lines(batch: batch).utf8))
                #expect(append.status == 0, "\(append.stderr)")
            }
        }
        for report in ["thefts", "totals"] {
            for day in ["2020-06-01", "2030-01-01"] {
                let onServer = try server.run(["report", report, "--as-of", day, "--format", "csv"])
                let onFile = try file.run(["report", report, "--as-of", day, "--format", "csv"])
                #expect(onServer.status == 0 && onFile.status == 0)
                #expect(onServer.stdout == onFile.stdout, "\(report) as of \(day)")
            }
        }
        let corrected = try file.run(["report", "thefts", "--as-of", "2030-01-01", "--format", "csv"])
        #expect(corrected.stdout.contains(",\(5 * 120),"), "a correction counts")
        let verify = try server.run(["verify"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }
}
