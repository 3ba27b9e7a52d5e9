import LedgerAnswers
import LedgerDomain
import LedgerStore

/// `POST /match/{dataset}`: OpenSanctions yente's matching API, so that its clients work
/// unchanged (contract section 12). Each name and identifier value is screened as `ledger
/// screen VALUE --as-of D --threshold T` screens it; a designation scores its best over the
/// values.
extension LedgerService {
    static let matchSchemas: Set<String> = [
        "Thing", "LegalEntity", "Person", "Organization", "Company", "Vessel", "Airplane", "CryptoWallet",
    ]
    static let nameProperties = ["name", "alias", "previousName", "weakAlias"]
    static let identifierProperties = [
        "idNumber", "passportNumber", "registrationNumber", "taxNumber", "imoNumber", "mmsi", "callSign", "swiftBic",
        "publicKey",
    ]

    /// One query of a match request: its key, the query as given, its values to screen.
    struct MatchQuery: Sendable {
        var key: String
        var given: JSONValue
        var values: [String]
    }

    public func match(dataset: String, body: [UInt8], _ query: QueryParameters) async throws -> Answer {
        try query.allowOnly(["threshold", "limit", "as_of"])
        let threshold = try query.threshold(default: 0.7)
        let limit = Int(try query.integer("limit", in: 1...1_000) ?? 5)
        let day = try query.asOf()
        let request = try RequestBody(body, allowed: ["queries"])
        guard case .object(let queries)? = request.object["queries"] else {
            throw APIFailure.invalid(field: "queries", "must be an object of queries by key")
        }
        var parsed: [MatchQuery] = []
        for member in queries.members {
            let path = "queries.\(member.key)"
            guard case .object(let entity) = member.value else {
                throw APIFailure.invalid(field: path, "must be an object")
            }
            for key in entity.keys where key != "schema" && key != "properties" {
                throw APIFailure.invalid(field: "\(path).\(key)", "is not a member a query takes")
            }
            guard case .string(let schema)? = entity["schema"], Self.matchSchemas.contains(schema) else {
                throw APIFailure.invalid(
                    field: "\(path).schema", "must be one of \(Self.matchSchemas.sorted().joined(separator: ", "))")
            }
            guard case .object(let properties)? = entity["properties"] else {
                throw APIFailure.invalid(field: "\(path).properties", "must be an object of lists of strings")
            }
            var values: [String] = []
            for property in properties.members {
                guard case .array(let items) = property.value else {
                    throw APIFailure.invalid(field: "\(path).properties.\(property.key)", "must be a list of strings")
                }
                for (index, item) in items.enumerated() {
                    guard case .string(let text) = item else {
                        throw APIFailure.invalid(
                            field: "\(path).properties.\(property.key)[\(index)]", "must be a string")
                    }
                    if Self.nameProperties.contains(property.key) || Self.identifierProperties.contains(property.key) {
                        values.append(text)
                    }
                }
            }
            parsed.append(MatchQuery(key: member.key, given: member.value, values: values))
        }
        let prepared = parsed
        return try await read { reader, head in
            let ledger = reader.ledger
            let lists = try self.designationLists(ledger, head: head)
            guard dataset == "default" || lists.contains(dataset) else {
                throw APIFailure.notFound(
                    "no dataset \(dataset) (datasets: default\(lists.sorted().map { ", " + $0 }.joined()))")
            }
            let session = try reader.screening(asOf: day)
            var responses: [JSONObject.Member] = []
            for query in prepared {
                var best: [String: ScreeningMatch] = [:]
                for value in query.values {
                    let screener = Screener(query: value, threshold: threshold)
                    guard screener.isScreenable else { continue }
                    for match in try session.screen(screener)
                    where dataset == "default" || match.list == dataset {
                        if let kept = best[match.designation], kept.score >= match.score { continue }
                        best[match.designation] = match
                    }
                }
                let ranked = best.values.sorted {
                    $0.score != $1.score ? $0.score > $1.score : byteOrder($0.designation, $1.designation)
                }
                var results: [JSONValue] = []
                for match in ranked.prefix(limit) {
                    results.append(try Self.result(match, threshold: threshold, ledger: ledger, asOf: day))
                }
                let response = JSONObject([
                    "status": .number("200"), "results": .array(results),
                    "total": .object(JSONObject(["value": .number(String(ranked.count)), "relation": .string("eq")])),
                    "query": query.given,
                ])
                responses.append(JSONObject.Member(key: query.key, value: .object(response)))
            }
            return .json(
                .object(JSONObject(["responses": .object(JSONObject(responses)), "limit": .number(String(limit))])),
                head: head)
        }
    }

    /// One result: the designation as its row of the designations report stands that day.
    static func result(_ match: ScreeningMatch, threshold: Double, ledger: Ledger, asOf: Day) throws -> JSONValue {
        var row: [Cell] = []
        let source = try ledger.entities(asOf: asOf, atSeq: nil, only: (.designation, match.designation))
        try Reports(asOf: asOf, source: source).rows(of: .designations) { cells in
            if case .text(match.designation) = cells.first { row = cells }
        }
        func list(_ index: Int) -> JSONValue {
            guard index < row.count, case .list(let items) = row[index] else { return .array([]) }
            return .array(items.map(JSONValue.string))
        }
        let entityType = row.count > 3 ? row[3] : .empty
        let schema: String
        switch entityType {
        case .text("individual"): schema = "Person"
        case .text("vessel"): schema = "Vessel"
        case .text("aircraft"): schema = "Airplane"
        default: schema = "Organization"
        }
        let score = Double(match.score) / 100
        return .object(
            JSONObject([
                "id": .string(match.designation), "caption": .string(match.entity), "schema": .string(schema),
                "score": .number(Screener.formatScore(match.score)),
                "match": .bool(score >= threshold - 1e-9), "datasets": .array([.string(match.list)]),
                "properties": .object(
                    JSONObject([
                        "name": .array([.string(match.entity)]), "alias": list(4), "weakAlias": list(10),
                    ])),
            ]))
    }
}
