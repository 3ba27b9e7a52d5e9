import Foundation
import LedgerTestSupport
import Testing

/// The project's seeds (`seeds/`) append, verify, and tell the story `make run` prints: the
/// repatriation deadline passing, an attribution becoming known, a correction, a delisting.
@Suite struct SeedStoryTests {
    func seeded() throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox(backend: .file)
        let appended = try sandbox.run(["append"] + LedgerSandbox.projectSeedFiles())
        #expect(appended.status == 0, "\(appended.stderr)")
        #expect(try sandbox.run(["verify"]).status == 0)
        return sandbox
    }

    func rows(_ sandbox: LedgerSandbox, _ arguments: [String]) throws -> [String] {
        let result = try sandbox.run(arguments + ["--format", "csv"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout.split(separator: "\r\n").dropFirst().map(String.init)
    }

    @Test func theSeedsCoverTheResolutionsStatementsAndFigures() throws {
        let sandbox = try seeded()
        let obligations = try rows(sandbox, ["report", "obligations"])
        for symbol in ["1718 (2006)", "2270 (2016)", "2321 (2016)", "2371 (2017)", "2375 (2017)", "2397 (2017)"] {
            #expect(obligations.contains { $0.contains("S/RES/\(symbol)") }, "\(symbol)")
        }
        let statements = try rows(sandbox, ["report", "statements"])
        #expect(statements.contains { $0.hasPrefix("statement/trilateral-envoys-2023-04-07,2023-04-07,") })
        #expect(statements.contains { $0.hasPrefix("statement/dprk-it-workers-advisory-2022,2022-") })
        let totals = try rows(sandbox, ["report", "totals"])
        #expect(totals.contains { $0.hasPrefix("2024,") && $0.hasSuffix(",Chainalysis") })
        // Every event cites a publisher, and imported-style evidence is not claimed by hand.
        let log = try sandbox.log()
        #expect(!log.contains(#""sha256""#))
    }

    @Test func theStoryChangesOnTheDaysItSays() throws {
        let sandbox = try seeded()
        func repatriation(_ day: String) throws -> String? {
            try rows(sandbox, ["report", "obligations", "--as-of", day]).first { $0.contains(",repatriate-workers,") }
        }
        #expect(try repatriation("2019-12-22")?.contains(",2019-12-22,pending,") == true)
        #expect(try repatriation("2019-12-23")?.contains(",2019-12-22,past-deadline,") == true)

        func ronin(_ day: String) throws -> String? {
            try rows(sandbox, ["report", "thefts", "--as-of", day]).first {
                $0.hasPrefix("incident/ronin-bridge-2022,")
            }
        }
        #expect(try ronin("2022-04-13")?.contains(",625000000,") == true)
        #expect(try ronin("2022-04-13")?.contains("Lazarus Group") == false)
        #expect(try ronin("2022-04-14")?.contains(",620000000,") == true)
        #expect(try ronin("2022-04-14")?.contains("Lazarus Group") == true)

        let address = "0x098b716b8aaf21512996dc57eb0615e2383e2f96"
        #expect(try rows(sandbox, ["screen", address, "--as-of", "2022-04-13"]).isEmpty)
        #expect(try rows(sandbox, ["screen", address, "--as-of", "2022-04-14"]).count == 1)
        #expect(try rows(sandbox, ["screen", "Tornado Cash", "--as-of", "2025-03-20"]).count == 1)
        #expect(try rows(sandbox, ["screen", "Tornado Cash", "--as-of", "2025-03-21"]).isEmpty)
    }
}
