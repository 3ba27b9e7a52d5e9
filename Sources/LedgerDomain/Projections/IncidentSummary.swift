/// An incident as the actors and totals reports need it: the day it occurred, its amount
/// after corrections, and the actors of its counted attributions. The stored views keep
/// the amount and the actor beside each row, so those reports need not read whole events.
public struct IncidentSummary: Sendable, Equatable {
    public var occurredOn: Day
    public var amountUSD: Int64
    /// The distinct actor streams of the counted attributions, in log order.
    public var actors: [String]

    public init(occurredOn: Day, amountUSD: Int64, actors: [String]) {
        self.occurredOn = occurredOn
        self.amountUSD = amountUSD
        self.actors = actors
    }

    /// The summary of an incident snapshot; nil for other kinds.
    public init?(_ snapshot: EntitySnapshot) {
        guard snapshot.kind == .incident, let incident = IncidentView(snapshot) else { return nil }
        occurredOn = snapshot.creation.occurredOn
        amountUSD = incident.theft.amountUSD
        actors = distinct(incident.attributions.map(\.attribution.actor))
    }
}
