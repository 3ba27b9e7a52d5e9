import ArgumentParser
import LedgerAnswers
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
    static var today: Day { Day.today }
}

/// A `--recorded-until` value: RFC 3339 in UTC (`2026-11-23T12:00:00Z`, milliseconds optional),
/// normalised to the ledger's `recorded_at` form so that the two compare as text.
struct TimestampArgument: ExpressibleByArgument {
    var normalized: String

    init?(argument: String) {
        guard let normalized = RecordedTime.normalized(argument) else { return nil }
        self.normalized = normalized
    }

}

extension ReportFormat: ExpressibleByArgument {}

extension ReportName: ExpressibleByArgument {}
