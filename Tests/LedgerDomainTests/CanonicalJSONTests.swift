import LedgerTestSupport
import Testing

@testable import LedgerDomain

@Suite struct CanonicalJSONTests {
    let reader = StrictJSONReader()

    func canonical(_ text: String) throws -> String {
        CanonicalJSON.string(of: try reader.read(text))
    }

    @Test func membersAreSortedAndWhiteSpaceDropped() throws {
        #expect(try canonical(#"{ "b" : [1, {"z":1,"a":2}], "a" : null }"#) == #"{"a":null,"b":[1,{"a":2,"z":1}]}"#)
    }

    @Test func keysSortByUTF16CodeUnits() throws {
        // U+1F680 (a surrogate pair, D83D…) sorts before U+FB01 in UTF-16, after it in code points.
        #expect(try canonical(#"{"\ufb01":1,"\ud83d\ude80":2}"#) == "{\"🚀\":2,\"ﬁ\":1}")
    }

    @Test func stringsUseMinimalEscapes() throws {
        #expect(try canonical(#""\u0041\/\u0007\u001f\b\f\n\r\t\"\\é""#) == #""A/\u0007\u001f\b\f\n\r\t\"\\é""#)
    }

    @Test(arguments: [
        ("1000", "1000"), ("-0", "0"), ("1000.0", "1000"), ("1e3", "1000"), ("1E+2", "100"), ("0.5", "0.5"),
        ("1e21", "1e+21"), ("1e20", "100000000000000000000"), ("1.5e-7", "1.5e-7"), ("0.000001", "0.000001"),
        ("-12.75", "-12.75"),
    ])
    func numbersFollowECMAScript(_ input: String, _ expected: String) {
        #expect(CanonicalJSON.canonicalNumber(input) == expected)
    }

    @Test func storedEventWriterMatchesTheGeneralWriter() throws {
        let event = StoredEvent(
            seq: 7, id: "e:1", type: "theft.reported", stream: "incident/x", streamVersion: 1,
            occurredOn: "2022-06-23", sourceJSON: #"{"publisher":"P \"Q\""}"#,
            dataJSON: #"{"amount_usd":1,"victim":"V\n"}"#, recordedAt: "2026-01-01T00:00:00.000Z",
            recordedBy: "ana\u{1}", prevHash: HashChain.genesis, hash: String(repeating: "a", count: 64))
        for includingHash in [false, true] {
            let direct = String(decoding: event.canonicalBytes(includingHash: includingHash), as: UTF8.self)
            var object = JSONObject()
            object["seq"] = .number("7")
            object["id"] = .string(event.id)
            object["type"] = .string(event.type)
            object["stream"] = .string(event.stream)
            object["stream_version"] = .number("1")
            object["occurred_on"] = .string(event.occurredOn)
            object["source"] = try reader.read(event.sourceJSON)
            object["data"] = try reader.read(event.dataJSON)
            object["recorded_at"] = .string(event.recordedAt)
            object["recorded_by"] = .string(event.recordedBy)
            object["prev_hash"] = .string(event.prevHash)
            if includingHash { object["hash"] = .string(event.hash) }
            #expect(direct == CanonicalJSON.string(of: .object(object)))
        }
    }

    @Test func hashIsLowercaseHexSHA256() {
        #expect(
            HashChain.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
    }

    /// Canonical JSON is a fixed point: reading it back and writing it again changes nothing.
    @Test func canonicalFormIsStableUnderRereading() throws {
        var random = SplitMix64(seed: 2375)
        for _ in 0..<2_000 {
            let value = randomValue(&random, depth: 0)
            let once = CanonicalJSON.bytes(of: value)
            let twice = CanonicalJSON.bytes(of: try reader.read(once))
            #expect(once == twice)
        }
    }

    func randomValue(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        let pick = depth > 3 ? random.next() % 4 : random.next() % 6
        switch pick {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .number(String(Int64(bitPattern: random.next()) % 9_007_199_254_740_991))
        case 3:
            let scalars: [Unicode.Scalar] = ["a", "\"", "\\", "\u{1}", "\n", "é", "🚀", "\u{7F}", "ﬁ", " "]
            return .string(
                String(
                    String.UnicodeScalarView((0..<Int(random.next() % 8)).map { _ in scalars[Int(random.next() % 10)] })
                ))
        case 4: return .array((0..<Int(random.next() % 4)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var object = JSONObject()
            for index in 0..<Int(random.next() % 5) {
                object["k\(random.next() % 7)\(index % 2 == 0 ? "é" : "")"] = randomValue(&random, depth: depth + 1)
            }
            return .object(object)
        }
    }
}

@Suite struct SourcePublisherTests {
    /// The publisher read from the canonical bytes, when the fast reading answers, is the one
    /// the full reader finds; names with escapes are left to the full reader.
    @Test func publisherFromCanonicalBytesEqualsTheParsedOne() throws {
        var random = SystemRandomNumberGenerator()
        let pieces = ["a", "Z", " ", "é", "\"", "\\", "\n", "\u{0}", ",", "}", "publisher", ":", "Ω"]
        var fast = 0
        for _ in 0..<1_000 {
            let publisher =
                "P" + (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement()! }.joined()
            let source = Source(
                publisher: publisher, title: Bool.random() ? "T\"," : nil, url: Bool.random() ? "https://x" : nil,
                publishedOn: Bool.random() ? Day("2019-12-23") : nil)
            let bytes = Array(CanonicalJSON.string(of: source.json).utf8)
            let read = bytes.withUnsafeBufferPointer { Source.publisher(inCanonical: $0) }
            if let read {
                fast += 1
                #expect(read == publisher)
            } else {
                #expect(publisher.utf8.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 })
            }
        }
        #expect(fast > 100)
        let odd = Array(#"{"title":"x","publisher":"y"}"#.utf8)
        #expect(odd.withUnsafeBufferPointer { Source.publisher(inCanonical: $0) } == nil)
    }
}
