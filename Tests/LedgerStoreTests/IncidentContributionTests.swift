import LedgerDomain
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// `IncidentContribution` against its meaning, day by day: on a day the incident exists when a
/// theft version is valid, counts that version's amount, is attributed when a valid
/// attribution names an actor, and counts once for each such actor.
@Suite struct IncidentContributionTests {
    @Test(arguments: 1...200)
    func changesAddUpToTheTallyOfEveryDay(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed))
        func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        let days: [Int64] = (0..<12).map { 20_200_101 + Int64($0) * 100 }
        func range() -> (Int64, Int64) {
            let from = days[below(days.count)]
            let to = below(3) == 0 ? Schema.openDay : days[below(days.count)]
            return (from, max(from, to))
        }
        // Theft versions never overlap: cut the days into consecutive pieces.
        var versions: [IncidentVersion] = []
        var start = days[below(4)]
        for _ in 0..<(1 + below(3)) {
            let end = below(3) == 0 ? Schema.openDay : min(start + Int64(100 * (1 + below(4))), Schema.openDay)
            versions.append(IncidentVersion(fromDay: start, toDay: end, part: .theft(amount: Int64(below(1_000)))))
            if end == Schema.openDay { break }
            start = end + Int64(below(2) * 100)
        }
        for _ in 0..<below(6) {
            let (from, to) = range()
            let actor: Int64? = below(5) == 0 ? nil : Int64(1 + below(3))
            versions.append(IncidentVersion(fromDay: from, toDay: to, part: .attribution(actor: actor)))
        }
        versions.shuffle(using: &random)
        let contribution = IncidentContribution(stream: 9, occurredDay: 20_191_231, versions: versions)
        for day in days + days.map({ $0 + 15 }) {
            let valid = versions.filter { $0.fromDay <= day && day < $0.toDay }
            var amount: Int64?
            var actors = Set<Int64>()
            for version in valid {
                switch version.part {
                case .theft(let value): amount = value
                case .attribution(let actor?): actors.insert(actor)
                case .attribution(nil): break
                }
            }
            func sum(_ scope: TallyScope, _ key: Int64) -> TallyDelta {
                contribution.changes.filter { $0.scope == scope && $0.key == key && $0.day <= day }
                    .reduce(TallyDelta()) { $0 + $1.delta }
            }
            var expected = TallyDelta()
            if let amount {
                expected = TallyDelta(incidents: 1, attributed: actors.isEmpty ? 0 : 1, amount: Int128(amount))
            }
            #expect(sum(.year, 2019) == expected, "seed \(seed), year, day \(day)")
            for actor in Int64(1)...3 {
                let counts = amount != nil && actors.contains(actor)
                let tally = counts ? TallyDelta(incidents: 1, amount: Int128(amount!)) : TallyDelta()
                #expect(sum(.actor, actor) == tally, "seed \(seed), actor \(actor), day \(day)")
                let spans = contribution.spans.filter { $0.actor == actor && $0.fromDay <= day && day < $0.toDay }
                #expect(spans.count == (counts ? 1 : 0), "seed \(seed), spans of \(actor), day \(day)")
            }
        }
        // Spans of one actor never touch: each is a longest run of days.
        for span in contribution.spans {
            #expect(!contribution.spans.contains { $0.actor == span.actor && $0.fromDay == span.toDay })
        }
    }
}
