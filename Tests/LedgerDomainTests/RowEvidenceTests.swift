import LedgerDomain
import Testing

/// The events behind a row and their parts (contract section 10): which events are
/// gathered, and the first part that applies of `after the --at-seq`, `not yet known`,
/// `retracted by ID`, `corrected by ID`, `counts`.
@Suite struct RowEvidenceTests {
    static func event(_ seq: Int64, _ line: String) throws -> LoggedEvent {
        LoggedEvent(seq: seq, event: try EventDecoder().decode(Array(line.utf8)))
    }

    static let history: [LoggedEvent] = {
        let lines = [
            #"{"id":"t","type":"theft.reported","stream":"incident/a","occurred_on":"2022-01-01","source":{"publisher":"P"},"data":{"victim":"V","amount_usd":10,"assets":["ETH"],"methods":[]}}"#,
            #"{"id":"at","type":"attribution.made","stream":"incident/a","occurred_on":"2022-02-01","source":{"publisher":"Q"},"data":{"actor":"actor/x","attributed_by":"FBI","confidence":"confirmed"}}"#,
            #"{"id":"c1","type":"event.corrected","stream":"incident/a","occurred_on":"2022-03-01","source":{"publisher":"P"},"data":{"target":"at","patch":{"confidence":"assessed"},"reason":"r"}}"#,
            #"{"id":"r1","type":"event.retracted","stream":"incident/a","occurred_on":"2022-04-01","source":{"publisher":"Q"},"data":{"target":"at","reason":"r"}}"#,
            #"{"id":"o","type":"theft.reported","stream":"incident/b","occurred_on":"2021-01-01","source":{"publisher":"P"},"data":{"victim":"W","amount_usd":5,"assets":[],"methods":[]}}"#,
            #"{"id":"ot","type":"attribution.made","stream":"incident/b","occurred_on":"2022-05-01","source":{"publisher":"Q"},"data":{"actor":"actor/x","attributed_by":"FBI","confidence":"alleged"}}"#,
        ]
        return lines.enumerated().map { try! event(Int64($0.offset + 1), $0.element) }
    }()

    static func parts(
        _ report: ReportName, _ key: String, asOf: String, atSeq: Int64? = nil, history: [LoggedEvent] = history
    ) -> [String] {
        var evidence = RowEvidence(report: report, key: key)
        if evidence.dependsOnCorrectedFields {
            for logged in history where logged.event.type == .eventCorrected { evidence.noteCorrection(logged) }
        }
        for logged in history
        where evidence.mayConsider(type: logged.event.type.rawValue, stream: logged.event.stream.text) {
            evidence.consider(logged)
        }
        return evidence.parts(asOf: Day(asOf)!, atSeq: atSeq).map { "\($0.id.text) \($0.part)" }
    }

    @Test func theFirstPartThatAppliesIsTheOneGiven() {
        #expect(
            Self.parts(.thefts, "incident/a", asOf: "2022-01-15") == [
                "t counts", "at not yet known", "c1 not yet known", "r1 not yet known",
            ])
        #expect(
            Self.parts(.thefts, "incident/a", asOf: "2022-03-15") == [
                "t counts", "at corrected by c1", "c1 counts", "r1 not yet known",
            ])
        // Retracted comes before corrected; after the --at-seq before not yet known.
        #expect(
            Self.parts(.thefts, "incident/a", asOf: "2022-04-15") == [
                "t counts", "at retracted by r1", "c1 counts", "r1 counts",
            ])
        #expect(
            Self.parts(.thefts, "incident/a", asOf: "2022-01-15", atSeq: 2) == [
                "t counts", "at not yet known", "c1 after the --at-seq", "r1 after the --at-seq",
            ])
    }

    @Test func actorsAndTotalsGatherAcrossStreams() {
        #expect(
            Self.parts(.actors, "actor/x", asOf: "2022-04-15") == [
                "at retracted by r1", "c1 counts", "r1 counts", "ot not yet known",
            ])
        #expect(
            Self.parts(.totals, "2022", asOf: "2022-04-15") == [
                "t counts", "at retracted by r1", "c1 counts", "r1 counts",
            ])
        #expect(Self.parts(.totals, "2021", asOf: "2022-06-01") == ["o counts", "ot counts"])
    }

    @Test func aCorrectionThatMovesAnEventListsItInBothRows() throws {
        let moved =
            Self.history + [
                try Self.event(
                    7,
                    #"{"id":"c2","type":"event.corrected","stream":"incident/b","occurred_on":"2022-06-01","source":{"publisher":"Q"},"data":{"target":"ot","patch":{"actor":"actor/y"},"reason":"r"}}"#
                )
            ]
        // Moved out of actor/x's row by c2, from c2's known_on on.
        #expect(
            Self.parts(.actors, "actor/x", asOf: "2022-06-15", history: moved).suffix(2) == [
                "ot corrected by c2", "c2 counts",
            ])
        // Moved into actor/y's row: not in it before c2 is known, then corrected by c2.
        #expect(
            Self.parts(.actors, "actor/y", asOf: "2022-05-15", history: moved) == [
                "ot not yet known", "c2 not yet known",
            ])
        #expect(
            Self.parts(.actors, "actor/y", asOf: "2022-06-15", history: moved) == ["ot corrected by c2", "c2 counts"])
    }
}
