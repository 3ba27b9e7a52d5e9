/// One duty a resolution lays on states, such as 2397's order to repatriate DPRK workers.
public struct Obligation: Sendable, Equatable {
    public var id: String
    public var summary: String
    /// Whom it binds, when the resolution says (e.g. "UN Member States").
    public var appliesTo: String?
    public var deadline: Day?

    init(_ value: JSONValue, at location: FieldPath) throws(EventValidationError) {
        let reader = try FieldReader(value, at: location, allowed: ["id", "summary", "applies_to", "deadline"])
        id = try reader.slug("id")
        summary = try reader.string("summary")
        appliesTo = try reader.optionalString("applies_to")
        deadline = try reader.optionalDay("deadline")
    }
}

/// `resolution.adopted`: a Security Council resolution and the obligations it creates.
public struct ResolutionAdopted: Sendable, Equatable {
    public var symbol: String
    public var body: String
    public var title: String
    public var obligations: [Obligation]

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(data, path: path, allowed: ["symbol", "body", "title", "obligations"])
        symbol = try reader.string("symbol")
        body = try reader.string("body")
        title = try reader.string("title")
        let elements = try reader.list("obligations", nonEmpty: true)
        var obligations: [Obligation] = []
        for (index, element) in elements.enumerated() {
            let obligation = try Obligation(element, at: reader.element("obligations", index))
            if obligations.contains(where: { $0.id == obligation.id }) {
                throw EventValidationError(
                    field: "\(reader.field("obligations"))[\(index)].id",
                    reason: "obligation id \"\(obligation.id)\" is used twice")
            }
            obligations.append(obligation)
        }
        self.obligations = obligations
    }
}

/// How a party stood with an obligation, as reported.
public enum ComplianceStatus: String, Sendable, CaseIterable {
    case complied, partial, violated
}

/// `compliance.reported`: a report that a state complied with, partly met or violated an obligation.
public struct ComplianceReported: Sendable, Equatable {
    public var obligation: String
    public var party: String
    public var status: ComplianceStatus
    public var summary: String

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(data, path: path, allowed: ["obligation", "party", "status", "summary"])
        obligation = try reader.slug("obligation")
        party = try reader.countryCode("party")
        status = try reader.choice("status", as: ComplianceStatus.self)
        summary = try reader.string("summary")
    }
}
