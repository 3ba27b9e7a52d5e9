import LedgerDomain

/// A row of `screen_postings`: a trigram and a bucket of stream ids.
struct PostingKey: Hashable {
    var trigram: String
    var bucket: Int64
}

/// The screening index (`screen_postings`, `designation_terms`, `screen_trigram_counts`,
/// `screen_identifiers`): kept up to date as designation versions are stored, and asked for
/// candidates by `ledger screen`.
///
/// A designation's trigrams are gathered in memory and written per trigram and bucket of
/// stream ids when the batch ends (or every `flushPostings` postings), so a designation costs a
/// couple of statements, not one per trigram. Every row depends only on the set of postings,
/// never on how they were batched, so a replay writes what the appends wrote.
final class ScreeningIndex {
    private let database: any SQLDatabase
    private var insertIdentifier: (any SQLStatement)?
    private var loadNames: (any SQLStatement)?
    private var loadPostings: (any SQLStatement)?
    private var savePostings: (any SQLStatement)?
    private var countTrigram: (any SQLStatement)?
    private var insertTermStatement: (any SQLStatement)?
    private var closeTermsStatement: (any SQLStatement)?
    /// Postings gained since the last flush: trigram → stream ids.
    private var pending: [String: [Int64]] = [:]
    private var pendingCount = 0
    /// The trigrams indexed so far for the designations touched since the last flush.
    private var indexed: [Int64: Set<String>] = [:]

    /// How many stream ids share a postings row.
    static let bucketSize: Int64 = 1_024
    /// How many postings are held in memory at most before they are written.
    static let flushPostings = 100_000

    init(database: any SQLDatabase) {
        self.database = database
    }

    func reset() {
        for statement in [
            insertIdentifier, loadNames, loadPostings, savePostings, countTrigram, insertTermStatement,
            closeTermsStatement,
        ] {
            statement?.reset()
        }
    }

    /// Adds what one version of a designation event (as it counts, valid within `bounds`)
    /// brings: its terms, and the postings of its names and identifiers.
    func add(_ payload: EventPayload, occurredOn: Day, streamID: Int64, bounds: VersionBounds) throws {
        let names: [IndexedName]
        let identifiers: [Identifier]
        // What earlier batches indexed is read from the stored terms before this version's
        // own terms are written.
        if indexed[streamID] == nil {
            switch payload {
            case .designationAdded, .designationAmended: indexed[streamID] = try storedTrigrams(of: streamID)
            default: break
            }
        }
        var position: Int64 = 0
        func term(_ role: TermRole, _ value: String, detail: String? = nil, name: IndexedName? = nil) throws {
            try insertTerm(
                streamID: streamID, bounds: bounds, position: position, role: role, value: value, detail: detail,
                name: name)
            position += 1
        }
        switch payload {
        case .designationAdded(let added):
            let entity = IndexedName(added.entity)
            let aliases = added.aliases.map(IndexedName.init)
            let weakAliases = (added.weakAliases ?? []).map(IndexedName.init)
            let originalScriptNames = (added.originalScriptNames ?? []).map(IndexedName.init)
            names = [entity] + aliases + weakAliases + originalScriptNames
            identifiers = added.identifiers
            try term(.entry, added.entity, detail: added.list, name: entity)
            for alias in aliases { try term(.alias, alias.value, name: alias) }
            for alias in weakAliases { try term(.weakAlias, alias.value, name: alias) }
            for name in originalScriptNames { try term(.originalScriptName, name.value, name: name) }
            for identifier in identifiers {
                try term(.identifierAdded, identifier.value, detail: identifier.kind.rawValue)
            }
        case .designationAmended(let amended):
            let renamed = amended.entity.map(IndexedName.init)
            let addedAliases = amended.addAliases.map(IndexedName.init)
            let addedWeakAliases = amended.addWeakAliases.map(IndexedName.init)
            let addedOriginalScriptNames = amended.addOriginalScriptNames.map(IndexedName.init)
            names = (renamed.map { [$0] } ?? []) + addedAliases + addedWeakAliases + addedOriginalScriptNames
            identifiers = amended.addIdentifiers
            for identifier in amended.removeIdentifiers {
                try term(.identifierRemoved, identifier.value, detail: identifier.kind.rawValue)
            }
            for identifier in identifiers {
                try term(.identifierAdded, identifier.value, detail: identifier.kind.rawValue)
            }
            for alias in amended.removeAliases { try term(.aliasRemoved, alias) }
            for alias in addedAliases { try term(.alias, alias.value, name: alias) }
            for alias in amended.removeWeakAliases { try term(.weakAliasRemoved, alias) }
            for alias in addedWeakAliases { try term(.weakAlias, alias.value, name: alias) }
            for name in amended.removeOriginalScriptNames { try term(.originalScriptNameRemoved, name) }
            for name in addedOriginalScriptNames { try term(.originalScriptName, name.value, name: name) }
            if let renamed { try term(.renamed, renamed.value, name: renamed) }
            if position == 0, let program = amended.program {
                // A change of program alone: screening reads no program, but the version
                // still has a term to stand for it.
                try term(.programChanged, program)
            }
        case .designationRemoved:
            try term(.removal, occurredOn.description)
            return
        default:
            return
        }
        if !names.isEmpty {
            // Taken out while it grows, so that the set is not copied.
            var known = indexed.removeValue(forKey: streamID) ?? []
            known.reserveCapacity(known.count + 16 * names.count)
            let before = known.count
            for name in names {
                NameNormalizer.forEachIndexTrigram(name.normalized) { trigram in
                    guard known.insert(trigram).inserted else { return }
                    pending[trigram, default: []].append(streamID)
                }
            }
            pendingCount += known.count - before
            indexed[streamID] = known
        }
        let identifierStatement =
            try insertIdentifier
            ?? database.prepareInsert(
                RowInsert(into: "screen_identifiers", columns: ["key", "stream_id"], conflict: .ignore))
        insertIdentifier = identifierStatement
        for identifier in identifiers {
            identifierStatement.reset()
            try identifierStatement.bind(identifier.canonicalValue, at: 1)
            try identifierStatement.bind(streamID, at: 2)
            try identifierStatement.step()
        }
        if pendingCount >= Self.flushPostings { try flush() }
    }

    /// Stores one term of a version.
    private func insertTerm(
        streamID: Int64, bounds: VersionBounds, position: Int64, role: TermRole, value: String, detail: String?,
        name: IndexedName?
    ) throws {
        let statement =
            try insertTermStatement
            ?? database.prepareInsert(
                RowInsert(
                    into: "designation_terms",
                    columns: [
                        "stream_id", "seq", "to_seq", "from_seq", "from_day", "to_day", "position", "role", "value",
                        "detail", "normalized", "sorted_tokens",
                    ]))
        insertTermStatement = statement
        statement.reset()
        try statement.bind(streamID, at: 1)
        try statement.bind(bounds.seq, at: 2)
        try statement.bind(bounds.toSeq, at: 3)
        try statement.bind(bounds.fromSeq, at: 4)
        try statement.bind(bounds.fromDay, at: 5)
        try statement.bind(bounds.toDay, at: 6)
        try statement.bind(position, at: 7)
        try statement.bind(role.rawValue, at: 8)
        try statement.bind(StoredText.encode(value), at: 9)
        if let detail { try statement.bind(StoredText.encode(detail), at: 10) }
        if let name {
            try statement.bind(StoredText.encode(name.normalized), at: 11)
            try statement.bind(StoredText.encode(name.sortedTokens), at: 12)
        }
        try statement.step()
    }

    /// Closes the terms of a version (open until now) at `toSeq`, as `VersionTable.close`
    /// closes its row.
    func closeTerms(of version: OpenVersion, streamID: Int64, at toSeq: Int64) throws {
        let statement =
            try closeTermsStatement
            ?? database.prepareWrite(
                """
                UPDATE designation_terms SET to_seq = ?1
                WHERE stream_id = ?2 AND seq = ?3 AND to_seq = ?4 AND from_seq = ?5 AND from_day = ?6
                """, changing: "designation_terms")
        closeTermsStatement = statement
        statement.reset()
        try statement.bind(toSeq, at: 1)
        try statement.bind(streamID, at: 2)
        try statement.bind(version.content.seq, at: 3)
        try statement.bind(Schema.openSeq, at: 4)
        try statement.bind(version.fromSeq, at: 5)
        try statement.bind(ViewCodes.code(version.content.fromDate), at: 6)
        try statement.step()
    }

    /// Notes a designation created just now: nothing is indexed for it yet, so its first
    /// names need no look-up of what earlier batches indexed.
    func created(_ streamID: Int64) {
        indexed[streamID] = []
    }

    /// The trigrams indexed for a designation by earlier batches: those of every name its
    /// stored terms hold (the terms of every version ever written stay, closed or not, and
    /// are written by the same calls as the postings).
    private func storedTrigrams(of streamID: Int64) throws -> Set<String> {
        let statement =
            try loadNames
            ?? database.prepare(
                "SELECT normalized FROM designation_terms WHERE stream_id = ?1 AND normalized IS NOT NULL")
        loadNames = statement
        statement.reset()
        try statement.bind(streamID, at: 1)
        defer { statement.reset() }
        var trigrams = Set<String>()
        while try statement.step() {
            NameNormalizer.forEachIndexTrigram(StoredText.decode(statement.string(0))) { trigrams.insert($0) }
        }
        return trigrams
    }

    /// Writes the postings and counts gathered since the last flush (before a batch commits).
    func flush() throws {
        let load =
            try loadPostings
            ?? database.prepare("SELECT stream_ids FROM screen_postings WHERE trigram = ?1 AND bucket = ?2")
        loadPostings = load
        let save =
            try savePostings
            ?? database.prepareInsert(
                RowInsert(
                    into: "screen_postings", columns: ["trigram", "bucket", "stream_ids"],
                    conflict: .update(key: ["trigram", "bucket"], set: "stream_ids = excluded.stream_ids")))
        savePostings = save
        let count =
            try countTrigram
            ?? database.prepareInsert(
                RowInsert(
                    into: "screen_trigram_counts", columns: ["trigram", "streams"],
                    conflict: .update(
                        key: ["trigram"], set: "streams = screen_trigram_counts.streams + excluded.streams")
                ))
        countTrigram = count
        let postings = pending.sorted(by: { $0.key < $1.key }).map { trigram, streamIDs in
            (trigram, Dictionary(grouping: streamIDs) { $0 / Self.bucketSize }.sorted(by: { $0.key < $1.key }))
        }
        // Where each read is a round trip (a server), the stored postings are read ahead, many
        // rows to a query; a file reads each as it comes.
        var stored: [PostingKey: [UInt8]] = [:]
        let readsAhead = database.dialect.lookAheadEvents > 1
        if readsAhead {
            let keys = postings.flatMap { trigram, buckets in
                buckets.map { PostingKey(trigram: trigram, bucket: $0.key) }
            }
            let pairs = SQLList.size / 2
            let read = try database.prepare(
                """
                SELECT trigram, bucket, stream_ids FROM screen_postings WHERE (trigram, bucket) IN (VALUES \(
                    (0..<pairs).map { "(?\($0 * 2 + 1), ?\($0 * 2 + 2))" }.joined(separator: ", ")))
                """)
            for start in stride(from: 0, to: keys.count, by: pairs) {
                read.reset()
                for (offset, key) in keys[start..<min(start + pairs, keys.count)].enumerated() {
                    try read.bind(key.trigram, at: Int32(offset * 2 + 1))
                    try read.bind(key.bucket, at: Int32(offset * 2 + 2))
                }
                while try read.step() {
                    stored[PostingKey(trigram: read.string(0), bucket: read.int64(1))] = read.blob(2)
                }
            }
            read.reset()
        }
        for (trigram, byBucket) in postings {
            let streamIDs = byBucket.flatMap(\.value)
            for (bucket, ids) in byBucket {
                var offsets: [UInt16]
                if readsAhead {
                    offsets = stored[PostingKey(trigram: trigram, bucket: bucket)].map(Self.offsets) ?? []
                } else {
                    load.reset()
                    try load.bind(trigram, at: 1)
                    try load.bind(bucket, at: 2)
                    offsets = try load.step() ? Self.offsets(load.blob(0)) : []
                    load.reset()
                }
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
    }

    /// A designation as it stands on `asOf` as the log stood at `atSeq`, from its terms
    /// (read with `statement`, the query `screen` prepares); nil when it does not exist then.
    static func standing(of streamID: Int64, asOf: Day, atSeq: Int64, using statement: any SQLStatement) throws
        -> DesignationStanding<ScreenedName>?
    {
        statement.reset()
        try statement.bind(streamID, at: 1)
        try statement.bind(ViewCodes.code(asOf), at: 2)
        try statement.bind(atSeq, at: 3)
        defer { statement.reset() }
        var changes: [DesignationChange<ScreenedName>] = []
        var seq: Int64?
        var terms: [(role: TermRole, value: String, detail: String?, name: ScreenedName?)] = []
        func flush() throws {
            guard !terms.isEmpty else { return }
            changes.append(try change(of: terms, stream: streamID))
            terms.removeAll(keepingCapacity: true)
        }
        while try statement.step() {
            if statement.int64(0) != seq {
                try flush()
                seq = statement.int64(0)
            }
            guard let role = TermRole(rawValue: statement.int64(1)) else {
                throw LedgerStoreError.corruptView(stream: "stream \(streamID)")
            }
            let value = StoredText.decode(statement.string(2))
            let name =
                statement.isNull(4)
                ? nil
                : ScreenedName(
                    value: value, normalized: StoredText.decode(statement.string(4)),
                    sortedTokens: StoredText.decode(statement.string(5)))
            terms.append((role, value, statement.isNull(3) ? nil : StoredText.decode(statement.string(3)), name))
        }
        try flush()
        return DesignationStanding(changes)
    }

    /// The change one event's terms make.
    private static func change(
        of terms: [(role: TermRole, value: String, detail: String?, name: ScreenedName?)], stream: Int64
    ) throws -> DesignationChange<ScreenedName> {
        func identifier(_ term: (role: TermRole, value: String, detail: String?, name: ScreenedName?)) throws
            -> Identifier
        {
            guard let kind = term.detail.flatMap(IdentifierKind.init(rawValue:)) else {
                throw LedgerStoreError.corruptView(stream: "stream \(stream)")
            }
            return Identifier(kind: kind, value: term.value)
        }
        func names(_ role: TermRole) throws -> [ScreenedName] {
            try terms.filter { $0.role == role }.map { term in
                guard let name = term.name else { throw LedgerStoreError.corruptView(stream: "stream \(stream)") }
                return name
            }
        }
        switch terms[0].role {
        case .entry:
            guard let list = terms[0].detail, let entity = terms[0].name else {
                throw LedgerStoreError.corruptView(stream: "stream \(stream)")
            }
            return .added(
                DesignationAddition(
                    list: list, entity: entity, aliases: try names(.alias), weakAliases: try names(.weakAlias),
                    originalScriptNames: try names(.originalScriptName),
                    identifiers: try terms.filter { $0.role == .identifierAdded }.map(identifier), program: nil))
        case .removal:
            guard let day = Day(terms[0].value) else { throw LedgerStoreError.corruptView(stream: "stream \(stream)") }
            return .removed(on: day)
        case .alias, .identifierAdded, .identifierRemoved, .aliasRemoved, .renamed, .programChanged, .weakAlias,
            .weakAliasRemoved, .originalScriptName, .originalScriptNameRemoved:
            var amendment = DesignationAmendment<ScreenedName>()
            amendment.addIdentifiers = try terms.filter { $0.role == .identifierAdded }.map(identifier)
            amendment.removeIdentifiers = try terms.filter { $0.role == .identifierRemoved }.map(identifier)
            amendment.addAliases = try names(.alias)
            amendment.removeAliases = terms.filter { $0.role == .aliasRemoved }.map(\.value)
            amendment.addWeakAliases = try names(.weakAlias)
            amendment.removeWeakAliases = terms.filter { $0.role == .weakAliasRemoved }.map(\.value)
            amendment.addOriginalScriptNames = try names(.originalScriptName)
            amendment.removeOriginalScriptNames = terms.filter { $0.role == .originalScriptNameRemoved }.map(\.value)
            amendment.entity = try names(.renamed).last
            return .amended(amendment)
        }
    }

    /// The offsets a `stream_ids` blob holds.
    static func offsets(_ bytes: [UInt8]) -> [UInt16] {
        stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
    }
}

/// A name as the index writes it: as listed, normalised, its words sorted. (The words'
/// keys, which comparing needs, are made when the name is read back for a query.)
struct IndexedName {
    var value: String
    var normalized: String
    var sortedTokens: String

    init(_ value: String) {
        self.value = value
        normalized = NameNormalizer.normalize(value)
        sortedTokens = NameNormalizer.sortedTokens(normalized)
    }
}

/// What a row of `designation_terms` holds (see `Schema`, migration 6).
enum TermRole: Int64 {
    /// The entry: `value` the entity, `detail` the list.
    case entry = 0
    case alias = 1
    /// `detail` the identifier's kind.
    case identifierAdded = 2
    case identifierRemoved = 3
    /// `value` the removal's `occurred_on`.
    case removal = 4
    /// `value` an alias an amendment removed.
    case aliasRemoved = 5
    /// `value` the entry's new name.
    case renamed = 6
    /// `value` the entry's new program, when an amendment changes nothing else (screening
    /// reads no program).
    case programChanged = 7
    /// A weak alias added, and one removed (`value` as listed).
    case weakAlias = 8
    case weakAliasRemoved = 9
    /// A name in its own script added, and one removed.
    case originalScriptName = 10
    case originalScriptNameRemoved = 11
}

/// The bounds of one version of an event (see `versions`).
struct VersionBounds {
    var seq: Int64
    var fromSeq: Int64
    var fromDay: Int64
    var toDay: Int64
    var toSeq: Int64

    /// The one version of an event nothing has changed: from its `known_on`, open in both times.
    static func untouched(seq: Int64, knownOn: Int64) -> VersionBounds {
        VersionBounds(seq: seq, fromSeq: seq, fromDay: knownOn, toDay: Schema.openDay, toSeq: Schema.openSeq)
    }
}
