import LedgerDomain

/// The screening index (`screen_postings`, `screen_names`, `screen_trigram_counts`,
/// `screen_identifiers`): kept up to date as designation versions are stored, and asked for
/// candidates by `ledger screen`.
///
/// A designation's trigrams are gathered in memory and written per trigram and bucket of
/// stream ids when the batch ends (or every `flushPostings` postings), so a designation costs a
/// couple of statements, not one per trigram. Every row depends only on the set of postings,
/// never on how they were batched, so a replay writes what the appends wrote.
final class ScreeningIndex {
    private let database: Database
    private var insertIdentifier: Statement?
    private var loadNames: Statement?
    private var saveNames: Statement?
    private var loadPostings: Statement?
    private var savePostings: Statement?
    private var countTrigram: Statement?
    /// Postings gained since the last flush: trigram → stream ids.
    private var pending: [String: [Int64]] = [:]
    private var pendingCount = 0
    /// The trigrams indexed so far for the designations touched since the last flush.
    private var indexed: [Int64: Set<String>] = [:]
    /// Those of them that gained trigrams.
    private var changed = Set<Int64>()

    /// How many stream ids share a postings row.
    static let bucketSize: Int64 = 1_024
    /// How many postings are held in memory at most before they are written.
    static let flushPostings = 200_000

    init(database: Database) {
        self.database = database
    }

    func reset() {
        for statement in [insertIdentifier, loadNames, saveNames, loadPostings, savePostings, countTrigram] {
            statement?.reset()
        }
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
        if !names.isEmpty {
            // Taken out while it grows, so that the set is not copied.
            var known = try indexed.removeValue(forKey: streamID) ?? storedTrigrams(of: streamID)
            known.reserveCapacity(known.count + 16 * names.count)
            let before = known.count
            for name in names {
                NameNormalizer.forEachTrigram(NameNormalizer.normalize(name)) { trigram in
                    guard known.insert(trigram).inserted else { return }
                    pending[trigram, default: []].append(streamID)
                }
            }
            if known.count > before {
                pendingCount += known.count - before
                changed.insert(streamID)
            }
            indexed[streamID] = known
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
        if pendingCount >= Self.flushPostings { try flush() }
    }

    /// Notes a designation created just now: nothing is indexed for it yet, so its first
    /// names need no look-up of what earlier batches indexed.
    func created(_ streamID: Int64) {
        indexed[streamID] = []
    }

    /// The trigrams indexed for a designation by earlier batches.
    private func storedTrigrams(of streamID: Int64) throws -> Set<String> {
        let statement =
            try loadNames ?? database.prepare("SELECT trigrams FROM screen_names WHERE stream_id = ?1")
        loadNames = statement
        statement.reset()
        try statement.bind(streamID, at: 1)
        defer { statement.reset() }
        guard try statement.step() else { return [] }
        return Set(statement.string(0).split(separator: "\n", omittingEmptySubsequences: true).map(String.init))
    }

    /// Writes the postings, names and counts gathered since the last flush (before a batch commits).
    func flush() throws {
        let names =
            try saveNames
            ?? database.prepare("INSERT OR REPLACE INTO screen_names (stream_id, trigrams) VALUES (?1, ?2)")
        saveNames = names
        for streamID in changed.sorted() {
            names.reset()
            try names.bind(streamID, at: 1)
            try names.bind(utf8: Self.namesText(indexed[streamID] ?? []), at: 2)
            try names.step()
        }
        names.reset()
        let load =
            try loadPostings
            ?? database.prepare("SELECT stream_ids FROM screen_postings WHERE trigram = ?1 AND bucket = ?2")
        loadPostings = load
        let save =
            try savePostings
            ?? database.prepare(
                "INSERT OR REPLACE INTO screen_postings (trigram, bucket, stream_ids) VALUES (?1, ?2, ?3)")
        savePostings = save
        let count =
            try countTrigram
            ?? database.prepare(
                """
                INSERT INTO screen_trigram_counts (trigram, streams) VALUES (?1, ?2)
                ON CONFLICT (trigram) DO UPDATE SET streams = streams + excluded.streams
                """)
        countTrigram = count
        for (trigram, streamIDs) in pending.sorted(by: { $0.key < $1.key }) {
            let byBucket = Dictionary(grouping: streamIDs) { $0 / Self.bucketSize }
            for (bucket, ids) in byBucket.sorted(by: { $0.key < $1.key }) {
                load.reset()
                try load.bind(trigram, at: 1)
                try load.bind(bucket, at: 2)
                var offsets = try load.step() ? Self.offsets(load.blob(0)) : []
                load.reset()
                offsets.append(contentsOf: ids.map { UInt16($0 - bucket * Self.bucketSize) })
                offsets.sort()
                var bytes: [UInt8] = []
                bytes.reserveCapacity(offsets.count * 2)
                for offset in offsets {
                    bytes.append(UInt8(truncatingIfNeeded: offset))
                    bytes.append(UInt8(truncatingIfNeeded: offset >> 8))
                }
                save.reset()
                try save.bind(trigram, at: 1)
                try save.bind(bucket, at: 2)
                try save.bind(blob: bytes, at: 3)
                try save.step()
            }
            count.reset()
            try count.bind(trigram, at: 1)
            try count.bind(Int64(streamIDs.count), at: 2)
            try count.step()
        }
        reset()
        pending.removeAll()
        pendingCount = 0
        indexed.removeAll()
        changed.removeAll()
    }

    /// A `screen_names.trigrams` value: the trigrams in order, one per line (normalised names
    /// hold no line breaks). Trigrams of ASCII bytes, nearly all of them, are sorted as
    /// integers (the same order as the strings'); others as strings.
    static func namesText(_ trigrams: Set<String>) -> [UInt8] {
        var packed: [UInt32] = []
        packed.reserveCapacity(trigrams.count)
        for trigram in trigrams {
            var key: UInt32 = 0
            var count = 0
            for byte in trigram.utf8 {
                guard byte < 0x80, count < 3 else { return Array(trigrams.sorted().joined(separator: "\n").utf8) }
                key = key << 8 | UInt32(byte)
                count += 1
            }
            guard count == 3 else { return Array(trigrams.sorted().joined(separator: "\n").utf8) }
            packed.append(key)
        }
        packed.sort()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(packed.count * 4)
        for key in packed {
            if !bytes.isEmpty { bytes.append(UInt8(ascii: "\n")) }
            bytes.append(UInt8(truncatingIfNeeded: key >> 16))
            bytes.append(UInt8(truncatingIfNeeded: key >> 8))
            bytes.append(UInt8(truncatingIfNeeded: key))
        }
        return bytes
    }

    /// The offsets a `stream_ids` blob holds.
    static func offsets(_ bytes: [UInt8]) -> [UInt16] {
        stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
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
            // The designations sharing the most of these trigrams, then the lowest stream ids.
            var shared: [Int64: Int] = [:]
            let postings = try database.prepare("SELECT bucket, stream_ids FROM screen_postings WHERE trigram = ?1")
            for trigram in trigrams {
                postings.reset()
                try postings.bind(trigram, at: 1)
                while try postings.step() {
                    let base = postings.int64(0) * ScreeningIndex.bucketSize
                    for offset in ScreeningIndex.offsets(postings.blob(1)) {
                        shared[base + Int64(offset), default: 0] += 1
                    }
                }
            }
            let ranked = shared.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            candidates.formUnion(ranked.prefix(Self.screeningCandidates).map(\.key))
        }
        let stored = StoredEntities(database: database, asOf: asOf, atSeq: Int64.max - 1, isAtHead: true)
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
