import Foundation
import LedgerTestSupport
import Testing

/// Official lists as published, with the imperfections real files have (contract section 8;
/// issue 25): repairs are warnings, never a refused list, and everything screening can use is
/// kept. The fixtures in `Golden/import/published/` are written by hand in the real formats,
/// with the cases the real OFAC 2021-07 and UN 2026-02-27 files hold: a 39-digit ETH address,
/// a document number over two lines, a `LISTED_ON` with a time-zone offset, identifiers of
/// every kind, weak aliases, names in their own script, a name holding an apostrophe.
@Suite struct PublishedListTests {
    static let folder = ImportTests.fixtures.appendingPathComponent("published")
    static let ofac = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"].map {
        folder.appendingPathComponent("ofac/\($0)").path
    }
    static let un = folder.appendingPathComponent("un-consolidated.xml").path

    func imported(_ backend: Backend) throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox(backend: backend)
        let ofac = try sandbox.run(["import", "ofac-csv", "--published-on", "2021-07-01"] + Self.ofac)
        #expect(ofac.status == 0, "\(ofac.stderr)")
        #expect(
            ofac.stdout
                == "imported OFAC-SDN snapshot 2021-07-01: added 5, amended 0, removed 0, unchanged 0, repaired 1\n")
        #expect(
            ofac.stderr
                == "warning: \(Self.ofac[0]):2: Remarks: 0xa7e5d5a720f06526557c513402f2e6b5fa20b00 is not 0x and 40 hexadecimal digits: kept as written, with kind other\n"
        )
        let un = try sandbox.run(["import", "un-xml", Self.un])
        #expect(un.status == 0, "\(un.stderr)")
        #expect(
            un.stdout.split(separator: "\n") == [
                "imported UN-AL-QAIDA snapshot 2026-02-27: added 1, amended 0, removed 0, unchanged 0",
                "imported UN-CAR snapshot 2026-02-27: added 1, amended 0, removed 0, unchanged 0, repaired 1",
                "imported UN-DPRK snapshot 2026-02-27: added 2, amended 0, removed 0, unchanged 0",
            ])
        #expect(un.stderr.hasPrefix("warning: \(Self.un):4: INDIVIDUAL_DOCUMENT.NUMBER: white space"), "\(un.stderr)")
        return sandbox
    }

    func rows(_ sandbox: LedgerSandbox, _ arguments: [String]) throws -> [String] {
        let result = try sandbox.run(arguments + ["--format", "csv"])
        #expect(result.status == 0 || result.status == 1, "\(arguments): \(result.stderr)")
        return result.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
    }

    @Test(arguments: Backend.allCases) func listsAsPublishedImportWithRepairsAsWarnings(backend: Backend) throws {
        let sandbox = try imported(backend)
        let designations = try rows(sandbox, ["report", "designations"])
        for expected in [
            "designation/ofac-90001,OFAC-SDN,EXAMPLE OCEAN STAR,vessel,,call_sign:HMYZ7;imo:8900123;mmsi:445123456,DPRK4,2021-07-01,,true,,",
            "designation/ofac-90002,OFAC-SDN,EXAMPLE SHIPPING COMPANY LIMITED,organization,EXAMPLE MARITIME CO;ABU-'UMAR TRADING;OCEAN STAR LINE,swift_bic:EXSHKPPY;tax_id:12-3456789;other:700123,DPRK3,2021-07-01,,true,,",
            "designation/ofac-29702,OFAC-SDN,\"LIFSHITS, Artem Mikhaylovich\",individual,,btc_address:12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz;other:0xa7e5d5a720f06526557c513402f2e6b5fa20b00;passport:7512 345678,CYBER2;ELECTION-EO13848,2021-07-01,,true,,",
            "designation/un-cfi.008,UN-CAR,JEAN-PIERRE EXEMPLE,individual,Jean Pierre Exemple,other:Armed forces military identification number 911-10-77;passport:O00065772,CAR,2015-04-07,,true,Le Colonel,",
            "designation/un-qdi.900,UN-AL-QAIDA,MUHAMMAD ABDALLAH AL-MITHAL,individual,Mohammed Abdullah al-Mithal,national_id:1234567890,Al-Qaida,2011-06-29,,true,Abu Mithal,محمد عبدالله المثال",
            "designation/un-kpi.900,UN-DPRK,IVAN PETROVICH PRIMEROV,individual,,passport:654 120 219,DPRK,2017-09-11,,true,,Иван Петрович Примеров",
            "designation/un-kpe.900,UN-DPRK,KOREA EXAMPLE TRADING CORPORATION,organization,Choson Example Trading;Example General Trading,,DPRK,2016-03-02,,true,,",
        ] {
            #expect(designations.contains(expected), "\(expected)")
        }
        // Again: nothing appended, the repairs reported again.
        let log = try sandbox.log()
        let again = try sandbox.run(["import", "ofac-csv", "--published-on", "2021-07-01"] + Self.ofac)
        #expect(again.stdout.contains("added 0, amended 0, removed 0, unchanged 5, repaired 1"), "\(again.stdout)")
        #expect(try sandbox.run(["import", "un-xml", Self.un]).status == 0)
        #expect(try sandbox.log() == log)
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    @Test(arguments: Backend.allCases) func everyIdentifierKindScreensAsPeoplePasteIt(backend: Backend) throws {
        let sandbox = try imported(backend)
        for (query, designation) in [
            ("IMO 8900123", "designation/ofac-90001"), ("8900123", "designation/ofac-90001"),
            ("445123456", "designation/ofac-90001"), ("hmyz7", "designation/ofac-90001"),
            ("EXSHKPPY", "designation/ofac-90002"), ("12 3456789", "designation/ofac-90002"),
            ("AB 123456", "designation/ofac-90003"), ("ab-123456", "designation/ofac-90003"),
            ("7512345678", "designation/ofac-29702"), ("O00065772", "designation/un-cfi.008"),
            ("654120219", "designation/un-kpi.900"),
            ("bitcoin:12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz", "designation/ofac-29702"),
            ("\"0xa7e5d5a720f06526557c513402f2e6b5fa20b00\"", "designation/ofac-29702"),
        ] {
            let found = try rows(sandbox, ["screen", query, "--as-of", "2026-03-01"])
            #expect(
                found.first?.hasPrefix("\(designation),") == true && found.first?.contains(",identifier,") == true,
                "\(query): \(found)")
        }
    }

    @Test func weakAliasesAreLeadsAndOriginalScriptNamesAreFound() throws {
        let sandbox = try imported(.file)
        // A weak alias: never at the default threshold, at most 0.80 below it.
        #expect(try rows(sandbox, ["screen", "Le Colonel", "--as-of", "2026-03-01"]).isEmpty)
        let lead = try rows(sandbox, ["screen", "Le Colonel", "--as-of", "2026-03-01", "--threshold", "0.5"])
        #expect(
            lead.first?.hasPrefix("designation/un-cfi.008,UN-CAR,JEAN-PIERRE EXEMPLE,alias,Le Colonel,0.80") == true,
            "\(lead)")
        for (query, designation) in [
            ("محمد عبدالله المثال", "designation/un-qdi.900"), ("Иван Петрович Примеров", "designation/un-kpi.900"),
        ] {
            let found = try rows(sandbox, ["screen", query, "--as-of", "2026-03-01"])
            #expect(found.first?.hasPrefix("\(designation),") == true, "\(query): \(found)")
        }
        // The JSON report keeps the new lists as arrays.
        let json = try sandbox.run(["report", "designations", "--format", "json"]).stdout
        #expect(json.contains(#""weak_aliases":["Abu Mithal"]"#), "\(json.prefix(300))")
        #expect(json.contains(#""original_script_names":["Иван Петрович Примеров"]"#))
    }
}
