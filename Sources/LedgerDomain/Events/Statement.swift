/// What sort of official text a statement is.
public enum StatementKind: String, Sendable, CaseIterable {
    case jointStatement = "joint-statement"
    case pressRelease = "press-release"
    case report, advisory, testimony, other
}

/// `statement.issued`: an official statement, such as the envoys' joint statement of 2023-04-07.
public struct StatementIssued: Sendable, Equatable {
    public var issuers: [String]
    public var kind: StatementKind
    public var summary: String
    /// Streams the statement speaks of.
    public var mentions: [String]

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(data, path: path, allowed: ["issuers", "kind", "summary", "mentions"])
        issuers = try reader.stringList("issuers", nonEmpty: true)
        kind = try reader.choice("kind", as: StatementKind.self)
        summary = try reader.string("summary")
        let names = try reader.list("mentions")
        var mentions: [String] = []
        for (index, name) in names.enumerated() {
            let field = "\(reader.field("mentions"))[\(index)]"
            mentions.append(try FieldReader.stream(try FieldReader.string(name, field: field), field: field))
        }
        self.mentions = mentions
    }
}
