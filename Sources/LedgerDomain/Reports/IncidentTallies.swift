/// What the totals and actors reports add up over the incidents as of a day: per year of
/// occurrence and per actor stream. The reference meaning is `add(_:)` over every incident's
/// `IncidentSummary`; a source may hand over the same tallies kept ready (`EntitySource`).
public struct IncidentTallies: Sendable, Equatable {
    /// The incidents that occurred in one year.
    public struct Year: Sendable, Equatable {
        public var incidents: Int64 = 0
        /// Incidents with at least one counted attribution to a known actor.
        public var attributed: Int64 = 0
        /// Exact however many incidents of the largest amount add up.
        public var sum: Int128 = 0

        public init(incidents: Int64 = 0, attributed: Int64 = 0, sum: Int128 = 0) {
            self.incidents = incidents
            self.attributed = attributed
            self.sum = sum
        }
    }

    /// The incidents attributed to one actor.
    public struct Actor: Sendable, Equatable {
        public var incidents: Int64 = 0
        /// Exact however many incidents of the largest amount add up.
        public var amount: Int128 = 0
        /// The earliest and latest `occurred_on` of those incidents.
        public var first: Day?
        public var last: Day?

        public init(incidents: Int64 = 0, amount: Int128 = 0, first: Day? = nil, last: Day? = nil) {
            self.incidents = incidents
            self.amount = amount
            self.first = first
            self.last = last
        }
    }

    /// By year of `occurred_on`; only years with an incident.
    public var years: [Int: Year] = [:]
    /// By actor stream; only actors with an incident.
    public var actors: [String: Actor] = [:]

    public init(years: [Int: Year] = [:], actors: [String: Actor] = [:]) {
        self.years = years
        self.actors = actors
    }

    /// Counts one incident: in its year, and for each distinct actor it is attributed to.
    public mutating func add(_ incident: IncidentSummary) {
        let occurred = incident.occurredOn
        var year = years[occurred.year] ?? Year()
        year.incidents += 1
        if !incident.actors.isEmpty { year.attributed += 1 }
        year.sum += Int128(incident.amountUSD)
        years[occurred.year] = year
        for actor in incident.actors {
            var tally = actors[actor] ?? Actor()
            tally.incidents += 1
            tally.amount += Int128(incident.amountUSD)
            tally.first = min(tally.first ?? occurred, occurred)
            tally.last = max(tally.last ?? occurred, occurred)
            actors[actor] = tally
        }
    }

    /// The tallies of every incident `source` hands over: the reference fold.
    public static func folded(from source: any EntitySource) throws -> IncidentTallies {
        var tallies = IncidentTallies()
        try source.forEachIncidentSummary { tallies.add($0) }
        return tallies
    }
}
