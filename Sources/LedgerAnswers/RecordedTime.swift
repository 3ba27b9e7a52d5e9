import LedgerDomain

/// A transaction time given by a person (`--recorded-until`, `recorded_until`): RFC 3339 in
/// UTC (`2026-11-23T12:00:00Z`, milliseconds optional).
public enum RecordedTime {
    /// The time in the ledger's `recorded_at` form (`…:00.000Z`), so that the two compare as
    /// text; nil when it is not one.
    public static func normalized(_ argument: String) -> String? {
        let bytes = Array(argument.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[10] == UInt8(ascii: "T"),
            Day(String(decoding: bytes[0..<10], as: UTF8.self)) != nil, bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"),
            let hour = Int(String(decoding: bytes[11..<13], as: UTF8.self)), (0...23).contains(hour),
            let minute = Int(String(decoding: bytes[14..<16], as: UTF8.self)), (0...59).contains(minute),
            let second = Int(String(decoding: bytes[17..<19], as: UTF8.self)), (0...60).contains(second)
        else { return nil }
        var fraction = ""
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21 else { return nil }
            let digits = bytes[20..<(bytes.count - 1)]
            guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            fraction = String(decoding: digits, as: UTF8.self)
        }
        fraction = String((fraction + "000").prefix(3))
        return String(decoding: bytes[0..<19], as: UTF8.self) + "." + fraction + "Z"
    }
}
