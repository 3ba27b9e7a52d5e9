import Foundation
import LedgerTestSupport
import Testing

@Suite struct ScreenTests {
    func sandbox(_ backend: Backend = .file) throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        #expect(
            try sandbox.run(["append", ReportTests.golden.appendingPathComponent("extra.ndjson").path]).status == 0)
        return sandbox
    }

    func rows(_ sandbox: LedgerSandbox, _ arguments: [String]) throws -> [String] {
        let result = try sandbox.run(["screen"] + arguments + ["--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        return Array(result.stdout.split(separator: "\r\n").dropFirst().map(String.init))
    }

    @Test(arguments: Backend.allCases) func aDesignationMatchesFromTheDayItIsAdded(backend: Backend) throws {
        let sandbox = try sandbox(backend)
        #expect(try rows(sandbox, ["Lazarus Group", "--as-of", "2019-09-12"]).isEmpty)
        let matches = try rows(sandbox, ["Lazarus Group", "--as-of", "2019-09-13"])
        #expect(
            matches == [
                "designation/ofac-sdn-lazarus-group,OFAC-SDN,LAZARUS GROUP,name,LAZARUS GROUP,1.00",
                "designation/test-lazarus-sdn,OFAC-SDN,Lazarus Group,name,Lazarus Group,1.00",
            ])
    }

    @Test(arguments: Backend.allCases) func aRemovalEndsTheMatchOnItsDay(backend: Backend) throws {
        let sandbox = try sandbox(backend)
        let query = "=Test, \"Vessel\""
        #expect(
            try rows(sandbox, [query, "--as-of", "2021-06-29"]) == [
                #"designation/test-vessel,UN-1718,"'=Test, ""Vessel""",name,"'=Test, ""Vessel""",1.00"#
            ])
        #expect(try rows(sandbox, [query, "--as-of", "2021-06-30"]).isEmpty)
    }

    @Test(arguments: Backend.allCases) func anAmendedIdentifierCountsFromItsOwnDayAndARemovedOneStops(backend: Backend)
        throws
    {
        let sandbox = try sandbox(backend)
        let ronin = "0x098b716b8aaf21512996dc57eb0615e2383e2f96"
        #expect(try rows(sandbox, [ronin, "--as-of", "2022-04-13"]).isEmpty)
        #expect(
            try rows(sandbox, [ronin, "--as-of", "2022-04-14"]) == [
                "designation/ofac-sdn-lazarus-group,OFAC-SDN,LAZARUS GROUP,identifier,0x098B716B8Aaf21512996dC57EB0615e2383E2f96,1.00"
            ])
        let removed = "0x00000000000000000000000000000000000000AA"
        #expect(try rows(sandbox, [removed, "--as-of", "2022-04-30"]).count == 1)
        #expect(try rows(sandbox, [removed, "--as-of", "2022-05-01"]).isEmpty)
    }

    @Test(arguments: Backend.allCases) func rowsAreOrderedByScoreThenDesignation(backend: Backend) throws {
        let sandbox = try sandbox(backend)
        let matches = try rows(sandbox, ["Hidden Cobra", "--as-of", "2023-01-01", "--threshold", "0.5"])
        #expect(matches.count >= 2)
        let scores = matches.map { Double($0.split(separator: ",").last!)! }
        #expect(scores == scores.sorted(by: >))
        #expect(
            matches[0].hasPrefix("designation/ofac-sdn-lazarus-group,")
                && matches[1].hasPrefix("designation/test-lazarus-sdn,"))
    }

    @Test(arguments: Backend.allCases) func failOnMatchExitsOneOnAMatchAndZeroOtherwise(backend: Backend) throws {
        let sandbox = try sandbox(backend)
        let hit = try sandbox.run(["screen", "hidden cobra", "--fail-on-match"])
        #expect(hit.status == 1)
        #expect(hit.stdout.contains("HIDDEN COBRA"))
        #expect(try sandbox.run(["screen", "Acme Trading", "--fail-on-match"]).status == 0)
        #expect(try sandbox.run(["screen", "hidden cobra"]).status == 0)
    }

    @Test(arguments: Backend.allCases) func jsonScoresAreNumbers(backend: Backend) throws {
        let sandbox = try sandbox(backend)
        let result = try sandbox.run(["screen", "Bluenorof", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows[0]["matched_on"] as? String == "name")
        #expect((rows[0]["score"] as? NSNumber)?.doubleValue ?? 0 >= 0.85)
        #expect(rows[0]["rule"] as? String == "fuzzy")  // one letter left out: a typo, not a sound
        #expect(rows[0]["normalized_query"] as? String == "bluenorof")
    }

    @Test(arguments: [
        ["screen"], ["screen", "  "], ["screen", "x", "--threshold", "1.5"], ["screen", "x", "--as-of", "2020-02-30"],
    ])
    func badScreenUsageExits64(_ arguments: [String]) throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        #expect(try sandbox.run(arguments).status == 64)
    }
}
