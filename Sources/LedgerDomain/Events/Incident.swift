/// `theft.reported`: a crypto theft, the event that creates an incident.
public struct TheftReported: Sendable, Equatable {
    public var victim: String
    public var victimCountry: String?
    /// Whole US dollars.
    public var amountUSD: Int64
    public var assets: [String]
    public var methods: [String]

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(
            data, path: path, allowed: ["victim", "victim_country", "amount_usd", "assets", "methods"])
        victim = try reader.string("victim")
        victimCountry = try reader.optionalCountryCode("victim_country")
        amountUSD = try reader.money("amount_usd")
        assets = try reader.stringList("assets")
        methods = try reader.stringList("methods")
    }
}

/// How sure an attributor is; `confirmed` is the strongest.
public enum Confidence: String, Sendable, CaseIterable, Comparable {
    case confirmed, assessed, alleged

    /// Higher is stronger.
    public var strength: Int {
        switch self {
        case .confirmed: 3
        case .assessed: 2
        case .alleged: 1
        }
    }

    public static func < (lhs: Confidence, rhs: Confidence) -> Bool { lhs.strength < rhs.strength }
}

/// `attribution.made`: someone attributes an incident to an identified actor.
public struct AttributionMade: Sendable, Equatable {
    /// The actor's stream, `actor/…`.
    public var actor: String
    public var attributedBy: String
    public var confidence: Confidence

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(data, path: path, allowed: ["actor", "attributed_by", "confidence"])
        actor = try reader.stream("actor", kind: .actor)
        attributedBy = try reader.string("attributed_by")
        confidence = try reader.choice("confidence", as: Confidence.self)
    }
}
