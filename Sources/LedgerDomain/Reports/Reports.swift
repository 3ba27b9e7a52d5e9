/// The compliance reports (contract section 5), computed one way from any `EntitySource`.
public struct Reports {
    /// The day the report is as of: deadlines are judged against it.
    public let asOf: Day
    let source: any EntitySource

    public init(asOf: Day, source: any EntitySource) {
        self.asOf = asOf
        self.source = source
    }

    /// Produces the rows of `report` in order, one at a time.
    public func rows(of report: ReportName, _ body: ([Cell]) throws -> Void) throws {
        switch report {
        case .thefts: try thefts(body)
        case .obligations: try obligations(body)
        case .actors: try actors(body)
        case .statements: try statements(body)
        case .designations: try designations(body)
        case .totals: try totals(body)
        }
    }

    /// Identified actors by stream: their creation data as of the day.
    func actorsByStream() throws -> [String: (snapshot: EntitySnapshot, actor: ActorIdentified)] {
        var actors: [String: (EntitySnapshot, ActorIdentified)] = [:]
        try source.forEachEntity(of: .actor) { snapshot in
            if case .actorIdentified(let actor)? = snapshot.creation.payload {
                actors[snapshot.stream] = (snapshot, actor)
            }
        }
        return actors
    }

    func thefts(_ body: ([Cell]) throws -> Void) throws {
        let actors = try actorsByStream()
        try source.forEachEntity(of: .incident) { snapshot in
            guard let incident = IncidentView(snapshot) else { return }
            let attributions = incident.attributions
            let names = distinct(attributions.map { actors[$0.attribution.actor]?.actor.name ?? $0.attribution.actor })
            let confidence = attributions.map(\.attribution.confidence).max()
            try body([
                .text(snapshot.stream),
                .text(snapshot.creation.occurredOn.description),
                .text(incident.theft.victim),
                .text(incident.theft.victimCountry),
                .number(incident.theft.amountUSD),
                .list(incident.theft.assets),
                .list(names),
                .list(distinct(attributions.map(\.attribution.attributedBy))),
                .text(confidence?.rawValue),
                .text(attributions.map(\.knownOn).min()?.description),
                .list(distinct(snapshot.events.map(\.publisher))),
            ])
        }
    }

    func obligations(_ body: ([Cell]) throws -> Void) throws {
        func rows(_ stream: String, _ creation: CountedEvent, _ counts: ComplianceCounts) throws {
            guard case .resolutionAdopted(let resolution)? = creation.payload else { return }
            for obligation in resolution.obligations.sorted(by: { byteOrder($0.id, $1.id) }) {
                let status: String
                if let deadline = obligation.deadline {
                    status = deadline >= asOf ? "pending" : "past-deadline"
                } else {
                    status = "no-deadline"
                }
                let count = counts[obligation.id] ?? [:]
                try body([
                    .text(stream),
                    .text(resolution.symbol),
                    .text(obligation.id),
                    .text(obligation.summary),
                    .text(creation.occurredOn.description),
                    .text(obligation.deadline?.description),
                    .text(status),
                    .number(count[.complied] ?? 0),
                    .number(count[.partial] ?? 0),
                    .number(count[.violated] ?? 0),
                ])
            }
        }
        if let kept = try source.keptComplianceCounts() {
            try source.forEachCreation(of: .resolution) { try rows($0, $1, kept[$0] ?? [:]) }
        } else {
            try source.forEachEntity(of: .resolution) { try rows($0.stream, $0.creation, .counted(in: $0)) }
        }
    }

    func actors(_ body: ([Cell]) throws -> Void) throws {
        let actors = try actorsByStream()
        let tallies = try source.incidentTallies().actors
        // Each actor's amount looked up once, not at every comparison.
        let ordered = actors.keys.map { (stream: $0, amount: tallies[$0]?.amount ?? 0) }.sorted { lhs, rhs in
            lhs.amount != rhs.amount ? lhs.amount > rhs.amount : byteOrder(lhs.stream, rhs.stream)
        }
        for (stream, _) in ordered {
            guard let (_, actor) = actors[stream] else { continue }
            let tally = tallies[stream] ?? IncidentTallies.Actor()
            try body([
                .text(stream),
                .text(actor.name),
                .list(actor.aliases),
                .text(actor.sponsorState),
                .number(tally.incidents),
                .integer(tally.amount),
                .text(tally.first?.description),
                .text(tally.last?.description),
            ])
        }
    }

    func statements(_ body: ([Cell]) throws -> Void) throws {
        try source.forEachEntity(of: .statement) { snapshot in
            guard case .statementIssued(let statement)? = snapshot.creation.payload else { return }
            try body([
                .text(snapshot.stream),
                .text(snapshot.creation.occurredOn.description),
                .list(statement.issuers),
                .text(statement.kind.rawValue),
                .text(statement.summary),
                .list(statement.mentions),
            ])
        }
    }

    func designations(_ body: ([Cell]) throws -> Void) throws {
        try source.forEachEntity(of: .designation) { snapshot in
            guard let designation = DesignationView(snapshot) else { return }
            try body([
                .text(snapshot.stream),
                .text(designation.added.list),
                .text(designation.entity),
                .text(designation.added.entityType.rawValue),
                .list(designation.aliases),
                .list(designation.identifiers.map(\.label)),
                .text(designation.program),
                .text(snapshot.creation.occurredOn.description),
                .text(designation.removedOn?.description),
                .bool(designation.removedOn == nil),
                .list(designation.weakAliases),
                .list(designation.originalScriptNames),
            ])
        }
    }

    func totals(_ body: ([Cell]) throws -> Void) throws {
        struct Year {
            var incidents = IncidentTallies.Year()
            /// The figure known last (then logged last), as `FigureCreation.latest` picks it.
            var figure: FigureCreation?
        }
        var years = try source.incidentTallies(byActor: false).years.mapValues { Year(incidents: $0) }
        for figure in try FigureCreation.latest(of: .cryptoStolenUSD, in: source) {
            years[figure.period, default: Year()].figure = figure
        }
        for (number, year) in years.sorted(by: { $0.key < $1.key }) {
            try body([
                .number(Int64(number)),
                .number(year.incidents.incidents),
                .number(year.incidents.attributed),
                .integer(year.incidents.sum),
                year.figure.map { .number($0.value) } ?? .empty,
                .text(year.figure?.publisher),
            ])
        }
    }
}

/// The values in order of first appearance, each once.
func distinct(_ values: [String]) -> [String] {
    guard values.count > 16 else {
        // A row's few values: comparing is cheaper than hashing.
        var kept: [String] = []
        kept.reserveCapacity(values.count)
        for value in values where !kept.contains(value) { kept.append(value) }
        return kept
    }
    var seen = Set<String>()
    return values.filter { seen.insert($0).inserted }
}

/// An incident as the thefts, actors and totals reports read it.
struct IncidentView {
    var theft: TheftReported
    /// The counted attributions in log order, each with its `known_on`.
    var attributions: [(attribution: AttributionMade, knownOn: Day)]

    init?(_ snapshot: EntitySnapshot) {
        guard case .theftReported(let theft)? = snapshot.creation.payload else { return nil }
        self.theft = theft
        attributions = snapshot.events.compactMap { event in
            guard event.type == .attributionMade else { return nil }
            if case .attributionMade(let attribution)? = event.payload { return (attribution, event.knownOn) }
            return nil
        }
    }
}

/// A designation as the designations report reads it: its addition, and where it stands
/// (`DesignationStanding`, the fold screening shares).
public struct DesignationView: Sendable {
    public var added: DesignationAdded
    /// The name as last amended.
    public var entity: String
    /// Aliases in the order they were added, each once; removed ones left out.
    public var aliases: [String]
    /// Weak aliases and names in their own script, likewise.
    public var weakAliases: [String]
    public var originalScriptNames: [String]
    /// Identifiers carried now, in the order they were added; removed ones left out.
    public var identifiers: [Identifier]
    /// The program as last amended.
    public var program: String?
    /// The `occurred_on` of the counted removal.
    public var removedOn: Day?

    public init?(_ snapshot: EntitySnapshot) {
        guard case .designationAdded(let added)? = snapshot.creation.payload,
            let changes = DesignationChange<String>.changes(of: snapshot, name: { $0 }),
            let standing = DesignationStanding(changes)
        else { return nil }
        self.added = added
        entity = standing.entity
        aliases = standing.aliases
        weakAliases = standing.weakAliases
        originalScriptNames = standing.originalScriptNames
        identifiers = standing.identifiers
        program = standing.program
        removedOn = standing.removedOn
    }
}
