import LedgerDomain

/// The screening index (`screen_trigrams`, `screen_identifiers`): kept up to date as
/// designation versions are stored, and asked for candidates by `ledger screen`.
final class ScreeningIndex {
    private let database: Database
    private var insertTrigram: Statement?
    private var insertIdentifier: Statement?
    private var countTrigram: Statement?
    /// How many designations each trigram gained since the last `flush`: the counts are
    /// written once per trigram per batch, not once per posting.
    private var pendingCounts: [String: Int64] = [:]

    init(database: Database) {
        self.database = database
    }

    func reset() {
        insertTrigram?.reset()
        insertIdentifier?.reset()
        countTrigram?.reset()
    }

    /// Adds the names, aliases and identifiers a designation event (as it counts) brings.
    func add(_ payload: EventPayload, streamID: Int64) throws {
        let names: [String]
        let identifiers: [Identifier]
        switch payload {
        case .designationAdded(let added):
            names = [added.entity] + added.aliases
            identifiers = added.identifiers
        case .designationAmended(let amended):
            names = amended.addAliases
            identifiers = amended.addIdentifiers
        default:
            return
        }
        let trigramStatement =
            try insertTrigram
            ?? database.prepare(
                "INSERT OR IGNORE INTO screen_trigrams (trigram, stream_id) VALUES (?1, ?2)")
        insertTrigram = trigramStatement
        var trigrams = Set<String>()
        for name in names {
            trigrams.formUnion(NameNormalizer.trigrams(NameNormalizer.normalize(name)))
        }
        for trigram in trigrams {
            trigramStatement.reset()
            try trigramStatement.bind(trigram, at: 1)
            try trigramStatement.bind(streamID, at: 2)
            try trigramStatement.step()
            if database.changes == 1 { pendingCounts[trigram, default: 0] += 1 }
        }
        let identifierStatement =
            try insertIdentifier
            ?? database.prepare(
                "INSERT OR IGNORE INTO screen_identifiers (key, stream_id) VALUES (?1, ?2)")
        insertIdentifier = identifierStatement
        for identifier in identifiers {
            identifierStatement.reset()
            try identifierStatement.bind(identifier.canonicalValue, at: 1)
            try identifierStatement.bind(streamID, at: 2)
            try identifierStatement.step()
        }
    }

    /// Writes the trigram counts gained since the last flush (before a batch commits).
    func flush() throws {
        guard !pendingCounts.isEmpty else { return }
        let statement =
            try countTrigram
            ?? database.prepare(
                """
                INSERT INTO screen_trigram_counts (trigram, streams) VALUES (?1, ?2)
                ON CONFLICT (trigram) DO UPDATE SET streams = streams + excluded.streams
                """)
        countTrigram = statement
        for (trigram, count) in pendingCounts.sorted(by: { $0.key < $1.key }) {
            statement.reset()
            try statement.bind(trigram, at: 1)
            try statement.bind(count, at: 2)
            try statement.step()
        }
        statement.reset()
        pendingCounts.removeAll()
    }
}

extension Ledger {
    /// Designations matching `screener`'s query as of `asOf`, best first (contract section 5).
    public func screen(_ screener: Screener, asOf: Day) throws -> [ScreeningMatch] {
        var matches: [ScreeningMatch] = []
        guard hasViews else {
            // A ledger from before the index: judge every designation, folded from the log.
            try entities(asOf: asOf, atSeq: nil).forEachEntity(of: .designation) { snapshot in
                if let match = screener.match(snapshot) { matches.append(match) }
            }
            return Screener.ordered(matches)
        }
        var candidates = Set<Int64>()
        let identifiers = try database.prepare("SELECT stream_id FROM screen_identifiers WHERE key = ?1")
        for key in Set([Identifier.canonicalValue(screener.query, kind: nil), screener.query]) {
            identifiers.reset()
            try identifiers.bind(key, at: 1)
            while try identifiers.step() { candidates.insert(identifiers.int64(0)) }
        }
        // Candidates by name: the designations sharing the most of the query's rarest
        // trigrams (a common one, such as those of "Industries", would only add noise and time).
        let counts = try database.prepare("SELECT streams FROM screen_trigram_counts WHERE trigram = ?1")
        var ranked: [(trigram: String, streams: Int64)] = []
        for trigram in NameNormalizer.trigrams(screener.normalizedQuery) {
            counts.reset()
            try counts.bind(trigram, at: 1)
            if try counts.step() { ranked.append((trigram, counts.int64(0))) }
        }
        ranked.sort { $0.streams != $1.streams ? $0.streams < $1.streams : $0.trigram < $1.trigram }
        var trigrams: [String] = []
        var postings: Int64 = 0
        for entry in ranked where trigrams.count < 3 || postings + entry.streams <= Self.screeningPostings {
            trigrams.append(entry.trigram)
            postings += entry.streams
        }
        if !trigrams.isEmpty {
            let placeholders = trigrams.indices.map { "?\($0 + 1)" }.joined(separator: ",")
            let statement = try database.prepare(
                """
                SELECT stream_id FROM screen_trigrams WHERE trigram IN (\(placeholders))
                GROUP BY stream_id ORDER BY count(*) DESC, stream_id LIMIT \(Self.screeningCandidates)
                """)
            for (index, trigram) in trigrams.enumerated() { try statement.bind(trigram, at: Int32(index + 1)) }
            while try statement.step() { candidates.insert(statement.int64(0)) }
        }
        let stored = StoredEntities(database: database, asOf: asOf, atSeq: Int64.max - 1)
        let entity = try stored.entityStatement()
        for stream in candidates {
            if let snapshot = try stored.entity(stream, using: entity), let match = screener.match(snapshot) {
                matches.append(match)
            }
        }
        return Screener.ordered(matches)
    }

    /// How many name candidates (those sharing the most trigrams with the query) are judged.
    static let screeningCandidates = 200

    /// How many index entries a query's trigrams may bring at most (the rarest go first).
    static let screeningPostings: Int64 = 20_000
}
