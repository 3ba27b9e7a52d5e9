/// What a designation matched on.
public enum MatchKind: String, Sendable {
    case identifier, name, alias

    /// Which of two equal scores is shown: an identifier, then the name, then an alias.
    var rank: Int {
        switch self {
        case .identifier: 0
        case .name: 1
        case .alias: 2
        }
    }
}

/// One row of `ledger screen`: the best match of one active designation.
public struct ScreeningMatch: Sendable, Equatable {
    public var designation: String
    public var list: String
    public var entity: String
    public var matchedOn: MatchKind
    /// The designation's name, alias or identifier value that matched, as listed.
    public var matchedValue: String
    /// In hundredths: 100 is `1.00`.
    public var score: Int
    /// Which rule matched (`--format json` explains a hit with it).
    public var rule: MatchRule = .exact
    /// The matched name as it was compared (normalised); the identifier's canonical form.
    public var matchedNormalized: String = ""

    /// The row's cells: `designation,list,entity,matched_on,matched_value,score`.
    public var cells: [Cell] {
        [
            .text(designation), .text(list), .text(entity), .text(matchedOn.rawValue), .text(matchedValue),
            .decimal(Screener.formatScore(score)),
        ]
    }

    /// The columns of the screen output.
    public static let columns = ["designation", "list", "entity", "matched_on", "matched_value", "score"]
}

/// Sanctions screening of one query against designations as of a day (contract section 5).
public struct Screener: Sendable {
    /// The query as typed, trimmed.
    public let query: String
    /// The query as names are compared (as a reader sees it displayed).
    public let queryName: ScreenedName
    /// The names the query is read as: as displayed, and, when it holds a bidirectional
    /// override, also in its logical order (what a program reading the bytes sees), so that
    /// the override cannot hide a name either way (section 11).
    public let queryNames: [ScreenedName]
    /// The lowest score reported, in hundredths.
    public let threshold: Int

    /// The query normalised for name comparison.
    public var normalizedQuery: String { queryName.normalized }
    /// The query as an identifier, as people paste one (section 11).
    public let identifierQuery: IdentifierQuery

    public init(query: String, threshold: Double) {
        self.query = query.trimmingWhitespace()
        queryName = ScreenedName(self.query)
        let logical = String(
            String.UnicodeScalarView(
                self.query.unicodeScalars.filter {
                    !(0x202A...0x202E).contains($0.value) && !(0x2066...0x2069).contains($0.value)
                }))
        if logical != self.query, case let name = ScreenedName(logical), name.normalized != queryName.normalized {
            queryNames = [queryName, name]
        } else {
            queryNames = [queryName]
        }
        identifierQuery = IdentifierQuery(self.query)
        self.threshold = Int((threshold * 100).rounded())
    }

    /// Whether the query has something to compare: a letter or digit once normalised, or an
    /// identifier with one.
    public var isScreenable: Bool {
        if !queryName.normalized.isEmpty { return true }
        let identifier = Identifier.canonicalValue(query, kind: nil)
        return identifier.contains(where: { $0.isLetter || $0.isNumber })
    }

    /// The best match of one designation, if it is active and scores at or above the
    /// threshold: the reference reading, from the designation's counted events.
    public func match(_ snapshot: EntitySnapshot) -> ScreeningMatch? {
        guard let changes = DesignationChange<ScreenedName>.changes(of: snapshot, name: ScreenedName.init),
            let standing = DesignationStanding(changes)
        else { return nil }
        return match(standing, designation: snapshot.stream)
    }

    /// The best match of designation `designation` standing so, if it is active and scores
    /// at or above the threshold.
    public func match(_ standing: DesignationStanding<ScreenedName>, designation: String) -> ScreeningMatch? {
        guard standing.removedOn == nil else { return nil }
        var best: (score: Int, kind: MatchKind, value: String, rule: MatchRule, normalized: String)?
        func consider(_ score: Int, _ kind: MatchKind, _ value: String, _ rule: MatchRule, _ normalized: String) {
            guard let current = best else {
                best = (score, kind, value, rule, normalized)
                return
            }
            if score > current.score || (score == current.score && kind.rank < current.kind.rank) {
                best = (score, kind, value, rule, normalized)
            }
        }
        for identifier in standing.identifiers where identifierQuery.matches(identifier) {
            consider(100, .identifier, identifier.value, .identifier, identifier.canonicalValue)
        }
        for queryName in queryNames where !queryName.normalized.isEmpty {
            let name = NameSimilarity.compare(queryName, standing.entity)
            consider(
                Self.hundredths(name.score), .name, standing.entity.value, name.rule, standing.entity.normalized)
            for names in [standing.aliases, standing.originalScriptNames] {
                for alias in names {
                    let compared = NameSimilarity.compare(queryName, alias)
                    consider(Self.hundredths(compared.score), .alias, alias.value, compared.rule, alias.normalized)
                }
            }
            // A weak alias is a lead, never an alert: at most 0.80, below the default threshold.
            for alias in standing.weakAliases {
                let compared = NameSimilarity.compare(queryName, alias)
                consider(
                    min(Self.hundredths(compared.score), Self.weakAliasCeiling), .alias, alias.value, compared.rule,
                    alias.normalized)
            }
        }
        guard let best, best.score >= threshold else { return nil }
        return ScreeningMatch(
            designation: designation, list: standing.list, entity: standing.entity.value, matchedOn: best.kind,
            matchedValue: best.value, score: best.score, rule: best.rule, matchedNormalized: best.normalized)
    }

    /// Orders matches: score descending, then designation (byte order).
    public static func ordered(_ matches: [ScreeningMatch]) -> [ScreeningMatch] {
        matches.sorted { lhs, rhs in
            lhs.score != rhs.score ? lhs.score > rhs.score : byteOrder(lhs.designation, rhs.designation)
        }
    }

    /// The most a match on a weak alias scores, in hundredths (contract section 8).
    public static let weakAliasCeiling = 80

    static func hundredths(_ score: Double) -> Int {
        Int((score * 100).rounded())
    }

    /// `1.00`, `0.87`.
    public static func formatScore(_ hundredths: Int) -> String {
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension String {
    /// The text without leading and trailing white space.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
