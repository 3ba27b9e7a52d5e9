import Foundation
import LedgerTestSupport
import Testing

/// What makes a list file untrustworthy is refused, and nothing an import reads can make the
/// ledger lose a listing, lock a list, or escape its limits (contract section 8; issue 24).
@Suite struct ImportTrustTests {
    static let ofacFiles = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]

    /// A copy of the first OFAC snapshot in `folder` of the sandbox, its files edited by `edit`.
    func ofacCopy(_ sandbox: LedgerSandbox, _ folder: String, edit: (String, inout Data) -> Void = { _, _ in })
        throws -> [String]
    {
        try FileManager.default.createDirectory(atPath: sandbox.path(folder), withIntermediateDirectories: true)
        return try Self.ofacFiles.map { name in
            var data = try Data(contentsOf: URL(fileURLWithPath: ImportTests.ofac("2024-01-15", [name])[0]))
            edit(name, &data)
            return try sandbox.write("\(folder)/\(name)", data)
        }
    }

    /// The first snapshot of both lists imported.
    func imported(_ backend: Backend) throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox(backend: backend)
        let ofac = try sandbox.run(
            ["import", "ofac-csv", "--published-on", "2024-01-15"] + ImportTests.ofac("2024-01-15"))
        #expect(ofac.status == 0, "\(ofac.stderr)")
        let un = try sandbox.run(["import", "un-xml", ImportTests.unFirst])
        #expect(un.status == 0, "\(un.stderr)")
        return sandbox
    }

    func screensTanchon(_ sandbox: LedgerSandbox) throws -> Bool {
        let result = try sandbox.run([
            "screen", "KOREA MINING DEVELOPMENT TRADING CORPORATION", "--as-of", "2024-02-01",
        ])
        return result.status == 0 && result.stdout.contains("designation/ofac-9345")
    }

    /// The lines of `data` (CRLF), the final Ctrl-Z line dropped.
    static func records(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty && $0 != "\u{1A}" }
    }

    @Test(arguments: Backend.allCases) func anEmptySDNFileIsRefusedAndRemovesNothing(backend: Backend) throws {
        let sandbox = try imported(backend)
        let log = try sandbox.log()
        let files = try ofacCopy(sandbox, "empty") { name, data in if name == "sdn.csv" { data = Data() } }
        let result = try sandbox.run(["import", "ofac-csv", "--published-on", "2024-01-16", files[0]])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("error: \(files[0]): "), "\(result.stderr)")
        #expect(result.stderr.contains("no entries"), "\(result.stderr)")
        #expect(try sandbox.log() == log)
        #expect(try screensTanchon(sandbox))
    }

    @Test(arguments: Backend.allCases) func aCutSDNFileWithoutItsEndMarkIsRefused(backend: Backend) throws {
        let sandbox = try imported(backend)
        let log = try sandbox.log()
        // Cut after two lines: whole records, but OFAC's final Ctrl-Z line is missing.
        let files = try ofacCopy(sandbox, "cut") { name, data in
            if name == "sdn.csv" { data = Data((Self.records(data).prefix(2).joined(separator: "\r\n") + "\r\n").utf8) }
        }
        let result = try sandbox.run(["import", "ofac-csv", "--published-on", "2024-01-16", files[0]])
        #expect(result.status == 65)
        #expect(result.stderr.contains("Ctrl-Z"), "\(result.stderr)")
        #expect(try sandbox.log() == log)
        #expect(try screensTanchon(sandbox))
    }

    @Test func aSideFileNamingAnEntryTheSDNFileLacksIsRefused() throws {
        let sandbox = try LedgerSandbox()
        let files = try ofacCopy(sandbox, "orphan") { name, data in
            if name == "alt.csv" {
                data = Data(
                    (Self.records(data) + ["99999,1,\"aka\",\"NOBODY\",-0- ", "\u{1A}"]).joined(separator: "\r\n").utf8)
            }
        }
        let result = try sandbox.run(["import", "ofac-csv", "--published-on", "2024-01-16"] + files)
        #expect(result.status == 65)
        #expect(result.stderr.contains("alt.csv"), "\(result.stderr)")
        #expect(result.stderr.contains("99999"), "\(result.stderr)")
        #expect(try sandbox.storedCount() == 0)
    }

    @Test(arguments: Backend.allCases) func aSnapshotRemovingMoreThanHalfNeedsAllowMassRemoval(backend: Backend) throws
    {
        let sandbox = try imported(backend)
        let log = try sandbox.log()
        // Whole records and the end mark, but only two of the seven entries.
        let files = try ofacCopy(sandbox, "short") { name, data in
            let kept = Set(Self.records(data).prefix(2).map { String($0.prefix { $0 != "," }) })
            let records = Self.records(data).filter {
                kept.contains(String($0.prefix { $0 != "," })) || name != "sdn.csv"
            }
            data = Data((records.joined(separator: "\r\n") + "\r\n\u{1A}").utf8)
        }
        let sdnOnly = [files[0]]
        let refused = try sandbox.run(["import", "ofac-csv", "--published-on", "2024-01-16"] + sdnOnly)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("--allow-mass-removal"), "\(refused.stderr)")
        #expect(try sandbox.log() == log)
        #expect(try screensTanchon(sandbox))
        let allowed = try sandbox.run(
            ["import", "ofac-csv", "--published-on", "2024-01-16", "--allow-mass-removal"] + sdnOnly)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("removed 5"), "\(allowed.stdout)")
    }

    @Test(arguments: Backend.allCases) func aFutureOrPrehistoricSnapshotDateIsRefused(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        #expect(try sandbox.run(["init"]).status == 0)
        for day in ["2204-01-15", "1945-10-23"] {
            let result = try sandbox.run(
                ["import", "ofac-csv", "--published-on", day] + ImportTests.ofac("2024-01-15"))
            #expect(result.status == 65, "\(day): \(result.stderr)")
            #expect(result.stderr.contains(day), "\(result.stderr)")
        }
        let future = try String(contentsOfFile: ImportTests.unFirst, encoding: .utf8)
            .replacingOccurrences(of: "dateGenerated='2024-01-15", with: "dateGenerated='2099-01-15")
        let file = try sandbox.write("future.xml", future)
        let result = try sandbox.run(["import", "un-xml", file])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("2099-01-15"), "\(result.stderr)")
        #expect(try sandbox.storedCount() == 0)
        // The earliest day the UN existed is a possible snapshot date.
        #expect(
            try sandbox.run(["import", "ofac-csv", "--published-on", "1945-10-24"] + ImportTests.ofac("2024-01-15"))
                .status == 0)
    }

    @Test func aRetractedImportNoLongerLocksItsList() throws {
        let sandbox = try LedgerSandbox()
        #expect(
            try sandbox.run(["import", "ofac-csv", "--published-on", "2024-03-01"] + ImportTests.ofac("2024-03-01"))
                .status == 0)
        // Each event of that import retracted, as an analyst mends a wrong date.
        let retractions = try sandbox.run(["log", "--type", "designation.added"]).stdout.split(separator: "\n").map {
            line -> String in
            let event = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let id = event["id"] as! String
            let stream = event["stream"] as! String
            return
                #"{"id":"retract-\#(id)","type":"event.retracted","stream":"\#(stream)","occurred_on":"2024-03-02","source":{"publisher":"analyst"},"data":{"target":"\#(id)","reason":"imported with the wrong date"}}"#
        }
        let appended = try sandbox.run(["append"], stdin: Data((retractions.joined(separator: "\n") + "\n").utf8))
        #expect(appended.status == 0, "\(appended.stderr)")
        let earlier = try sandbox.run(
            ["import", "ofac-csv", "--published-on", "2024-01-15"] + ImportTests.ofac("2024-01-15"))
        #expect(earlier.status == 0, "\(earlier.stderr)")
    }

    @Test(arguments: Backend.allCases) func aDryRunWritesNothingAnywhere(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        let result = try sandbox.run(["import", "un-xml", ImportTests.unFirst, "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 7)
        if backend == .file {
            #expect(try sandbox.files().filter { $0.hasPrefix("ledger.sqlite") } == [])
        } else {
            #expect(try sandbox.rawQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == ["0"])
        }
        // The events it printed append as they are.
        #expect(try sandbox.run(["append"], stdin: Data(result.stdout.utf8)).status == 0)
    }

    @Test func aHandMadeDesignationInTheWayIsSkippedWithAWarning() throws {
        let sandbox = try LedgerSandbox()
        let handMade =
            #"{"id":"mine","type":"designation.added","stream":"designation/ofac-27307","occurred_on":"2023-01-01","source":{"publisher":"analyst"},"data":{"list":"MY-WATCHLIST","entity":"LAZARUS","entity_type":"organization","aliases":[],"identifiers":[]}}"#
        #expect(try sandbox.run(["append"], stdin: Data((handMade + "\n").utf8)).status == 0)
        let result = try sandbox.run(
            ["import", "ofac-csv", "--published-on", "2024-01-15"] + ImportTests.ofac("2024-01-15"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: "), "\(result.stderr)")
        #expect(result.stderr.contains("designation/ofac-27307"), "\(result.stderr)")
        #expect(result.stdout.contains("added 6"), "\(result.stdout)")
        // A second import is not blocked either.
        let again = try sandbox.run(
            ["import", "ofac-csv", "--published-on", "2024-01-16"] + ImportTests.ofac("2024-01-15"))
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func entNumbersAreCanonicalAndABOMIsAccepted() throws {
        let sandbox = try LedgerSandbox()
        let bom = try ofacCopy(sandbox, "bom") { name, data in
            if name == "sdn.csv" { data = Data([0xEF, 0xBB, 0xBF]) + data }
        }
        let withBOM = try sandbox.run(["import", "ofac-csv", "--published-on", "2024-01-15"] + bom)
        #expect(withBOM.status == 0, "\(withBOM.stderr)")
        #expect(withBOM.stdout.contains("added 7"), "\(withBOM.stdout)")
        let twice = try ofacCopy(sandbox, "twice") { name, data in
            guard name == "sdn.csv" else { return }
            let records = Self.records(data)
            data = Data((records + ["0" + records[0]]).joined(separator: "\r\n").utf8 + Array("\r\n\u{1A}".utf8))
        }
        let result = try sandbox.run(["import", "ofac-csv", "--published-on", "2024-01-16", twice[0]])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("ofac-9345"), "\(result.stderr)")
    }

    @Test func unEntriesOutsideTheirUsualContainersAreImported() throws {
        let sandbox = try LedgerSandbox()
        let xml = try String(contentsOfFile: ImportTests.unFirst, encoding: .utf8)
            .replacingOccurrences(of: "<INDIVIDUALS>", with: "")
            .replacingOccurrences(of: "</INDIVIDUALS>", with: "")
            .replacingOccurrences(of: "<ENTITIES>", with: "<ENTITIES><GROUP>")
            .replacingOccurrences(of: "</ENTITIES>", with: "</GROUP></ENTITIES>")
        let file = try sandbox.write("moved.xml", xml)
        let result = try sandbox.run(["import", "un-xml", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("UN-DPRK snapshot 2024-01-15: added 6"), "\(result.stdout)")
        #expect(result.stdout.contains("UN-AL-QAIDA snapshot 2024-01-15: added 1"), "\(result.stdout)")
    }

    @Test func aDocumentTypeDeclaringEntitiesIsRefused() throws {
        let sandbox = try LedgerSandbox()
        let xml = try String(contentsOfFile: ImportTests.unFirst, encoding: .utf8)
            .replacingOccurrences(
                of: "<CONSOLIDATED_LIST ",
                with: "<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY who \"KIM\">]>\n<CONSOLIDATED_LIST "
            )
            .replacingOccurrences(of: "<FIRST_NAME>PAK</FIRST_NAME>", with: "<FIRST_NAME>&who;</FIRST_NAME>")
        let file = try sandbox.write("entities.xml", xml)
        let result = try sandbox.run(["import", "un-xml", file])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("entit"), "\(result.stderr)")
        #expect(try sandbox.storedCount() == 0)
    }

    @Test func overlongValuesAreCutAtTheLimitWithAWarning() throws {
        let sandbox = try LedgerSandbox()
        let long = String(repeating: "KIM JONG ", count: 12_000)  // 108,000 bytes
        let xml = try String(contentsOfFile: ImportTests.unFirst, encoding: .utf8)
            .replacingOccurrences(of: "<FIRST_NAME>PAK</FIRST_NAME>", with: "<FIRST_NAME>\(long)</FIRST_NAME>")
        let file = try sandbox.write("long.xml", xml)
        let dryRun = try sandbox.run(["import", "un-xml", file, "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stderr.contains("warning: \(file):"), "\(dryRun.stderr)")
        #expect(dryRun.stderr.contains("repaired 1"), "\(dryRun.stderr)")
        // What the dry run printed is what append accepts.
        let appended = try sandbox.run(["append"], stdin: Data(dryRun.stdout.utf8))
        #expect(appended.status == 0, "\(appended.stderr)")
        let entity = try sandbox.run(["report", "designations", "--format", "csv"]).stdout
            .components(separatedBy: "\r\n").first { $0.hasPrefix("designation/un-kpi.029,") }
        let name = entity?.split(separator: ",")[2] ?? ""
        #expect(name.utf8.count <= 65_536 && name.utf8.count > 65_000, "\(name.utf8.count)")
    }

    @Test func anEndlessNonRegularFileIsRefusedAndAPipeIsReadOnce() throws {
        let sandbox = try LedgerSandbox()
        let zero = try sandbox.shell(#"timeout 60 "$LEDGER" import un-xml /dev/zero --db "$DB"; echo "status $?""#)
        #expect(zero.stdout.contains("status 65"), "\(zero.stdout) \(zero.stderr)")
        #expect(zero.stderr.contains("/dev/zero"), "\(zero.stderr)")
        let piped = try sandbox.shell(#"cat '\#(ImportTests.unFirst)' | "$LEDGER" import un-xml /dev/stdin --db "$DB""#)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("UN-DPRK snapshot 2024-01-15: added 6"), "\(piped.stdout)")
        // The events carry the SHA-256 of the bytes read, as for the file itself.
        let sha256 = try sandbox.shell("sha256sum '\(ImportTests.unFirst)' | cut -c1-64").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try sandbox.log().contains(#""sha256":"\#(sha256)""#))
    }

    @Test func importMemoryStaysFlatWhateverTheFileHolds() throws {
        let sandbox = try LedgerSandbox()
        // 150 MB of text in a comment the import does not use.
        let xml = try String(contentsOfFile: ImportTests.unFirst, encoding: .utf8)
        let marker = "<COMMENTS1>"
        let cut = xml.range(of: marker)!.upperBound
        let path = sandbox.path("large.xml")
        _ = FileManager.default.createFile(atPath: path, contents: Data(xml[..<cut].utf8))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        let block = Data(String(repeating: "A long remark. ", count: 70_000).utf8)
        for _ in 0..<143 { handle.write(block) }
        handle.write(Data(xml[cut...].utf8))
        try handle.close()
        let result = try sandbox.shell(
            #"/usr/bin/time -f 'peak %M' "$LEDGER" import un-xml large.xml --db "$DB" 2>&1 >/dev/null | tail -1"#)
        let peak = Int(result.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
        #expect(peak != nil && peak! <= 128 * 1024, "peak RSS \(result.stdout) KB")
        #expect(try sandbox.storedCount() == 7)
    }
}
