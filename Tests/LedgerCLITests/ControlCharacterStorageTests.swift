import Foundation
import LedgerTestSupport
import Testing

/// Every string JSON can carry, NUL and the other control characters and astral-plane
/// characters included, is stored losslessly and behaves the same on a file and on a server
/// (issue 24).
@Suite struct ControlCharacterStorageTests {
    /// Events whose strings hold every C0 control character, DEL, and astral-plane characters.
    static var events: String {
        let controls = (0..<0x20).map { String(format: "\\u%04x", $0) }.joined() + "\\u007f"
        let astral = "😀𝔘𝕟𝕚"
        return [
            #"{"id":"s-nul","type":"statement.issued","stream":"statement/nul","occurred_on":"2023-01-01","source":{"publisher":"P\u0000ublisher","title":"t\#(controls)"},"data":{"issuers":["A\u0000B"],"kind":"other","summary":"\#(controls) \#(astral)","mentions":[]}}"#,
            #"{"id":"d-nul","type":"designation.added","stream":"designation/nul","occurred_on":"2023-01-01","source":{"publisher":"P"},"data":{"list":"L\u0000IST","entity":"KIM\u0000JONG \#(astral)","entity_type":"individual","aliases":["A\u0000LIAS\#(controls)"],"identifiers":[]}}"#,
            #"{"id":"a-nul","type":"actor.identified","stream":"actor/nul","occurred_on":"2023-01-01","source":{"publisher":"P"},"data":{"name":"N\u0000AME","aliases":[]}}"#,
            #"{"id":"t-nul","type":"theft.reported","stream":"incident/nul","occurred_on":"2023-01-01","source":{"publisher":"P\u0000"},"data":{"victim":"V\u0000","amount_usd":5,"assets":["\u0000"],"methods":[]}}"#,
            #"{"id":"at-nul","type":"attribution.made","stream":"incident/nul","occurred_on":"2023-01-02","source":{"publisher":"P"},"data":{"actor":"actor/nul","attributed_by":"B\u0000Y","confidence":"alleged"}}"#,
            #"{"id":"f-nul","type":"figure.reported","stream":"figure/nul","occurred_on":"2023-01-01","source":{"publisher":"F\u0000IG"},"data":{"metric":"crypto_stolen_usd","subject":"KP","period":"2022","value":7}}"#,
            #"{"id":"r-nul","type":"resolution.adopted","stream":"resolution/nul","occurred_on":"2023-01-01","source":{"publisher":"P"},"data":{"symbol":"S\u0000","body":"B","title":"T","obligations":[{"id":"ob","summary":"S\u0000UM"}]}}"#,
            #"{"id":"c-nul","type":"compliance.reported","stream":"resolution/nul","occurred_on":"2023-01-03","source":{"publisher":"P"},"data":{"obligation":"ob","party":"KP","status":"violated","summary":"\u0000"}}"#,
            #"{"id":"x-nul","type":"event.corrected","stream":"incident/nul","occurred_on":"2023-01-04","source":{"publisher":"P"},"data":{"target":"t-nul","patch":{"victim":"W\u0000"},"reason":"\u0000"}}"#,
        ].joined(separator: "\n") + "\n"
    }

    @Test(arguments: Backend.allCases) func controlCharactersAreStoredAndReadBackAlike(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        let appended = try sandbox.run(["append"], stdin: Data(Self.events.utf8))
        #expect(appended.status == 0, "\(appended.stderr)")
        for command in [
            ["verify"], ["replay"], ["replay", "--at-seq", "5"], ["report", "thefts"], ["report", "totals"],
            ["report", "designations"], ["report", "obligations"], ["report", "statements"], ["report", "actors"],
            ["screen", "KIM JONG"], ["history", "incident/nul"],
        ] {
            let result = try sandbox.run(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        // The stored bytes are the input's: the log reads back with the hashes it was made with.
        let log = try sandbox.log()
        #expect(log.contains(#""summary":"\u0000""#))
        #expect(log.contains(#"KIM\u0000JONG 😀𝔘𝕟𝕚"#))
    }

    @Test func aLogWithControlCharactersCopiesFileToServerToFile() throws {
        let source = try LedgerSandbox(backend: .file)
        #expect(try source.run(["append"], stdin: Data(Self.events.utf8)).status == 0)
        let server = try LedgerSandbox(backend: .server)
        let toServer = try source.run(["copy", "--from", source.database, "--to", server.database], db: false)
        #expect(toServer.status == 0, "\(toServer.stderr)")
        let back = source.path("back.sqlite")
        let toFile = try source.run(["copy", "--from", server.database, "--to", back], db: false)
        #expect(toFile.status == 0, "\(toFile.stderr)")
        let heads = try [source.database, server.database, back].map { database in
            let result = try source.run(["verify", "--db", database], db: false)
            #expect(result.status == 0, "\(database): \(result.stderr)")
            return result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        }
        #expect(Set(heads).count == 1, "\(heads)")
        let logs = try [source.database, server.database, back].map {
            try source.run(["log", "--db", $0], db: false).stdout
        }
        #expect(Set(logs).count == 1)
        for report in ["thefts", "designations", "totals", "obligations", "statements", "actors"] {
            let outputs = try [source.database, server.database].map {
                try source.run(["report", report, "--format", "csv", "--db", $0], db: false).stdout
            }
            #expect(outputs[0] == outputs[1], "\(report)")
        }
    }
}
