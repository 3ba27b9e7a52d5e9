import LedgerTestSupport
import Testing

@testable import LedgerDomain

/// Random `data` of every event type, its members in random order, its strings with every
/// kind of escape and script, optional members and empty lists present or not.
struct RandomData {
    var random: SplitMix64

    mutating func number(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
    mutating func pick<T>(_ options: [T]) -> T { options[number(options.count)] }
    mutating func chance() -> Bool { random.next() % 2 == 0 }

    /// A JSON string literal: plain, escaped (`\u0041`, `\/`, surrogate pairs), controls,
    /// quotes and backslashes, other scripts, characters past U+FFFF and in U+E000…U+FFFF.
    mutating func string() -> String {
        let pieces = [
            "Lazarus", " Group", #"\u0041"#, #"\/"#, #"\""#, #"\\"#, #"\n"#, #"\t"#, #"\u001f"#, #"\u007f"#,
            "Ünïcödé", "김정은", "ЛАЗАРУС", "😀", #"\ud83d\ude00"#, "\u{E000}", "\u{FFFD}", "x", "0", " ",
        ]
        var text = pick(["A", "Lazarus", "김", "É"])
        for _ in 0..<number(4) { text += pick(pieces) }
        return "\"\(text)\""
    }

    mutating func day() -> String {
        "\"\(2000 + number(25))-\(pick(["01", "06", "12"]))-\(pick(["01", "15", "28"]))\""
    }

    mutating func money() -> String {
        pick(["0", "-0", "1", "123456789", "9007199254740991", String(random.next() % 1_000_000_000)])
    }

    mutating func strings(nonEmpty: Bool = false) -> String {
        let count = nonEmpty ? 1 + number(3) : number(3)
        return "[" + (0..<count).map { _ in string() }.joined(separator: ",") + "]"
    }

    mutating func identifiers() -> String {
        let count = number(3)
        return "["
            + (0..<count).map { _ in
                let eth = "\"0x" + String(repeating: pick(["a", "B", "0", "9"]), count: 40) + "\""
                let (kind, value) = pick([("eth_address", eth), ("btc_address", "\"bc1q\""), ("other", "\"id 7\"")])
                return object([("kind", "\"\(kind)\""), ("value", value)])
            }.joined(separator: ",") + "]"
    }

    /// An object of `members` in random order.
    mutating func object(_ members: [(String, String)]) -> String {
        let shuffled = members.shuffled(using: &random)
        return "{" + shuffled.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// Adds `member` half of the time.
    mutating func maybe(_ member: (String, String), to members: inout [(String, String)]) {
        if chance() { members.append(member) }
    }

    /// Random `data` for `type`.
    mutating func data(of type: EventType) -> String {
        var members: [(String, String)] = []
        switch type {
        case .resolutionAdopted:
            let obligations = (0..<(1 + number(3))).map { index -> String in
                var obligation: [(String, String)] = [("id", "\"ob\(index)\""), ("summary", string())]
                maybe(("applies_to", string()), to: &obligation)
                maybe(("deadline", day()), to: &obligation)
                return object(obligation)
            }
            members = [
                ("symbol", string()), ("body", string()), ("title", string()),
                ("obligations", "[" + obligations.joined(separator: ",") + "]"),
            ]
        case .statementIssued:
            members = [
                ("issuers", strings(nonEmpty: true)), ("kind", "\"\(pick(StatementKind.allCases).rawValue)\""),
                ("summary", string()), ("mentions", pick(["[]", #"["actor/a1","incident/i.2"]"#])),
            ]
        case .actorIdentified:
            members = [("name", string()), ("aliases", strings())]
            maybe(("sponsor_state", "\"KP\""), to: &members)
        case .theftReported:
            members = [("victim", string()), ("amount_usd", money()), ("assets", strings()), ("methods", strings())]
            maybe(("victim_country", "\"JP\""), to: &members)
        case .attributionMade:
            members = [
                ("actor", "\"actor/a\(number(3))\""), ("attributed_by", string()),
                ("confidence", "\"\(pick(Confidence.allCases).rawValue)\""),
            ]
        case .figureReported:
            members = [
                ("metric", "\"crypto_stolen_usd\""), ("subject", pick(["\"KP\"", "\"actor/lazarus\""])),
                ("period", pick(["\"2023\"", "\"0999\"", "\"0001\""])), ("value", money()),
            ]
        case .designationAdded:
            members = [
                ("list", string()), ("entity", string()),
                ("entity_type", "\"\(pick(EntityType.allCases).rawValue)\""), ("aliases", strings()),
                ("identifiers", identifiers()),
            ]
            maybe(("program", string()), to: &members)
        case .designationAmended:
            maybe(("add_identifiers", identifiers()), to: &members)
            maybe(("remove_identifiers", identifiers()), to: &members)
            maybe(("add_aliases", strings()), to: &members)
        case .designationRemoved:
            members = [("reason", string())]
        case .complianceReported:
            members = [
                ("obligation", "\"ob1\""), ("party", "\"CN\""),
                ("status", "\"\(pick(ComplianceStatus.allCases).rawValue)\""), ("summary", string()),
            ]
        case .eventRetracted:
            members = [("target", "\"e-1\""), ("reason", string())]
        case .eventCorrected:
            let patch = object([
                ("amount_usd", pick(["1e3", "-0", "12.50", "null"])), ("victim", string()),
                ("nested", object([("b", "[1,2.0,true,null]"), ("a", string())])),
            ])
            members = [("target", "\"e-1\""), ("patch", patch), ("reason", string())]
        }
        return object(members)
    }
}

@Suite struct PayloadCanonicalTests {
    /// The canonical bytes the typed payload writes are those of the `data` as given,
    /// canonicalised as a JSON tree (RFC 8785), for every event the decoder accepts.
    @Test(arguments: 1...4)
    func payloadBytesEqualTheCanonicalDataGiven(seed: Int) throws {
        var generator = RandomData(random: SplitMix64(seed: UInt64(seed)))
        let decoder = EventDecoder()
        let reader = StrictJSONReader()
        var accepted: [EventType: Int] = [:]
        for index in 0..<1_500 {
            let type = generator.pick(EventType.allCases)
            let stream = "\(type.streamKind?.rawValue ?? "incident")/s\(index % 7)"
            let line = Array(
                #"{"id":"e\#(index)","type":"\#(type.rawValue)","stream":"\#(stream)","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":\#(generator.data(of: type))}"#
                    .utf8)
            guard let event = try? decoder.decode(line) else { continue }
            let given = try reader.read(line).objectValue?["data"] ?? .null
            #expect(
                event.payload.canonicalBytes == CanonicalJSON.bytes(of: given),
                "\(String(decoding: line, as: UTF8.self))")
            // Read back as JSON (for a merge patch), the data is the same typed data again.
            let readBack = EventContent(type: type, json: event.payload.json)
            #expect(readBack.payload?.canonicalBytes == event.payload.canonicalBytes)
            // Read back from those bytes without validating, it is the same payload; only an
            // escaped string sends the reader to the strict path.
            let bytes = event.payload.canonicalBytes
            let fast = bytes.withUnsafeBufferPointer { CanonicalDataReader.payload(type, from: $0) }
            // A patch is read back in canonical order and number forms: compared by its bytes.
            let same = type == .eventCorrected ? fast?.canonicalBytes == bytes : fast == event.payload
            if bytes.contains(UInt8(ascii: "\\")) {
                #expect(fast == nil || same)
            } else {
                #expect(same, "\(String(decoding: bytes, as: UTF8.self))")
            }
            let source = CanonicalJSON.bytes(of: event.source.json)
            #expect(source.withUnsafeBufferPointer { CanonicalDataReader.source(from: $0) } == event.source)
            accepted[type, default: 0] += 1
        }
        // Every type was written many times over, not refused.
        #expect(accepted.count == EventType.allCases.count)
        #expect(accepted.values.allSatisfy { $0 >= 20 }, "\(accepted)")
    }

    /// Stored data its type does not admit is not read as that type: the strict path then
    /// keeps it as JSON (`EventContent.unreadable`).
    @Test func theReaderRefusesWhatValidationWouldRefuse() {
        let cases: [(EventType, String)] = [
            (.designationAmended, #"{}"#),
            (.designationAmended, #"{"add_aliases":[],"add_identifiers":[]}"#),
            (.theftReported, #"{"assets":[],"methods":[],"victim":"V"}"#),
            (.theftReported, #"{"amount_usd":1.5,"assets":[],"methods":[],"victim":"V"}"#),
            (.theftReported, #"{"amount_usd":1,"assets":[],"methods":[],"victim":"V","x":1}"#),
            (.theftReported, #"{"amount_usd":1,"assets":[],"methods":[],"victim":"V\u0041"}"#),
            (.resolutionAdopted, #"{"body":"B","obligations":[],"symbol":"S","title":"T"}"#),
            (.figureReported, #"{"metric":"crypto_stolen_usd","period":"+123","subject":"KP","value":1}"#),
            (.attributionMade, #"{"actor":"actor/a","attributed_by":"F","confidence":"sure"}"#),
            (.eventCorrected, #"{"patch":{},"reason":"R","target":"t"}"#),
        ]
        for (type, data) in cases {
            let bytes = Array(data.utf8)
            #expect(bytes.withUnsafeBufferPointer { CanonicalDataReader.payload(type, from: $0) } == nil, "\(data)")
        }
        let patch = Array(#"{"patch":{"a":[1,{"b":"x\"}"}],"c":null},"reason":"R","target":"t"}"#.utf8)
        let corrected = patch.withUnsafeBufferPointer { CanonicalDataReader.payload(.eventCorrected, from: $0) }
        #expect(corrected?.canonicalBytes == patch)
    }

    /// A `period` that is not four digits is refused (it would not be written back as given).
    @Test func aPeriodIsFourDigits() {
        let decoder = EventDecoder()
        for period in ["+123", "-001", "12345", "0000", " 999"] {
            let line =
                #"{"id":"f","type":"figure.reported","stream":"figure/f","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"metric":"crypto_stolen_usd","subject":"KP","period":"\#(period)","value":1}}"#
            #expect(throws: EventValidationError.self, "\(period)") { try decoder.decode(Array(line.utf8)) }
        }
    }
}
