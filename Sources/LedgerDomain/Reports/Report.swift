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
/// order of their `SortKeys` then stream name (byte order). A fold needs nothing more; a
/// source that keeps answers ready hands them over as `shortcuts`.
public protocol EntitySource {
    /// Calls `body` with each entity of `kind`, in report order.
    func forEachEntity(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws

    /// What the source keeps ready, each equal to the fold it stands for; nil for none.
    var shortcuts: (any ReportShortcuts)? { get }
}

extension EntitySource {
    public var shortcuts: (any ReportShortcuts)? { nil }
}

/// Answers a source keeps ready (the stored views), each proven equal to its fold over
/// `forEachEntity` by the property tests; a requirement may answer nil where it keeps none
/// for this day or `seq`, and the fold is used.
public protocol ReportShortcuts {
    /// Every entity of `kind` in whatever order is cheapest (none held back to sort them).
    func forEachEntityInAnyOrder(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws

    /// The summary of each incident, in report order, without decoding its events.
    func forEachIncidentSummary(_ body: (IncidentSummary) throws -> Void) throws

    /// The incidents' tallies, equal to `IncidentTallies.folded(from:)` (without the actors'
    /// unless `byActor`); nil when they are not kept for this day or `seq`.
    func keptIncidentTallies(byActor: Bool) throws -> IncidentTallies?

    /// Each entity of `kind` and its creating event (as it counts), in report order, without
    /// the rest of its events.
    func forEachCreation(of kind: StreamKind, _ body: (_ stream: String, _ creation: CountedEvent) throws -> Void)
        throws

    /// Per period, the figure of `metric` known last (then logged last) among those that exist
    /// as of the day, equal to `FigureCreation.latest(of:)` of every figure; nil when not kept.
    func latestFigures(of metric: Metric) throws -> [FigureCreation]?

    /// The compliance counts of every resolution stream, equal to `ComplianceCounts.counted(in:)`
    /// of each snapshot; nil when not kept for this day or `seq`.
    func keptComplianceCounts() throws -> [String: ComplianceCounts]?
}

extension EntitySource {
    /// Every entity of `kind`, in the cheapest order the source has.
    public func forEachEntityInAnyOrder(of kind: StreamKind, _ body: (EntitySnapshot) throws -> Void) throws {
        if let shortcuts { return try shortcuts.forEachEntityInAnyOrder(of: kind, body) }
        try forEachEntity(of: kind, body)
    }

    /// The summary of each incident, kept or derived from its snapshot.
    public func forEachIncidentSummary(_ body: (IncidentSummary) throws -> Void) throws {
        if let shortcuts { return try shortcuts.forEachIncidentSummary(body) }
        try forEachEntity(of: .incident) { snapshot in
            if let summary = IncidentSummary(snapshot) { try body(summary) }
        }
    }

    /// The creations, read ready or from the whole snapshots.
    public func forEachCreation(
        of kind: StreamKind, _ body: (_ stream: String, _ creation: CountedEvent) throws -> Void
    ) throws {
        if let shortcuts { return try shortcuts.forEachCreation(of: kind, body) }
        try forEachEntity(of: kind) { try body($0.stream, $0.creation) }
    }

    /// The incidents' tallies, kept or folded.
    public func incidentTallies(byActor: Bool = true) throws -> IncidentTallies {
        try shortcuts?.keptIncidentTallies(byActor: byActor) ?? IncidentTallies.folded(from: self)
    }

    /// The compliance counts kept ready, if any.
    public func keptComplianceCounts() throws -> [String: ComplianceCounts]? {
        try shortcuts?.keptComplianceCounts()
    }
}

/// Orders strings by their UTF-8 bytes (as SQLite's BINARY collation and Python's `sorted` do).
/// Reads the two strings' bytes in place where they are contiguous (native and small
/// strings), not through the generic sequence comparison, which costs several times as
/// much per byte and showed in every report's sort.
public func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
    let inPlace = lhs.utf8.withContiguousStorageIfAvailable { left in
        rhs.utf8.withContiguousStorageIfAvailable { right in
            let count = min(left.count, right.count)
            var index = 0
            while index < count {
                let (a, b) = (left[index], right[index])
                if a != b { return a < b }
                index += 1
            }
            return left.count < right.count
        }
    }
    return (inPlace ?? nil) ?? lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
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
        if let ready = try source.shortcuts?.latestFigures(of: metric) {
            return ready.sorted { $0.period < $1.period }
        }
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
