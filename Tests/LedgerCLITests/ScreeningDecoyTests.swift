import Foundation
import LedgerTestSupport
import Testing

/// A match with an active designation is never lost, however many other designations share
/// its name or its words (contract section 11; issue 24).
@Suite struct ScreeningDecoyTests {
    static func designation(_ id: String, _ entity: String, list: String = "DECOY-LIST", identifiers: String = "")
        -> String
    {
        #"{"id":"\#(id)","type":"designation.added","stream":"designation/\#(id)","occurred_on":"2023-01-01","source":{"publisher":"P"},"data":{"list":"\#(list)","entity":"\#(entity)","entity_type":"organization","aliases":[],"identifiers":[\#(identifiers)]}}"#
    }

    static let lazarus = designation(
        "real-lazarus", "Lazarus Group", list: "OFAC-SDN",
        identifiers: #"{"kind":"eth_address","value":"0x098b716b8aaf21512996dc57eb0615e2383e2f96"}"#)

    func appended(_ backend: Backend, _ lines: [String]) throws -> LedgerSandbox {
        let sandbox = try LedgerSandbox(backend: backend)
        let result = try sandbox.run(["append"], stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        return sandbox
    }

    @Test(arguments: Backend.allCases) func decoysSharingItsWordsDoNotHideAListing(backend: Backend) throws {
        let decoys = (0..<120).map {
            Self.designation("decoy-\($0)", "LAZARUS GROUP OF PYONGYANG TRADING NUMBER \($0)")
        }
        let sandbox = try appended(backend, decoys + [Self.lazarus])
        for query in ["Lazarus Group", "LAZARUS  GROUP", "Group Lazarus", "lazarus-group"] {
            let result = try sandbox.run(["screen", query, "--fail-on-match", "--format", "csv"])
            #expect(result.status == 1, "\(query): \(result.stderr)")
            #expect(
                result.stdout.contains("designation/real-lazarus,OFAC-SDN,Lazarus Group,name,Lazarus Group,"),
                "\(query): \(result.stdout.prefix(400))")
        }
    }

    @Test(arguments: Backend.allCases) func everyDesignationOfTheSameNameIsReported(backend: Backend) throws {
        let namesakes = (0..<150).map { Self.designation("namesake-\($0)", "LAZARUS GROUP") }
        let sandbox = try appended(backend, namesakes)
        let result = try sandbox.run(["screen", "Lazarus Group", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\r\n").dropFirst()
        #expect(rows.count == 150)
        #expect(rows.allSatisfy { $0.hasSuffix(",1.00") })
    }
}
