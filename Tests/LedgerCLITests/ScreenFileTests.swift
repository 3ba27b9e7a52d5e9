import Foundation
import LedgerTestSupport
import Testing

/// `ledger screen --file` (contract section 11) and the candidates rule: only designations
/// active that day compete.
@Suite struct ScreenFileTests {
    func seeded(_ backend: Backend = .file) throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        return sandbox
    }

    @Test(arguments: Backend.allCases) func aFileOfNamesIsScreenedInOneRun(backend: Backend) throws {
        let sandbox = try seeded(backend)
        let file = try sandbox.write(
            "customers.txt",
            "Acme Trading Ltd\n\nLАZАRUS GRОUР\n0X098B716B8AAF21512996DC57EB0615E2383E2F96\r\nBluenoroff\n")
        let result = try sandbox.run(["screen", "--file", file, "--as-of", "2023-01-01"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                line,query,designation,list,entity,matched_on,matched_value,score\r
                3,LАZАRUS GRОUР,designation/ofac-sdn-lazarus-group,OFAC-SDN,LAZARUS GROUP,name,LAZARUS GROUP,1.00\r
                4,0X098B716B8AAF21512996DC57EB0615E2383E2F96,designation/ofac-sdn-lazarus-group,OFAC-SDN,LAZARUS GROUP,identifier,0x098B716B8Aaf21512996dC57EB0615e2383E2f96,1.00\r
                5,Bluenoroff,designation/ofac-sdn-bluenoroff,OFAC-SDN,BLUENOROFF,name,BLUENOROFF,1.00\r

                """)
        #expect(try sandbox.run(["screen", "--file", file, "--as-of", "2023-01-01", "--fail-on-match"]).status == 1)
        let clean = try sandbox.write("clean.txt", "Acme Trading Ltd\nJohn Smith\n")
        #expect(try sandbox.run(["screen", "--file", clean, "--fail-on-match"]).status == 0)
    }

    @Test func aColumnOfACSVFileIsScreened() throws {
        let sandbox = try seeded()
        let file = try sandbox.write(
            "customers.csv", "id,name,country\r\n1,\"Smith, John\",US\r\n2,\"Hidden  Cobra\",KP\r\n")
        let result = try sandbox.run(["screen", "--file", file, "--column", "name", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect((rows.first?["line"] as? NSNumber)?.intValue == 3)
        #expect(rows.first?["matched_on"] as? String == "alias")
        #expect(rows.first?["rule"] as? String == "exact")
        #expect(rows.first?["normalized_query"] as? String == "hidden cobra")
    }

    @Test func badFilesAreRefusedNamingTheLine() throws {
        let sandbox = try seeded()
        let notUTF8 = try sandbox.write(
            "latin1.txt", Data("Acme\nCaf\u{E9}\n".utf8.map { $0 }.dropLast(3) + [0xE9, 0x0A]))
        let result = try sandbox.run(["screen", "--file", notUTF8])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("error: \(notUTF8):2: "), "\(result.stderr)")
        let long = try sandbox.write("long.txt", "Acme\n" + String(repeating: "a", count: (1 << 20) + 10) + "\n")
        let longResult = try sandbox.run(["screen", "--file", long])
        #expect(longResult.status == 65, "\(longResult.stderr)")
        #expect(longResult.stderr.contains(":2: "), "\(longResult.stderr)")
        let invisible = try sandbox.write("invisible.txt", "Acme\n\u{200B}\u{200D}...\n")
        let invisibleResult = try sandbox.run(["screen", "--file", invisible])
        #expect(invisibleResult.status == 65)
        #expect(invisibleResult.stderr.hasPrefix("error: \(invisible):2: "), "\(invisibleResult.stderr)")
        let csv = try sandbox.write("customers.csv", "id,name\n1,Acme\n")
        let column = try sandbox.run(["screen", "--file", csv, "--column", "customer"])
        #expect(column.status == 65)
        #expect(column.stderr.contains("no column \"customer\""), "\(column.stderr)")
        #expect(try sandbox.run(["screen", "--file", sandbox.path("missing.txt")]).status == 66)
        #expect(try sandbox.run(["screen", "\u{200B}\u{2060}"]).status == 64)
        #expect(try sandbox.run(["screen", "--", "-.-"]).status == 64)
        #expect(try sandbox.run(["screen", "x", "--file", csv]).status == 64)
    }

    /// A thousand removed designations with the listed name and identifier, each older than the
    /// active listing, cannot push it out of the candidates: only designations active that day
    /// compete for the cap.
    @Test func removedLookAlikesCannotHideAnActiveListing() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        var lines: [String] = []
        let address = "0x1111111111111111111111111111111111111111"
        let source = #"{"publisher":"Decoys"}"#
        for index in 0..<1_000 {
            lines.append(
                #"{"id":"decoy-\#(index)","type":"designation.added","stream":"designation/decoy-\#(index)","occurred_on":"2020-01-01","source":\#(source),"data":{"list":"X","entity":"LAZARUS GROUP","entity_type":"organization","aliases":["Lazarus"],"identifiers":[{"kind":"eth_address","value":"\#(address)"}]}}"#
            )
            lines.append(
                #"{"id":"decoy-\#(index)-removed","type":"designation.removed","stream":"designation/decoy-\#(index)","occurred_on":"2020-06-01","source":\#(source),"data":{"reason":"decoy"}}"#
            )
        }
        lines.append(
            #"{"id":"listed","type":"designation.added","stream":"designation/zz-listed","occurred_on":"2021-01-01","source":\#(source),"data":{"list":"OFAC-SDN","entity":"LAZARUS GROUP","entity_type":"organization","aliases":[],"identifiers":[{"kind":"eth_address","value":"\#(address)"}]}}"#
        )
        let file = try sandbox.write("decoys.ndjson", lines.joined(separator: "\n") + "\n")
        #expect(try sandbox.run(["append", file]).status == 0)
        for query in ["Lazarus Group", "LAZARUS  GROUP", "Group Lazarus", address] {
            let result = try sandbox.run(["screen", query, "--as-of", "2022-01-01", "--format", "csv"])
            #expect(result.status == 0)
            #expect(
                result.stdout.split(separator: "\r\n").dropFirst().map { String($0.prefix(22)) } == [
                    "designation/zz-listed,"
                ], "\(query): \(result.stdout)")
        }
    }

    /// Random Unicode lines, screened one by one as files: the binary answers 0 (or 65 for a
    /// line with nothing to compare), never crashes.
    @Test func randomUnicodeLinesNeverCrash() throws {
        let sandbox = try seeded()
        var random = SplitMix64(seed: 2270)
        let ranges: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0xA0...0x24F, 0x300...0x36F, 0x370...0x4FF, 0x590...0x6FF, 0x200B...0x206F,
            0x2460...0x24FF, 0xAC00...0xACFF, 0x4E00...0x4E40, 0xFF00...0xFFEF, 0x1D400...0x1D4FF, 0x1F300...0x1F3FF,
        ]
        for round in 0..<8 {
            var lines: [String] = []
            for _ in 0..<60 {
                var scalars = String.UnicodeScalarView()
                for _ in 0..<(1 + Int(random.next() % 30)) {
                    let range = ranges[Int(random.next() % UInt64(ranges.count))]
                    if let scalar = Unicode.Scalar(range.lowerBound + UInt32(random.next() % UInt64(range.count))) {
                        scalars.append(scalar)
                    }
                }
                lines.append(String(scalars) + "Lazarus")
            }
            let file = try sandbox.write("random-\(round).txt", lines.joined(separator: "\n") + "\n")
            let result = try sandbox.run(["screen", "--file", file, "--threshold", "0.3"])
            #expect(result.status == 0 || result.status == 65, "\(result.status): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 1)
        }
    }
}
