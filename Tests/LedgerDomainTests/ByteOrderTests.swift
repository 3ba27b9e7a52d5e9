import Foundation
import LedgerTestSupport
import Testing

@testable import LedgerDomain

/// `byteOrder`, which every report's sort uses, is the order of the strings' UTF-8 bytes
/// (SQLite's BINARY collation), for small, long, non-ASCII and bridged strings alike.
@Suite struct ByteOrderTests {
    @Test func agreesWithTheOrderOfTheBytes() {
        var random = SplitMix64(seed: 26)
        let pieces = [
            "", "a", "b", "A", "incident/i1", "incident/i10", "é", "e\u{301}", "김", "Ж", "\u{1F600}", "~", "0",
        ]
        var strings: [String] = []
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<Int(random.next() % 6) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            // Some long enough not to be stored inline, some bridged from Foundation.
            if random.next() % 4 == 0 { text += String(repeating: "x", count: 20) }
            strings.append(random.next() % 5 == 0 ? String(NSString(string: text)) : text)
        }
        for lhs in strings.prefix(80) {
            for rhs in strings {
                #expect(
                    byteOrder(lhs, rhs) == Array(lhs.utf8).lexicographicallyPrecedes(Array(rhs.utf8)),
                    "\(lhs) < \(rhs)")
            }
        }
    }
}
