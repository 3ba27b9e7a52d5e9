import LedgerTestSupport
import Testing

@testable import LedgerDomain

@Suite struct StrictJSONReaderTests {
    let reader = StrictJSONReader()

    @Test(arguments: ["1000", "1000.0", "1e3", "-0", "0.5E-2"])
    func numbersKeepTheirLexicalForm(_ text: String) throws {
        #expect(try reader.read(text) == .number(text))
    }

    @Test func duplicateKeyIsRefusedAndNamed() {
        #expect(throws: JSONSyntaxError.self) { try reader.read(#"{"a":1,"a":2}"#) }
        do {
            _ = try reader.read(#"{"data":{"victim":"V","victim":"W"}}"#)
            Issue.record("accepted a duplicate key")
        } catch {
            #expect(error.path == "data.victim")
            #expect(error.reason.contains("duplicate key"))
        }
    }

    @Test func errorPathNamesArrayElements() {
        do {
            _ = try reader.read(#"{"data":{"obligations":[{"id":"a"},{"id":tru}]}}"#)
            Issue.record("accepted a bad literal")
        } catch {
            #expect(error.path == "data.obligations[1].id")
        }
    }

    @Test(
        arguments: [
            [0x22, 0xFF, 0x22],  // never valid in UTF-8
            [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // an encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xE2, 0x82, 0x22],  // truncated sequence
        ] as [[UInt8]])
    func invalidUTF8IsRefused(_ bytes: [UInt8]) {
        #expect(throws: JSONSyntaxError.self) { try reader.read(bytes) }
    }

    @Test func validUTF8AndEscapesAreDecoded() throws {
        #expect(try reader.read(#""北朝鮮 🚀""#) == .string("北朝鮮 🚀"))
        #expect(try reader.read(#""\u00e9\ud83d\ude80\n\"\\\/""#) == .string("é🚀\n\"\\/"))
    }

    @Test(arguments: [#""\ud800""#, #""\udc00x""#, #""\ud800\u0041""#])
    func loneSurrogateEscapesAreRefused(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try reader.read(text) }
    }

    @Test(arguments: [
        "", "   ", "{", "{}x", "[1,]", "{\"a\":1,}", "01", "1.", "-", "+1", ".5", "1e", "tru", "nul",
        "'a'", "{a:1}", "\"a\u{0001}\"", "\"\\x\"", "NaN", "Infinity", "[1 2]", "\u{FEFF}{}",
    ])
    func malformedJSONIsRefused(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try reader.read(text) }
    }

    @Test func nestingDeeperThanTheLimitIsRefused() throws {
        let limit = JSONLimits.ledger.maxDepth
        let ok = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        _ = try reader.read(ok)
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        do {
            _ = try reader.read(deep)
            Issue.record("accepted nesting past the limit")
        } catch {
            #expect(error.reason.contains("limit"))
        }
    }

    @Test func stringsLongerThanTheLimitAreRefused() {
        let long = "\"" + String(repeating: "a", count: JSONLimits.ledger.maxStringBytes + 1) + "\""
        #expect(throws: JSONSyntaxError.self) { try reader.read(long) }
    }

    @Test func memberOrderIsKept() throws {
        let value = try reader.read(#"{"b":1,"a":2}"#)
        #expect(value.objectValue?.keys == ["b", "a"])
    }

    /// Random bytes and random mutations of a valid event must never crash the reader or
    /// the decoder: each ends in a value or a typed error.
    @Test func randomMutationsNeverCrash() {
        var random = SplitMix64(seed: 2397)
        let base = Array(
            #"{"id":"a","type":"theft.reported","stream":"incident/x","occurred_on":"2022-01-01","source":{"publisher":"P"},"data":{"victim":"V","amount_usd":1,"assets":["ETH"],"methods":[]}}"#
                .utf8)
        let decoder = EventDecoder()
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = base
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                default: bytes = Array(bytes[..<position])
                }
                if bytes.isEmpty { break }
            }
            if (try? decoder.decode(bytes)) != nil { accepted += 1 }
        }
        #expect(accepted < 20_000)
    }
}
