import Foundation
import Testing

@testable import LedgerDomain

@Suite struct EventDecoderTests {
    let decoder = EventDecoder()

    func fieldOfRefusal(_ line: String) -> String? {
        do {
            _ = try decoder.decode(Array(line.utf8))
            return nil
        } catch {
            return error.field
        }
    }

    static let theft =
        #"{"id":"t","type":"theft.reported","stream":"incident/x","occurred_on":"2022-06-23","source":{"publisher":"P","published_on":"2022-06-24"},"data":{"victim":"V","amount_usd":100,"assets":[],"methods":[]}}"#

    @Test func knownOnIsPublishedOnElseOccurredOn() throws {
        let event = try decoder.decode(Array(Self.theft.utf8))
        #expect(event.knownOn.description == "2022-06-24")
        let undated = try decoder.decode(
            Array(Self.theft.replacingOccurrences(of: #","published_on":"2022-06-24""#, with: "").utf8))
        #expect(undated.knownOn.description == "2022-06-23")
    }

    @Test(arguments: [
        (#""amount_usd":100"#, #""amount_usd":1000.0"#, "data.amount_usd"),
        (#""amount_usd":100"#, #""amount_usd":1e3"#, "data.amount_usd"),
        (#""victim":"V""#, #""victim":"V","victim":"W""#, "data.victim"),
        (#""published_on":"2022-06-24""#, #""published_on":"2022-06-22""#, "source.published_on"),
        (#""occurred_on":"2022-06-23""#, #""occurred_on":"2022-02-29""#, "occurred_on"),
        (#""methods":[]"#, #""methods":[],"method":[]"#, "data.method"),
        (#""stream":"incident/x""#, #""stream":"figure/x""#, "stream"),
        (#""publisher":"P""#, #""publisher":" ""#, "source.publisher"),
    ])
    func refusalsNameTheField(_ original: String, _ replacement: String, _ field: String) {
        #expect(fieldOfRefusal(Self.theft.replacingOccurrences(of: original, with: replacement)) == field)
    }

    @Test func obligationIDsMustBeUnique() {
        let line =
            #"{"id":"r","type":"resolution.adopted","stream":"resolution/r","occurred_on":"2017-12-22","source":{"publisher":"UN"},"data":{"symbol":"S","body":"B","title":"T","obligations":[{"id":"a","summary":"S"},{"id":"a","summary":"T"}]}}"#
        #expect(fieldOfRefusal(line) == "data.obligations[1].id")
    }
}

@Suite struct StreamNameTests {
    /// A stream name is checked once and carries its kind; anything else is not one.
    @Test func aStreamNameKnowsItsKind() throws {
        #expect(StreamName("incident/coincheck-2018")?.kind == .incident)
        #expect(StreamName("designation/ofac.lazarus_1")?.kind == .designation)
        for bad in ["incident", "Incident/x", "incident/", "incident/X", "planet/x", "incident/-x"] {
            #expect(StreamName(bad) == nil, "\(bad)")
        }
        let event = try EventDecoder().decode(
            Array(
                #"{"id":"a:1","type":"actor.identified","stream":"actor/lazarus","occurred_on":"2014-11-24","source":{"publisher":"FBI"},"data":{"name":"Lazarus Group","aliases":[]}}"#
                    .utf8))
        #expect(event.stream == StreamName("actor/lazarus"))
        #expect(event.streamKind == .actor)
        #expect(event.id == EventID("a:1"))
    }
}
