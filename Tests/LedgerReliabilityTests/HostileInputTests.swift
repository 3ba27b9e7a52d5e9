import Foundation
import LedgerTestSupport
import Testing

/// Hostile input through the built binary: every case ends in exit 0 or 65 with one clear
/// error line, never a crash, a hang or exit 70, and a refusal leaves the ledger unchanged.
@Suite struct HostileInputTests {
    static let base = Array(
        #"{"id":"fuzz","type":"theft.reported","stream":"incident/fuzz","occurred_on":"2022-06-23","source":{"publisher":"P","published_on":"2022-06-24"},"data":{"victim":"V","victim_country":"JP","amount_usd":100,"assets":["ETH"],"methods":["phishing"]}}"#
            .utf8)

    /// A mutated copy of the base event (each with its own id, so accepted ones do not collide).
    static func mutate(_ random: inout SplitMix64, case number: Int) -> [UInt8] {
        var bytes = Array(
            String(decoding: base, as: UTF8.self).replacingOccurrences(of: "fuzz", with: "fuzz\(number)").utf8)
        switch random.next() % 12 {
        case 0:  // flipped bytes
            for _ in 0..<(1 + Int(random.next() % 3)) {
                bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next())
            }
        case 1: bytes = Array(bytes[..<Int(random.next() % UInt64(bytes.count))])  // truncated
        case 2:
            bytes = Array(
                String(decoding: bytes, as: UTF8.self).replacingOccurrences(
                    of: "100", with: String(repeating: "9", count: 40)
                ).utf8)
        case 3:
            let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
            bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: #"["ETH"]"#, with: deep).utf8)
        case 4: bytes.insert(0x00, at: Int(random.next() % UInt64(bytes.count)))  // NUL byte
        case 5: bytes.insert(contentsOf: [0xC3, 0x28], at: 60)  // invalid UTF-8
        case 6:
            bytes = Array(
                String(decoding: bytes, as: UTF8.self).replacingOccurrences(
                    of: #""victim":"V","#, with: #""victim":"V","victim":"W","#
                ).utf8)
        case 7: bytes.append(contentsOf: [0x0D])  // CRLF line end
        case 8: bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)  // a BOM
        case 9: bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "100", with: "1e2").utf8)
        case 10:
            bytes = Array(
                String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: #""V""#, with: #""\ud800""#).utf8)
        default:
            let position = Int(random.next() % UInt64(bytes.count))
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
        }
        return bytes
    }

    @Test func fuzzedLinesEndInZeroOr65() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        var random = SplitMix64(state: 2375)
        var accepted = 0
        var refused = 0
        for number in 0..<600 {
            let before = try storedCount(sandbox)
            var line = Self.mutate(&random, case: number)
            line.append(0x0A)
            let result = try sandbox.run(["append"], stdin: Data(line))
            #expect(result.status == 0 || result.status == 65, "case \(number): exit \(result.status) \(result.stderr)")
            if result.status == 65 {
                refused += 1
                #expect(result.stderr.hasPrefix("error: <stdin>:1: "), "case \(number): \(result.stderr)")
                #expect(result.stderr.split(separator: "\n", omittingEmptySubsequences: false).count == 2)
                #expect(try storedCount(sandbox) == before)
            } else if result.status == 0 {
                accepted += 1
            }
        }
        #expect(accepted > 0 && refused > 0)
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    @Test func aTenMegabyteStringIsRefusedByTheLineLimit() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let before = try storedCount(sandbox)
        let huge = String(decoding: Self.base, as: UTF8.self)
            .replacingOccurrences(of: #""V""#, with: "\"" + String(repeating: "x", count: 10 << 20) + "\"")
        let result = try sandbox.run(["append"], stdin: Data((huge + "\n").utf8))
        #expect(result.status == 65)
        #expect(result.stderr.contains("line longer than the limit of 1048576 bytes"))
        #expect(try storedCount(sandbox) == before)
    }

    @Test func aStringOverItsLimitIsNamed() throws {
        let sandbox = try LedgerSandbox()
        let long = String(decoding: Self.base, as: UTF8.self)
            .replacingOccurrences(of: #""V""#, with: "\"" + String(repeating: "x", count: 70_000) + "\"")
        let result = try sandbox.run(["append"], stdin: Data((long + "\n").utf8))
        #expect(result.status == 65)
        #expect(result.stderr.contains("data.victim") && result.stderr.contains("65536 bytes"))
    }
}
