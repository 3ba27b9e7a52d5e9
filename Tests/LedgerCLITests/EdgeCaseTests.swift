import Foundation
import LedgerTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Values at the contract's edges give right answers, and wrong input is refused with a reason.
@Suite struct EdgeCaseTests {
    static let maxAmount: Int64 = 9_007_199_254_740_991

    func theft(_ id: String, amount: Int64, year: Int = 2021, publisher: String = "P") -> String {
        #"{"id":"\#(id)","type":"theft.reported","stream":"incident/\#(id)","occurred_on":"\#(year)-03-01","source":{"publisher":"\#(publisher)"},"data":{"victim":"V","amount_usd":\#(amount),"assets":[],"methods":[]}}"#
    }

    func attribution(_ id: String, incident: String, actor: String = "actor/big") -> String {
        #"{"id":"\#(id)","type":"attribution.made","stream":"incident/\#(incident)","occurred_on":"2021-04-01","source":{"publisher":"P"},"data":{"actor":"\#(actor)","attributed_by":"FBI","confidence":"confirmed"}}"#
    }

    func append(_ sandbox: LedgerSandbox, _ lines: [String], name: String = "in.ndjson") throws -> RunResult {
        try sandbox.write(name, lines.joined(separator: "\n") + "\n")
        return try sandbox.run(["append", "--quiet", sandbox.path(name)])
    }

    @Test func sumsBeyond64BitsAreExactInEveryFormat() throws {
        let sandbox = try LedgerSandbox()
        var lines = [
            #"{"id":"big","type":"actor.identified","stream":"actor/big","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"name":"Big","aliases":[]}}"#
        ]
        for index in 0..<1_030 {
            lines.append(theft("t\(index)", amount: Self.maxAmount))
            lines.append(attribution("a\(index)", incident: "t\(index)"))
        }
        #expect(try append(sandbox, lines).status == 0)
        let expected = String(Int128(1_030) * Int128(Self.maxAmount))  // 9277415232383220730
        let csv = try sandbox.run(["report", "totals", "--as-of", "2022-01-01", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains("2021,1030,1030,\(expected),,\r\n"), "\(csv.stdout)")
        let json = try sandbox.run(["report", "totals", "--as-of", "2022-01-01", "--format", "json"])
        #expect(json.stdout.contains(#""incident_sum_usd":\#(expected)"#), "\(json.stdout)")
        let table = try sandbox.run(["report", "totals", "--as-of", "2022-01-01"])
        #expect(table.status == 0 && table.stdout.contains(expected))
        let actors = try sandbox.run(["report", "actors", "--as-of", "2022-01-01", "--format", "csv"])
        #expect(actors.status == 0, "\(actors.stderr)")
        #expect(actors.stdout.contains("actor/big,Big,,,1030,\(expected),2021-03-01,2021-03-01"), "\(actors.stdout)")
    }

    @Test func aNULInAStringIsStoredWholeAndShownEscaped() throws {
        let sandbox = try LedgerSandbox()
        #expect(try append(sandbox, [theft("nul", amount: 5, publisher: #"P\u0000Q"#)]).status == 0)
        #expect(try sandbox.run(["verify"]).status == 0)
        #expect(try sandbox.log().contains(#""publisher":"P\u0000Q""#))
        #expect(try sandbox.run(["replay"]).status == 0)
        #expect(try sandbox.run(["verify"]).status == 0)
        let table = try sandbox.run(["report", "thefts", "--as-of", "2022-01-01"])
        #expect(table.stdout.contains(#"P\u{0}Q"#), "\(table.stdout)")
        let csv = try sandbox.run(["report", "thefts", "--as-of", "2022-01-01", "--format", "csv"])
        #expect(csv.stdout.contains("P\u{0}Q"))
    }

    @Test func theLargestAtSeqMeansTheWholeLedger() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        for report in ["thefts", "designations", "totals"] {
            let all = try sandbox.run(["report", report, "--as-of", "2023-06-01", "--format", "csv"])
            let max = try sandbox.run(
                ["report", report, "--as-of", "2023-06-01", "--format", "csv", "--at-seq", "9223372036854775807"])
            #expect(max.status == 0 && max.stdout == all.stdout, "\(report): \(max.stdout)")
            #expect(all.stdout.split(separator: "\r\n").count > 1)
        }
    }

    @Test func tableOutputEscapesBidiControlsAndLineSeparators() throws {
        let sandbox = try LedgerSandbox()
        let name = #"Evil\u202Epuorg\u2028next\u2029para\u2066iso\u200F"#
        let actor =
            #"{"id":"evil","type":"actor.identified","stream":"actor/evil","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"name":"\#(name)","aliases":[]}}"#
        #expect(try append(sandbox, [actor]).status == 0)
        let table = try sandbox.run(["report", "actors", "--as-of", "2022-01-01"])
        #expect(table.status == 0)
        for raw in ["\u{202E}", "\u{2028}", "\u{2029}", "\u{2066}", "\u{200F}"] {
            #expect(!table.stdout.contains(raw), "raw \(raw.unicodeScalars.first!.value) in table output")
        }
        #expect(
            table.stdout.contains(#"Evil\u{202e}puorg\u{2028}next\u{2029}para\u{2066}iso\u{200f}"#), "\(table.stdout)")
        let log = try sandbox.run(["log", "--format", "table"])
        #expect(!log.stdout.contains("\u{202E}"))
    }

    @Test(arguments: ["fifo", "directory", "device"])
    func aDatabaseThatIsNotARegularFileIsRefusedWithoutHanging(_ kind: String) throws {
        let sandbox = try LedgerSandbox()
        let path: String
        switch kind {
        case "fifo":
            path = sandbox.path("fifo")
            #expect(mkfifo(path, 0o644) == 0)
        case "directory":
            path = sandbox.path("dir")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        default:
            path = "/dev/null"
        }
        for command in [
            ["report", "thefts"], ["log"], ["verify"], ["screen", "x"], ["init"], ["append", "/dev/null"],
        ] {
            let words = command.map { "'\($0)'" }.joined(separator: " ")
            // `timeout` turns a hang into exit 124.
            let result = try sandbox.shell("timeout 10 \"$LEDGER\" \(words) --db '\(path)'")
            #expect(result.status == 66, "\(kind) \(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("not a ledger"), "\(result.stderr)")
        }
    }

    @Test func anEmptyActorIsBadUsage() throws {
        let sandbox = try LedgerSandbox()
        let result = try sandbox.run(["append", "--actor", "", "/dev/null"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.database))
    }

    static let designation =
        #"{"id":"d1","type":"designation.added","stream":"designation/d1","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"list":"L","entity":"Wallet Holder","entity_type":"organization","aliases":[],"identifiers":[{"kind":"eth_address","value":"0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"},{"kind":"other","value":"REG-1"}]}}"#

    @Test func removingAnEthAddressMatchesItCaseInsensitively() throws {
        let sandbox = try LedgerSandbox()
        #expect(try append(sandbox, [Self.designation]).status == 0)
        let removal =
            #"{"id":"d1-a","type":"designation.amended","stream":"designation/d1","occurred_on":"2021-01-01","source":{"publisher":"P"},"data":{"remove_identifiers":[{"kind":"eth_address","value":"0xabcdef0123456789abcdef0123456789abcdef01"}]}}"#
        let result = try append(sandbox, [removal], name: "b.ndjson")
        #expect(result.status == 0, "\(result.stderr)")
        let report = try sandbox.run(["report", "designations", "--as-of", "2022-01-01", "--format", "csv"])
        #expect(!report.stdout.lowercased().contains("0xabcdef"), "\(report.stdout)")
        #expect(report.stdout.contains("other:REG-1"))
        let screen = try sandbox.run(["screen", "0xabcdef0123456789abcdef0123456789abcdef01", "--as-of", "2022-01-01"])
        #expect(!screen.stdout.contains("designation/d1"))
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    @Test(arguments: [
        ("0x123", "eth_address"), ("abcdef0123456789abcdef0123456789abcdef0123", "eth_address"),
        ("0xgbcdef0123456789abcdef0123456789abcdef01", "eth_address"),
        (#"0xabcdef0123456789abcdef0123456789abcdef01\u200B"#, "eth_address"),
        (#"bc1q\u200Bxyz"#, "btc_address"), (#"REG\u00AD1"#, "other"), (#"T\u202Exyz"#, "trx_address"),
        (#"ab\uFE0Fc"#, "other"),
    ])
    func aMalformedIdentifierIsInvalidInput(_ value: String, _ kind: String) throws {
        let sandbox = try LedgerSandbox()
        let line =
            #"{"id":"d2","type":"designation.added","stream":"designation/d2","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"list":"L","entity":"E","entity_type":"organization","aliases":[],"identifiers":[{"kind":"\#(kind)","value":"\#(value)"}]}}"#
        let result = try append(sandbox, [line])
        #expect(result.status == 65, "\(value): \(result.stderr)")
        #expect(result.stderr.contains("in.ndjson:1: data.identifiers[0].value: "), "\(result.stderr)")
    }

    @Test func aCorrectionMayNotDeleteAnObligationThatHasComplianceReports() throws {
        let sandbox = try LedgerSandbox()
        let lines = [
            #"{"id":"r","type":"resolution.adopted","stream":"resolution/r","occurred_on":"2017-01-01","source":{"publisher":"UN"},"data":{"symbol":"S/RES/1","body":"UNSC","title":"T","obligations":[{"id":"a","summary":"A"},{"id":"b","summary":"B"}]}}"#,
            #"{"id":"c","type":"compliance.reported","stream":"resolution/r","occurred_on":"2018-01-01","source":{"publisher":"UN"},"data":{"obligation":"a","party":"JP","status":"complied","summary":"S"}}"#,
        ]
        #expect(try append(sandbox, lines).status == 0)
        let dropA =
            #"{"id":"fix","type":"event.corrected","stream":"resolution/r","occurred_on":"2018-02-01","source":{"publisher":"UN"},"data":{"target":"r","patch":{"obligations":[{"id":"b","summary":"B"}]},"reason":"r"}}"#
        let refused = try append(sandbox, [dropA], name: "b.ndjson")
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(
            refused.stderr.contains("b.ndjson:1: data.patch") && refused.stderr.contains("\"a\""), "\(refused.stderr)")
        // Once its report is retracted, the obligation may go.
        let retract =
            #"{"id":"c-x","type":"event.retracted","stream":"resolution/r","occurred_on":"2018-01-15","source":{"publisher":"UN"},"data":{"target":"c","reason":"r"}}"#
        #expect(try append(sandbox, [retract, dropA], name: "c.ndjson").status == 0)
        // Dropping an obligation with no reports stays allowed.
        let dropB =
            #"{"id":"fix2","type":"event.corrected","stream":"resolution/r","occurred_on":"2018-03-01","source":{"publisher":"UN"},"data":{"target":"r","patch":{"obligations":[{"id":"z","summary":"Z"}]},"reason":"r"}}"#
        #expect(try append(sandbox, [dropB], name: "d.ndjson").status == 0)
    }

    @Test func anAttributionOnARetractedIncidentIsRefused() throws {
        let sandbox = try LedgerSandbox()
        let lines = [
            #"{"id":"big","type":"actor.identified","stream":"actor/big","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"name":"Big","aliases":[]}}"#,
            theft("gone", amount: 5),
            #"{"id":"gone-x","type":"event.retracted","stream":"incident/gone","occurred_on":"2021-03-05","source":{"publisher":"P"},"data":{"target":"gone","reason":"duplicate"}}"#,
        ]
        #expect(try append(sandbox, lines).status == 0)
        let result = try append(sandbox, [attribution("late", incident: "gone")], name: "b.ndjson")
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("b.ndjson:1: ") && result.stderr.contains("retracted"), "\(result.stderr)")
    }
}
