/// Each payload built from its members, as the reader of stored canonical data builds it
/// (`CanonicalDataReader`): what validation checked when the event was appended is trusted.
extension Obligation {
    init(id: String, summary: String, appliesTo: String?, deadline: Day?) {
        self.id = id
        self.summary = summary
        self.appliesTo = appliesTo
        self.deadline = deadline
    }
}

extension ResolutionAdopted {
    init(symbol: String, body: String, title: String, obligations: [Obligation]) {
        self.symbol = symbol
        self.body = body
        self.title = title
        self.obligations = obligations
    }
}

extension ComplianceReported {
    init(obligation: String, party: String, status: ComplianceStatus, summary: String) {
        self.obligation = obligation
        self.party = party
        self.status = status
        self.summary = summary
    }
}

extension StatementIssued {
    init(issuers: [String], kind: StatementKind, summary: String, mentions: [String]) {
        self.issuers = issuers
        self.kind = kind
        self.summary = summary
        self.mentions = mentions
    }
}

extension ActorIdentified {
    init(name: String, aliases: [String], sponsorState: String?) {
        self.name = name
        self.aliases = aliases
        self.sponsorState = sponsorState
    }
}

extension TheftReported {
    init(victim: String, victimCountry: String?, amountUSD: Int64, assets: [String], methods: [String]) {
        self.victim = victim
        self.victimCountry = victimCountry
        self.amountUSD = amountUSD
        self.assets = assets
        self.methods = methods
    }
}

extension AttributionMade {
    init(actor: String, attributedBy: String, confidence: Confidence) {
        self.actor = actor
        self.attributedBy = attributedBy
        self.confidence = confidence
    }
}

extension FigureReported {
    init(metric: Metric, subject: String, period: Int, value: Int64) {
        self.metric = metric
        self.subject = subject
        self.period = period
        self.value = value
    }
}

extension DesignationAdded {
    init(
        list: String, entity: String, entityType: EntityType, aliases: [String], identifiers: [Identifier],
        program: String?, weakAliases: [String]? = nil, originalScriptNames: [String]? = nil
    ) {
        self.list = list
        self.entity = entity
        self.entityType = entityType
        self.aliases = aliases
        self.identifiers = identifiers
        self.program = program
        self.weakAliases = weakAliases
        self.originalScriptNames = originalScriptNames
    }
}

extension DesignationAmended {
    public init(
        addIdentifiers: [Identifier]? = nil, removeIdentifiers: [Identifier]? = nil, addAliases: [String]? = nil,
        removeAliases: [String]? = nil, addWeakAliases: [String]? = nil, removeWeakAliases: [String]? = nil,
        addOriginalScriptNames: [String]? = nil, removeOriginalScriptNames: [String]? = nil, entity: String? = nil,
        program: String? = nil
    ) {
        self.addIdentifiers = addIdentifiers ?? []
        self.removeIdentifiers = removeIdentifiers ?? []
        self.addAliases = addAliases ?? []
        self.removeAliases = removeAliases ?? []
        self.addWeakAliases = addWeakAliases ?? []
        self.removeWeakAliases = removeWeakAliases ?? []
        self.addOriginalScriptNames = addOriginalScriptNames ?? []
        self.removeOriginalScriptNames = removeOriginalScriptNames ?? []
        self.entity = entity
        self.program = program
        given = []
        if addIdentifiers != nil { given.insert(.addIdentifiers) }
        if removeIdentifiers != nil { given.insert(.removeIdentifiers) }
        if addAliases != nil { given.insert(.addAliases) }
        if removeAliases != nil { given.insert(.removeAliases) }
        if addWeakAliases != nil { given.insert(.addWeakAliases) }
        if removeWeakAliases != nil { given.insert(.removeWeakAliases) }
        if addOriginalScriptNames != nil { given.insert(.addOriginalScriptNames) }
        if removeOriginalScriptNames != nil { given.insert(.removeOriginalScriptNames) }
    }
}

extension DesignationRemoved {
    init(reason: String) {
        self.reason = reason
    }
}

extension EventRetracted {
    init(target: EventID, reason: String) {
        self.target = target
        self.reason = reason
    }
}

extension EventCorrected {
    init(target: EventID, patch: JSONObject, reason: String) {
        self.target = target
        self.patch = patch
        self.reason = reason
    }
}
