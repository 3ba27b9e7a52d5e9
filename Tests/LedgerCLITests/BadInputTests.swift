import Foundation
import LedgerTestSupport
import Testing

/// One kind of bad input: the line (as bytes), and the field the error must name.
struct BadInput: CustomTestStringConvertible, Sendable {
    var name: String
    var line: [UInt8]
    var field: String

    init(_ name: String, _ line: String, _ field: String) {
        self.init(name, Array(line.utf8), field)
    }

    init(_ name: String, _ line: [UInt8], _ field: String) {
        self.name = name
        self.line = line
        self.field = field
    }

    var testDescription: String { name }
}

/// An event line built from parts, for readable cases.
func line(
    id: String = "new-event", type: String = "theft.reported", stream: String = "incident/new-incident",
    occurred: String = "2024-03-01", source: String = #"{"publisher":"P"}"#,
    data: String = #"{"victim":"V","amount_usd":100,"assets":[],"methods":[]}"#, extra: String = ""
) -> String {
    #"{"id":"\#(id)","type":"\#(type)","stream":"\#(stream)","occurred_on":"\#(occurred)","source":\#(source),"data":\#(data)\#(extra)}"#
}

func theftData(_ amount: String = "100", victim: String = #""V""#, extra: String = "") -> String {
    #"{"victim":\#(victim),"amount_usd":\#(amount),"assets":[],"methods":[]\#(extra)}"#
}

let badInputs: [BadInput] = [
    BadInput("not JSON", "{\"id\":", "id"),
    BadInput("not JSON at all", "hello", "(line)"),
    BadInput("not an object", "[1,2]", "(line)"),
    BadInput("trailing garbage", line() + " x", "(line)"),
    BadInput("missing id", line().replacingOccurrences(of: #""id":"new-event","#, with: ""), "id"),
    BadInput("malformed id", line(id: "has space"), "id"),
    BadInput("unknown type", line(type: "theft.happened"), "type"),
    BadInput("unknown stream kind", line(stream: "wallet/x"), "stream"),
    BadInput("stream kind does not fit the type", line(stream: "actor/new"), "stream"),
    BadInput("not a calendar day", line(occurred: "2023-02-29"), "occurred_on"),
    BadInput(
        "published before it occurred", line(source: #"{"publisher":"P","published_on":"2024-02-01"}"#),
        "source.published_on"),
    BadInput("source without publisher", line(source: #"{"title":"T"}"#), "source.publisher"),
    BadInput("null for an optional field", line(source: #"{"publisher":"P","title":null}"#), "source.title"),
    BadInput("unknown envelope field", line(extra: #","note":"x""#), "note"),
    BadInput("unknown data field", line(data: theftData(extra: #","amount":1"#)), "data.amount"),
    BadInput(
        "duplicate key", line(data: #"{"victim":"V","victim":"W","amount_usd":1,"assets":[],"methods":[]}"#),
        "data.victim"),
    BadInput("integer written 1000.0", line(data: theftData("1000.0")), "data.amount_usd"),
    BadInput("integer written 1e3", line(data: theftData("1e3")), "data.amount_usd"),
    BadInput("negative money", line(data: theftData("-1")), "data.amount_usd"),
    BadInput("money above 2^53-1", line(data: theftData("9007199254740992")), "data.amount_usd"),
    BadInput("money as a string", line(data: theftData(#""100""#)), "data.amount_usd"),
    BadInput("empty string", line(data: theftData(victim: #""""#)), "data.victim"),
    BadInput(
        "lower-case country",
        line(data: #"{"victim":"V","victim_country":"jp","amount_usd":1,"assets":[],"methods":[]}"#),
        "data.victim_country"),
    BadInput(
        "invalid UTF-8",
        Array(line(data: theftData(victim: "\"VICTIM\"")).utf8).map { $0 == UInt8(ascii: "I") ? 0xFF : $0 },
        "data.victim"),
    BadInput("lone surrogate escape", line(data: theftData(victim: #""\ud800""#)), "data.victim"),
    BadInput("raw control character", line(data: theftData(victim: "\"a\u{1}b\"")), "data.victim"),
    BadInput(
        "nesting too deep",
        line(data: theftData(extra: #","x":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40))),
        "data.x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"),
    BadInput(
        "enum value unknown",
        line(
            type: "statement.issued", stream: "statement/new",
            data: #"{"issuers":["A"],"kind":"tweet","summary":"S","mentions":[]}"#), "data.kind"),
    BadInput(
        "empty obligations",
        line(
            type: "resolution.adopted", stream: "resolution/new",
            data: #"{"symbol":"S","body":"B","title":"T","obligations":[]}"#), "data.obligations"),
    BadInput(
        "obligation id twice",
        line(
            type: "resolution.adopted", stream: "resolution/new",
            data:
                #"{"symbol":"S","body":"B","title":"T","obligations":[{"id":"a","summary":"S"},{"id":"a","summary":"S"}]}"#
        ), "data.obligations[1].id"),
    BadInput(
        "attribution to an unknown actor",
        line(
            type: "attribution.made", stream: "incident/coincheck-2018",
            data: #"{"actor":"actor/nobody","attributed_by":"X","confidence":"alleged"}"#), "data.actor"),
    BadInput(
        "compliance with an unknown obligation",
        line(
            type: "compliance.reported", stream: "resolution/unsc-2397",
            data: #"{"obligation":"no-such","party":"RU","status":"violated","summary":"S"}"#), "data.obligation"),
    BadInput(
        "stream not created first",
        line(
            type: "attribution.made", stream: "incident/unknown",
            data: #"{"actor":"actor/lazarus-group","attributed_by":"X","confidence":"alleged"}"#), "type"),
    BadInput(
        "creation twice",
        line(type: "actor.identified", stream: "actor/lazarus-group", data: #"{"name":"Lazarus","aliases":[]}"#), "type"
    ),
    BadInput(
        "retraction of an event of another stream",
        line(
            type: "event.retracted", stream: "incident/coincheck-2018",
            data: #"{"target":"harmony-horizon-2022-theft","reason":"R"}"#), "data.target"),
    BadInput(
        "correction that leaves invalid data",
        line(
            type: "event.corrected", stream: "incident/coincheck-2018",
            data: #"{"target":"coincheck-2018-theft","patch":{"amount_usd":-5},"reason":"R"}"#), "data.patch.amount_usd"
    ),
    BadInput(
        "designation change on no designation",
        line(type: "designation.removed", stream: "designation/none", data: #"{"reason":"R"}"#), "type"),
    BadInput(
        "same id, other content",
        line(
            id: "coincheck-2018-theft", stream: "incident/coincheck-2018", occurred: "2018-01-26", data: theftData("1")),
        "id"),
    BadInput(
        "expected_version conflict",
        line(
            type: "attribution.made", stream: "incident/coincheck-2018",
            data: #"{"actor":"actor/lazarus-group","attributed_by":"X","confidence":"alleged"}"#,
            extra: #","expected_version":1"#), "expected_version"),
]

@Suite struct BadInputTests {
    /// Each kind of bad input, as line 2 of a batch whose line 1 is valid: exit 65, one
    /// `error: FILE:2: FIELD: why` line, and the ledger exactly as it was.
    @Test(arguments: badInputs, Backend.allCases)
    func badInputIsRefusedAndNothingIsAppended(_ bad: BadInput, backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let before = try sandbox.log()
        let good = line(id: "good-first-line", stream: "incident/good-first-line")
        var batch = Data((good + "\n").utf8)
        batch.append(Data(bad.line))
        batch.append(Data("\n".utf8))
        let file = try sandbox.write("batch.ndjson", batch)
        let result = try sandbox.run(["append", file])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("error: \(file):2: \(bad.field): "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.isEmpty)
        #expect(try sandbox.log() == before)
    }

    @Test func thereAreAtLeastThirtyKinds() {
        #expect(Set(badInputs.map(\.name)).count >= 30)
    }

    @Test(arguments: Backend.allCases) func aLineOverTheLengthLimitIsRefused(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let before = try sandbox.log()
        let huge = line(data: theftData(victim: "\"" + String(repeating: "a", count: 2 << 20) + "\""))
        let file = try sandbox.write("huge.ndjson", huge + "\n")
        let result = try sandbox.run(["append", file])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("error: \(file):1: (line): line longer than the limit"))
        #expect(try sandbox.log() == before)
    }

    @Test(arguments: Backend.allCases) func theErrorNamesTheRightFileAndLineAcrossFiles(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        let first = try sandbox.write(
            "a.ndjson",
            line(id: "one", stream: "incident/one") + "\n\n" + line(id: "two", stream: "incident/two") + "\n")
        let second = try sandbox.write(
            "b.ndjson", "\n" + line(id: "three", stream: "incident/three", occurred: "2024-13-01") + "\n")
        let result = try sandbox.run(["append", first, second])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("error: \(second):2: occurred_on: "))
        #expect(try sandbox.run(["log"]).stdout.isEmpty)
    }

    @Test(arguments: Backend.allCases) func twoAppendsWithTheSameExpectedVersionOneWins(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let attribution = { (id: String) in
            line(
                id: id, type: "attribution.made", stream: "incident/coincheck-2018",
                data: #"{"actor":"actor/lazarus-group","attributed_by":"X","confidence":"assessed"}"#,
                extra: #","expected_version":2"#)
        }
        #expect(try sandbox.run(["append"], stdin: Data((attribution("first") + "\n").utf8)).status == 0)
        let second = try sandbox.run(["append"], stdin: Data((attribution("second") + "\n").utf8))
        #expect(second.status == 65)
        #expect(second.stderr.hasPrefix("error: <stdin>:1: expected_version: conflict"))
    }
}
