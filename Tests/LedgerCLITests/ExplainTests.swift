import Foundation
import LedgerTestSupport
import Testing

/// `ledger explain` (contract section 10): the events behind one row, each with its part
/// that day, then the row as the report prints it.
@Suite struct ExplainTests {
    func explain(_ sandbox: LedgerSandbox, _ arguments: [String]) throws -> [String: Any] {
        let result = try sandbox.run(["explain"] + arguments + ["--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// `id: part` of each listed event, in order.
    func parts(_ explained: [String: Any]) -> [String] {
        ((explained["events"] as? [[String: Any]]) ?? []).map {
            "\($0["id"] as? String ?? ""): \($0["part"] as? String ?? "")"
        }
    }

    func sandbox(backend: Backend = .file) throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        #expect(
            try sandbox.run(["append", ReportTests.golden.appendingPathComponent("extra.ndjson").path]).status == 0)
        return sandbox
    }

    @Test(arguments: Backend.allCases) func eachEventsPartFollowsTheTwoClocks(backend: Backend) throws {
        let sandbox = try sandbox(backend: backend)
        let key = "incident/coincheck-2018"
        #expect(
            parts(try explain(sandbox, ["thefts", key, "--as-of", "2018-01-27"])) == [
                "coincheck-2018-theft: counts", "coincheck-2018-attribution-lazarus: not yet known",
                "test-coincheck-correction: not yet known",
            ])
        #expect(
            parts(try explain(sandbox, ["thefts", key, "--as-of", "2023-06-01"])) == [
                "coincheck-2018-theft: corrected by test-coincheck-correction",
                "coincheck-2018-attribution-lazarus: counts", "test-coincheck-correction: counts",
            ])
        let before = try explain(sandbox, ["thefts", key, "--as-of", "2023-06-01", "--at-seq", "14"])
        #expect(
            parts(before) == [
                "coincheck-2018-theft: counts", "coincheck-2018-attribution-lazarus: counts",
                "test-coincheck-correction: after the --at-seq",
            ])
        #expect((before["at_seq"] as? NSNumber)?.intValue == 14 && before["as_of"] as? String == "2023-06-01")
        let row = try #require(before["row"] as? [String: Any])
        #expect(row["incident"] as? String == key && (row["amount_usd"] as? NSNumber)?.intValue == 530_000_000)

        // A retraction counts from its own known_on: before it, the attribution counts.
        let heist = "incident/test-heist-2022"
        #expect(
            parts(try explain(sandbox, ["thefts", heist, "--as-of", "2022-04-30"])) == [
                "test-heist-2022-theft: counts", "test-heist-2022-attribution: counts",
                "test-heist-2022-retraction: not yet known",
            ])
        #expect(
            parts(try explain(sandbox, ["thefts", heist, "--as-of", "2022-05-01"])) == [
                "test-heist-2022-theft: counts",
                "test-heist-2022-attribution: retracted by test-heist-2022-retraction",
                "test-heist-2022-retraction: counts",
            ])
    }

    @Test func theRowIsTheReportsRow() throws {
        let sandbox = try sandbox()
        for (report, key, day) in [
            ("thefts", "incident/harmony-horizon-2022", "2023-06-01"),
            ("obligations", "resolution/unsc-2397#repatriate-workers", "2020-03-02"),
            ("actors", "actor/lazarus-group", "2023-06-01"), ("statements", "statement/test-statement", "2023-06-01"),
            ("designations", "designation/test-vessel", "2021-06-30"), ("totals", "2022", "2023-06-01"),
        ] {
            let explained = try sandbox.run(["explain", report, key, "--as-of", day])
            #expect(explained.status == 0, "\(report) \(key): \(explained.stderr)")
            let table = try sandbox.run(["report", report, "--as-of", day]).stdout.split(separator: "\n")
            let row = table.first { line in
                report == "obligations"
                    ? line.hasPrefix("resolution/unsc-2397 ") && line.contains(" repatriate-workers ")
                    : line.hasPrefix(key + " ")
            }
            let lines = explained.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            // The events, an empty line, then the row under the report's header, aligned as one table.
            #expect(lines.first?.hasPrefix("seq  id ") == true, "\(report)")
            let blank = try #require(lines.firstIndex(of: ""))
            #expect(lines[blank + 1].hasPrefix(String(table[0].prefix(8))), "\(report)")
            let printedRow = lines[blank + 3].split(separator: " ", omittingEmptySubsequences: true)
            #expect(printedRow == row?.split(separator: " ", omittingEmptySubsequences: true), "\(report)")
        }
        let obligation = try explain(
            sandbox, ["obligations", "resolution/unsc-2397#repatriate-workers", "--as-of", "2020-03-01"])
        #expect(
            parts(obligation) == [
                "unsc-2397-adopted: counts", "test-2397-ru: not yet known", "test-2397-cn: counts",
            ])
        let totals = parts(try explain(sandbox, ["totals", "2022", "--as-of", "2023-02-15"]))
        #expect(totals.contains("harmony-horizon-2022-theft: counts"))
        #expect(totals.contains("harmony-horizon-2022-attribution-fbi: counts"))
        #expect(totals.contains("chainalysis-dprk-stolen-2022: counts"))
        #expect(totals.contains("test-2022-revision: not yet known"))
        #expect(!totals.contains { $0.hasPrefix("coincheck-2018") })
        let actors = parts(try explain(sandbox, ["actors", "actor/lazarus-group", "--as-of", "2022-04-30"]))
        #expect(actors.first == "actor-lazarus-group-identified: counts")
        #expect(actors.contains("test-heist-2022-attribution: counts"))
        #expect(actors.contains("coincheck-2018-attribution-lazarus: not yet known"))
    }

    @Test func aKeyWithNoRowThatDayIsNoInput() throws {
        let sandbox = try sandbox()
        for arguments in [
            ["thefts", "incident/nowhere"], ["thefts", "incident/test-heist-2022", "--at-seq", "14"],
            ["designations", "designation/test-vessel", "--as-of", "2019-12-31"], ["totals", "1999"],
            ["obligations", "resolution/unsc-2397"],
        ] {
            let result = try sandbox.run(["explain"] + arguments)
            #expect(result.status == 66, "\(arguments)")
            #expect(result.stderr.hasPrefix("error: report \(arguments[0]) has no row \(arguments[1])"))
            #expect(result.stdout.isEmpty)
        }
        #expect(try sandbox.run(["explain", "profits", "2022"]).status == 64)
        #expect(try sandbox.run(["explain", "thefts"]).status == 64)
    }
}
