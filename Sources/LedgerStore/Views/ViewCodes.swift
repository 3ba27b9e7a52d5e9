import LedgerDomain

/// How the stored views write kinds, event types and days: as small integers, so that their
/// rows and indexes stay narrow. The codes are part of the file format: never renumbered.
enum ViewCodes {
    static func code(_ kind: StreamKind) -> Int64 {
        switch kind {
        case .resolution: 1
        case .statement: 2
        case .actor: 3
        case .incident: 4
        case .figure: 5
        case .designation: 6
        }
    }

    static func code(_ type: EventType) -> Int64 {
        switch type {
        case .resolutionAdopted: 1
        case .statementIssued: 2
        case .actorIdentified: 3
        case .theftReported: 4
        case .attributionMade: 5
        case .figureReported: 6
        case .designationAdded: 7
        case .designationAmended: 8
        case .designationRemoved: 9
        case .complianceReported: 10
        case .eventRetracted: 11
        case .eventCorrected: 12
        }
    }

    /// The event type of a code; nil for a corrupt value.
    static func type(_ code: Int64) -> EventType? {
        code >= 1 && code <= Int64(types.count) ? types[Int(code) - 1] : nil
    }

    private static let types: [EventType] = EventType.allCases.sorted { code($0) < code($1) }

    /// A day as the integer YYYYMMDD, which orders as the day does.
    static func code(_ day: Day) -> Int64 {
        Int64(day.year * 10_000 + day.month * 100 + day.day)
    }

    /// The day of a YYYYMMDD integer; nil for the open end or a corrupt value.
    static func day(_ code: Int64) -> Day? {
        guard code != Schema.openDay else { return nil }
        return Day(year: Int(code / 10_000), month: Int(code / 100 % 100), day: Int(code % 100))
    }
}
