import ArgumentParser
import LedgerDomain
import LedgerStore

/// A `YYYY-MM-DD` option value.
struct DayArgument: ExpressibleByArgument {
    var day: Day

    init?(argument: String) {
        guard let day = Day(argument) else { return nil }
        self.day = day
    }

    /// Today in UTC, the default of `--as-of`.
    static var today: Day {
        Day(String(Clock.now().prefix(10))) ?? Day(year: 1970, month: 1, day: 1)!
    }
}

/// A `--recorded-until` value: RFC 3339 in UTC (`2026-11-23T12:00:00Z`, milliseconds optional),
/// normalised to the ledger's `recorded_at` form so that the two compare as text.
struct TimestampArgument: ExpressibleByArgument {
    var normalized: String

    init?(argument: String) {
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
        normalized = String(decoding: bytes[0..<19], as: UTF8.self) + "." + fraction + "Z"
    }
}

/// How a report is written.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

extension ReportName: ExpressibleByArgument {}
