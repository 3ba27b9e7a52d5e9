import Testing

@testable import LedgerDomain

/// Folds events through `StreamRules` the way the store does, with every stream in memory.
struct InMemoryLog {
    var streams: [String: StreamState] = [:]
    let decoder = EventDecoder()

    mutating func append(_ line: String) throws {
        let event = try decoder.decode(Array(line.utf8))
        var state = streams[event.stream.text] ?? StreamState(stream: event.stream.text)
        let known = streams
        try StreamRules.check(event, in: state) { known[$0]?.isStanding ?? false }
        state.apply(event)
        streams[event.stream.text] = state
    }

    /// The field of the refusal, or nil when the event was accepted.
    mutating func refusal(_ line: String) -> String? {
        do {
            try append(line)
            return nil
        } catch let error as EventValidationError {
            return error.field
        } catch {
            return "unexpected \(error)"
        }
    }
}

func event(
    _ id: String, _ type: String, _ stream: String, _ data: String, on day: String = "2022-01-01", extra: String = ""
)
    -> String
{
    #"{"id":"\#(id)","type":"\#(type)","stream":"\#(stream)","occurred_on":"\#(day)","source":{"publisher":"P"},"data":\#(data)\#(extra)}"#
}

@Suite struct StreamRulesTests {
    /// The data appending judges against follows corrections as they come, and falls back
    /// when a correction is retracted; the count of reports per obligation follows both.
    @Test func currentDataFollowsCorrectionsAndTheirRetraction() throws {
        var log = InMemoryLog()
        let resolution = "resolution/r"
        try log.append(
            event(
                "r", "resolution.adopted", resolution,
                #"{"symbol":"S","body":"B","title":"T","obligations":[{"id":"a","summary":"A"}]}"#))
        let addB =
            #"{"target":"r","patch":{"obligations":[{"id":"a","summary":"A"},{"id":"b","summary":"B"}]},"reason":"R"}"#
        try log.append(event("fix", "event.corrected", resolution, addB))
        let report = #"{"obligation":"b","party":"JP","status":"complied","summary":"S"}"#
        #expect(log.refusal(event("c1", "compliance.reported", resolution, report)) == nil)
        #expect(log.streams[resolution]?.reportsPerObligation["b"] == 1)
        // Moving the report to "a" by a correction, then retracting that correction, moves it back.
        let moveToA = #"{"target":"c1","patch":{"obligation":"a"},"reason":"R"}"#
        try log.append(event("move", "event.corrected", resolution, moveToA))
        #expect(log.streams[resolution]?.reportsPerObligation == ["a": 1, "b": 0])
        try log.append(event("unmove", "event.retracted", resolution, #"{"target":"move","reason":"R"}"#))
        #expect(log.streams[resolution]?.reportsPerObligation == ["a": 0, "b": 1])
        // Retracting the report frees "b"; retracting the correction that made "b" removes it.
        try log.append(event("c1-x", "event.retracted", resolution, #"{"target":"c1","reason":"R"}"#))
        try log.append(event("fix-x", "event.retracted", resolution, #"{"target":"fix","reason":"R"}"#))
        #expect(log.refusal(event("c2", "compliance.reported", resolution, report)) == "data.obligation")
        let state = log.streams[resolution]
        #expect(state?.currentData(of: "r") == state?.entries["r"].map { .typed($0.payload) })
    }

    static let theft = #"{"victim":"V","amount_usd":100,"assets":[],"methods":[]}"#
    static let actor = #"{"name":"Lazarus Group","aliases":[]}"#
    static let resolution = #"{"symbol":"S","body":"B","title":"T","obligations":[{"id":"ob","summary":"S"}]}"#
    static let designation =
        #"{"list":"OFAC-SDN","entity":"E","entity_type":"organization","aliases":[],"identifiers":[{"kind":"eth_address","value":"0xabc0000000000000000000000000000000000000"}]}"#

    @Test func aStreamStartsWithItsCreatingType() {
        var log = InMemoryLog()
        #expect(
            log.refusal(
                event(
                    "a", "attribution.made", "incident/x",
                    #"{"actor":"actor/a","attributed_by":"F","confidence":"alleged"}"#)) == "type")
        #expect(log.refusal(event("t", "theft.reported", "incident/x", Self.theft)) == nil)
        #expect(log.refusal(event("t2", "theft.reported", "incident/x", Self.theft)) == "type")
    }

    @Test func expectedVersionMustMatch() {
        var log = InMemoryLog()
        #expect(
            log.refusal(event("t", "theft.reported", "incident/x", Self.theft, extra: #","expected_version":1"#))
                == "expected_version")
        #expect(
            log.refusal(event("t", "theft.reported", "incident/x", Self.theft, extra: #","expected_version":0"#)) == nil
        )
        #expect(
            log.refusal(
                event(
                    "r", "event.retracted", "incident/x", #"{"target":"t","reason":"R"}"#,
                    extra: #","expected_version":0"#)) == "expected_version")
    }

    @Test func attributionNamesAStandingActor() {
        var log = InMemoryLog()
        _ = log.refusal(event("t", "theft.reported", "incident/x", Self.theft))
        let attribution = #"{"actor":"actor/lazarus","attributed_by":"FBI","confidence":"confirmed"}"#
        #expect(log.refusal(event("a1", "attribution.made", "incident/x", attribution)) == "data.actor")
        #expect(log.refusal(event("l", "actor.identified", "actor/lazarus", Self.actor)) == nil)
        #expect(log.refusal(event("a1", "attribution.made", "incident/x", attribution)) == nil)
        #expect(
            log.refusal(event("lr", "event.retracted", "actor/lazarus", #"{"target":"l","reason":"wrong"}"#)) == nil)
        #expect(log.refusal(event("a2", "attribution.made", "incident/x", attribution)) == "data.actor")
    }

    @Test func complianceNamesAnObligationOfTheResolution() {
        var log = InMemoryLog()
        _ = log.refusal(event("r", "resolution.adopted", "resolution/r", Self.resolution))
        #expect(
            log.refusal(
                event(
                    "c1", "compliance.reported", "resolution/r",
                    #"{"obligation":"nope","party":"RU","status":"violated","summary":"S"}"#)) == "data.obligation")
        #expect(
            log.refusal(
                event(
                    "c2", "compliance.reported", "resolution/r",
                    #"{"obligation":"ob","party":"RU","status":"violated","summary":"S"}"#)) == nil)
    }

    @Test func retractionsAndCorrectionsTargetTheirOwnStream() {
        var log = InMemoryLog()
        _ = log.refusal(event("t", "theft.reported", "incident/x", Self.theft))
        _ = log.refusal(event("u", "theft.reported", "incident/y", Self.theft))
        #expect(
            log.refusal(event("r1", "event.retracted", "incident/x", #"{"target":"u","reason":"R"}"#)) == "data.target")
        #expect(
            log.refusal(
                event("c1", "event.corrected", "incident/x", #"{"target":"t","patch":{"amount_usd":1.5},"reason":"R"}"#)
            ) == "data.patch.amount_usd")
        #expect(
            log.refusal(
                event("c2", "event.corrected", "incident/x", #"{"target":"t","patch":{"victim":null},"reason":"R"}"#))
                == "data.patch.victim")
        #expect(
            log.refusal(
                event("c3", "event.corrected", "incident/x", #"{"target":"t","patch":{"amount_usd":200},"reason":"R"}"#)
            ) == nil)
        #expect(
            log.refusal(
                event("c4", "event.corrected", "incident/x", #"{"target":"c3","patch":{"reason":"x"},"reason":"R"}"#))
                == "data.target")
        #expect(log.refusal(event("r2", "event.retracted", "incident/x", #"{"target":"t","reason":"R"}"#)) == nil)
        #expect(
            log.refusal(event("r3", "event.retracted", "incident/x", #"{"target":"t","reason":"again"}"#))
                == "data.target")
        #expect(
            log.refusal(event("r4", "event.retracted", "incident/x", #"{"target":"r2","reason":"R"}"#)) == "data.target"
        )
        #expect(log.refusal(event("r5", "event.retracted", "incident/none", #"{"target":"t","reason":"R"}"#)) == "type")
    }

    @Test func correctionsAreJudgedOnTheCorrectedData() throws {
        var log = InMemoryLog()
        _ = log.refusal(event("r", "resolution.adopted", "resolution/r", Self.resolution))
        let renamed = #"{"target":"r","patch":{"obligations":[{"id":"ob2","summary":"S2"}]},"reason":"R"}"#
        #expect(log.refusal(event("c", "event.corrected", "resolution/r", renamed)) == nil)
        #expect(
            log.refusal(
                event(
                    "k1", "compliance.reported", "resolution/r",
                    #"{"obligation":"ob","party":"RU","status":"violated","summary":"S"}"#)) == "data.obligation")
        #expect(
            log.refusal(
                event(
                    "k2", "compliance.reported", "resolution/r",
                    #"{"obligation":"ob2","party":"RU","status":"violated","summary":"S"}"#)) == nil)
    }

    @Test func designationChangesNeedAnActiveDesignation() {
        var log = InMemoryLog()
        _ = log.refusal(event("d", "designation.added", "designation/d", Self.designation))
        #expect(
            log.refusal(
                event(
                    "m1", "designation.amended", "designation/d",
                    #"{"remove_identifiers":[{"kind":"eth_address","value":"0xdef0000000000000000000000000000000000000"}]}"#
                ))
                == "data.remove_identifiers[0]")
        #expect(
            log.refusal(
                event(
                    "m2", "designation.amended", "designation/d",
                    #"{"remove_identifiers":[{"kind":"eth_address","value":"0xabc0000000000000000000000000000000000000"}]}"#
                )) == nil)
        #expect(log.refusal(event("x", "designation.removed", "designation/d", #"{"reason":"delisted"}"#)) == nil)
        #expect(log.refusal(event("m3", "designation.amended", "designation/d", #"{"add_aliases":["A"]}"#)) == "stream")
        #expect(log.refusal(event("x2", "designation.removed", "designation/d", #"{"reason":"again"}"#)) == "stream")
        #expect(
            log.refusal(event("xr", "event.retracted", "designation/d", #"{"target":"x","reason":"mistake"}"#)) == nil)
        #expect(log.refusal(event("m4", "designation.amended", "designation/d", #"{"add_aliases":["A"]}"#)) == nil)
    }
    /// Real lists remove aliases and rename entries: a removed alias must be on the designation
    /// as it stands (after earlier amendments), and the fold follows renames and programs.
    @Test func aliasRemovalsAndRenamesFollowTheDesignationAsItStands() throws {
        var log = InMemoryLog()
        try log.append(
            event(
                "d", "designation.added", "designation/d",
                #"{"list":"L","entity":"OLD NAME","entity_type":"aircraft","aliases":["A","B"],"identifiers":[],"program":"P1"}"#
            ))
        #expect(
            log.refusal(event("m1", "designation.amended", "designation/d", #"{"remove_aliases":["C"]}"#))
                == "data.remove_aliases[0]")
        #expect(
            log.refusal(
                event("m2", "designation.amended", "designation/d", #"{"remove_aliases":["A"],"add_aliases":["C"]}"#))
                == nil)
        #expect(
            log.refusal(event("m3", "designation.amended", "designation/d", #"{"remove_aliases":["A"]}"#))
                == "data.remove_aliases[0]")
        #expect(
            log.refusal(
                event("m4", "designation.amended", "designation/d", #"{"entity":"NEW NAME","program":"P2"}"#)) == nil)
        #expect(log.refusal(event("m5", "designation.amended", "designation/d", #"{}"#)) == "data")
        let standing = try #require(log.streams["designation/d"]?.designationStanding)
        #expect(standing.entity == "NEW NAME")
        #expect(standing.program == "P2")
        #expect(standing.aliases == ["B", "C"])
    }
}
