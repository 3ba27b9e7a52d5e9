/// One cell of a report.
public enum Cell: Sendable, Equatable {
    case text(String)
    /// A count, an amount of money or a year.
    case number(Int64)
    /// A list, joined with `;` in CSV and a table, an array in JSON.
    case list([String])
    case bool(Bool)
    /// A decimal number written as given, such as a screening score `0.87`.
    case decimal(String)
    /// Unknown: an empty CSV cell, `null` in JSON.
    case empty

    /// A sum of money past 64 bits, written in full as a number.
    static func integer(_ value: Int128) -> Cell { .decimal(String(value)) }

    /// Text, or empty when nil.
    static func text(_ value: String?) -> Cell { value.map(Cell.text) ?? .empty }
}

/// The reports of contract section 5.
public enum ReportName: String, Sendable, CaseIterable {
    case thefts, obligations, actors, statements, designations, totals

    /// The columns, in order.
    public var columns: [String] {
        switch self {
        case .thefts:
            [
                "incident", "occurred_on", "victim", "victim_country", "amount_usd", "assets", "attributed_to",
                "attributed_by", "confidence", "attributed_on", "sources",
            ]
        case .obligations:
            [
                "resolution", "symbol", "obligation", "summary", "adopted_on", "deadline", "status", "complied",
                "partial", "violated",
            ]
        case .actors:
            [
                "actor", "name", "aliases", "sponsor_state", "incidents", "attributed_usd", "first_incident_on",
                "last_incident_on",
            ]
        case .statements:
            ["statement", "issued_on", "issuers", "kind", "summary", "mentions"]
        case .designations:
            [
                "designation", "list", "entity", "entity_type", "aliases", "identifiers", "program", "added_on",
                "removed_on", "active", "weak_aliases", "original_script_names",
            ]
        case .totals:
            ["year", "incidents", "attributed_incidents", "incident_sum_usd", "reported_usd", "reported_by"]
        }
    }
}

/// Where reports read entities from: the stored views, or a fold of the log in memory.
/// Both hand over the entities of a kind as they stood as of the same day and `seq`, in the
/// order of their `SortKeys` then stream name (byte order).
public protocol EntitySource {
    /// Calls `body` with each entity of `kind`, in report order.
    func forEachEntity(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws

    /// Calls `body` with each entity of `kind` in whatever order is cheapest (the stored
    /// views hold none back to sort them).
    func forEachEntityInAnyOrder(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws

    /// Calls `body` with the summary of each incident, in report order.
    func forEachIncidentSummary(_ body: (IncidentSummary) throws -> Void) throws

    /// The incidents' tallies when the source keeps them ready, equal to
    /// `IncidentTallies.folded(from:)` (without the actors' unless `byActor`); nil when they
    /// must be folded.
    func keptIncidentTallies(byActor: Bool) throws -> IncidentTallies?

    /// Calls `body` with each entity of `kind` and its creating event (as it counts), in
    /// report order, without the rest of its events.
    func forEachCreation(of kind: StreamKind, _ body: (_ stream: String, _ creation: CountedEvent) throws -> Void)
        throws

    /// Per period, the figure of `metric` known last (then logged last) among those that exist
    /// as of the day, equal to `FigureCreation.latest(of:)` of every figure, when the source
    /// can read them without decoding each; nil to decode them (`FigureCreation.latest(of:in:)`).
    func latestFigures(of metric: Metric) throws -> [FigureCreation]?

    /// The compliance counts of every resolution stream when the source keeps them ready,
    /// equal to `ComplianceCounts.counted(in:)` of each snapshot; nil when they must be folded.
    func keptComplianceCounts() throws -> [String: ComplianceCounts]?
}

extension EntitySource {
    public func forEachEntityInAnyOrder(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws {
        try forEachEntity(of: kind, body)
    }
}

extension EntitySource {
    /// Summaries derived from the incidents' snapshots.
    public func forEachIncidentSummary(_ body: (IncidentSummary) throws -> Void) throws {
        try forEachEntity(of: .incident) { snapshot in
            if let summary = IncidentSummary(snapshot) { try body(summary) }
        }
    }

    /// None kept: the tallies are folded.
    public func keptIncidentTallies(byActor: Bool) throws -> IncidentTallies? { nil }

    /// The creations, from the whole snapshots.
    public func forEachCreation(
        of kind: StreamKind, _ body: (_ stream: String, _ creation: CountedEvent) throws -> Void
    ) throws {
        try forEachEntity(of: kind) { try body($0.stream, $0.creation) }
    }

    /// None read ready: the figures are decoded.
    public func latestFigures(of metric: Metric) throws -> [FigureCreation]? { nil }

    /// None kept: the counts are folded.
    public func keptComplianceCounts() throws -> [String: ComplianceCounts]? { nil }

    /// The incidents' tallies, kept or folded.
    public func incidentTallies(byActor: Bool = true) throws -> IncidentTallies {
        try keptIncidentTallies(byActor: byActor) ?? IncidentTallies.folded(from: self)
    }
}

/// Orders strings by their UTF-8 bytes (as SQLite's BINARY collation and Python's `sorted` do).
@inline(__always)
func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}

/// A figure as the totals report reads it: what its creating event (as it counts) says.
public struct FigureCreation: Sendable, Equatable {
    public var period: Int
    public var value: Int64
    public var knownOn: Day
    public var seq: Int64
    public var publisher: String

    public init(period: Int, value: Int64, knownOn: Day, seq: Int64, publisher: String) {
        self.period = period
        self.value = value
        self.knownOn = knownOn
        self.seq = seq
        self.publisher = publisher
    }

    /// Per period, the figure of `metric` in `source` known last (then logged last), read
    /// ready or decoded from every figure's creation; in order of period.
    public static func latest(of metric: Metric, in source: any EntitySource) throws -> [FigureCreation] {
        if let ready = try source.latestFigures(of: metric) { return ready.sorted { $0.period < $1.period } }
        return latest(try all(of: metric, in: source))
    }

    /// Per period, the figure known last, then logged last: the one rule of which figure a
    /// year's total shows; in order of period.
    public static func latest(_ figures: [FigureCreation]) -> [FigureCreation] {
        var latest: [Int: FigureCreation] = [:]
        for figure in figures {
            if let current = latest[figure.period], (current.knownOn, current.seq) > (figure.knownOn, figure.seq) {
                continue
            }
            latest[figure.period] = figure
        }
        return latest.values.sorted { $0.period < $1.period }
    }

    /// Every figure of `metric` that exists in `source`, decoded from its creation.
    static func all(of metric: Metric, in source: any EntitySource) throws -> [FigureCreation] {
        var figures: [FigureCreation] = []
        try source.forEachCreation(of: .figure) { _, creation in
            guard case .figureReported(let figure)? = creation.payload, figure.metric == metric else { return }
            figures.append(
                FigureCreation(
                    period: figure.period, value: figure.value, knownOn: creation.knownOn, seq: creation.seq,
                    publisher: creation.publisher))
        }
        return figures
    }
}
