/// One stored version of an incident's theft report or attribution, as the tallies read it:
/// its valid days (YYYYMMDD codes, `Schema.openDay` for an open end) and what it brings.
struct IncidentVersion: Equatable {
    enum Part: Equatable {
        /// The theft report: the incident exists, with this amount.
        case theft(amount: Int64)
        /// An attribution to a known actor (its stream id), or to none (`nil`).
        case attribution(actor: Int64?)
    }

    var fromDay: Int64
    var toDay: Int64
    var part: Part
}

/// A change, from a day on, of what one incident adds to one tally.
struct TallyChange: Equatable {
    var scope: TallyScope
    /// The year for `.year`, the actor's stream id for `.actor`.
    var key: Int64
    var day: Int64
    var delta: TallyDelta
}

/// The two kinds of tallies: per year of occurrence (totals), per actor (actors).
enum TallyScope: Int64, Hashable {
    case year = 0
    case actor = 1
}

/// What an incident adds to a tally, or a change of it.
struct TallyDelta: Equatable {
    var incidents: Int64 = 0
    var attributed: Int64 = 0
    var amount: Int128 = 0

    var isZero: Bool { incidents == 0 && attributed == 0 && amount == 0 }

    static func + (lhs: TallyDelta, rhs: TallyDelta) -> TallyDelta {
        TallyDelta(
            incidents: lhs.incidents + rhs.incidents, attributed: lhs.attributed + rhs.attributed,
            amount: lhs.amount + rhs.amount)
    }

    static prefix func - (value: TallyDelta) -> TallyDelta {
        TallyDelta(incidents: -value.incidents, attributed: -value.attributed, amount: -value.amount)
    }
}

/// The days on which an incident counts for an actor: `[fromDay, toDay)`.
struct ActorSpan: Hashable {
    var actor: Int64
    var occurredDay: Int64
    var stream: Int64
    var fromDay: Int64
    var toDay: Int64
}

/// What one incident adds to the totals and actors tallies on every day, at the log's head,
/// from its open versions: the same meaning as `IncidentTallies.add(_:)` applied to the
/// incident's `IncidentSummary` as of each day, written as changes from a day on (so that a
/// tally as of a day is the sum of the changes up to it) and as the spans of days on which
/// it counts for each actor (for the actors' first and last incidents).
///
/// On a day, the incident exists when a version of its theft report is valid (versions of one
/// event never overlap in valid time); it then counts in its year with that version's amount,
/// as attributed when an attribution to a known actor is valid too, and for each such actor.
struct IncidentContribution: Equatable {
    var changes: [TallyChange] = []
    var spans: [ActorSpan] = []

    init() {}

    init(stream: Int64, occurredDay: Int64, versions: [IncidentVersion]) {
        let year = occurredDay / 10_000
        let versions = versions.filter { $0.fromDay < $0.toDay }
        // A sweep over the days where some version starts or ends: at each such day, the
        // versions ending there are taken out, then those starting there put in.
        var boundaries: [(day: Int64, isStart: Bool, index: Int)] = []
        boundaries.reserveCapacity(versions.count * 2)
        for (index, version) in versions.enumerated() {
            boundaries.append((version.fromDay, true, index))
            boundaries.append((version.toDay, false, index))
        }
        boundaries.sort { ($0.day, $0.isStart ? 1 : 0) < ($1.day, $1.isStart ? 1 : 0) }
        var amount: Int64?
        var actorCounts: [Int64: Int] = [:]
        var previousYear = TallyDelta()
        var previousActors: [Int64: TallyDelta] = [:]
        var openSpans: [Int64: Int64] = [:]
        var next = 0
        while next < boundaries.count {
            let day = boundaries[next].day
            while next < boundaries.count, boundaries[next].day == day {
                let boundary = boundaries[next]
                next += 1
                switch (versions[boundary.index].part, boundary.isStart) {
                case (.theft(let value), true): amount = value
                case (.theft, false): amount = nil
                case (.attribution(let actor?), true): actorCounts[actor, default: 0] += 1
                case (.attribution(let actor?), false):
                    actorCounts[actor]! -= 1
                    if actorCounts[actor] == 0 { actorCounts[actor] = nil }
                case (.attribution(nil), _): break
                }
            }
            var nowYear = TallyDelta()
            var nowActors: [Int64: TallyDelta] = [:]
            if let amount {
                nowYear = TallyDelta(incidents: 1, attributed: actorCounts.isEmpty ? 0 : 1, amount: Int128(amount))
                for actor in actorCounts.keys { nowActors[actor] = TallyDelta(incidents: 1, amount: Int128(amount)) }
            }
            let counted = day < Schema.openDay
            if counted, nowYear != previousYear {
                changes.append(TallyChange(scope: .year, key: year, day: day, delta: nowYear + -previousYear))
            }
            for actor in Set(nowActors.keys).union(previousActors.keys).sorted() {
                let now = nowActors[actor] ?? TallyDelta()
                let before = previousActors[actor] ?? TallyDelta()
                if counted, now != before {
                    changes.append(TallyChange(scope: .actor, key: actor, day: day, delta: now + -before))
                }
                if nowActors[actor] != nil, openSpans[actor] == nil { openSpans[actor] = day }
                if nowActors[actor] == nil, let from = openSpans.removeValue(forKey: actor) {
                    spans.append(
                        ActorSpan(actor: actor, occurredDay: occurredDay, stream: stream, fromDay: from, toDay: day))
                }
            }
            previousYear = nowYear
            previousActors = nowActors
        }
        // Every version ends by the last day of the sweep (at worst the open end), so nothing stays open.
        precondition(openSpans.isEmpty, "an actor span outlived every version")
    }
}
