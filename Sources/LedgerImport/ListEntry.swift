import LedgerDomain

/// One entry of an official list as a snapshot gives it, in the contract's words
/// (section 8): what a designation stream holds, read from the XML or CSV, with the repairs
/// made to fit it into an event.
public struct ListEntry: Sendable, Equatable {
    /// The list's name in the ledger: `UN-DPRK`, `OFAC-SDN`.
    public var list: String
    /// The stream's slug before any relisting: `un-kpi.033`, `ofac-24187`.
    public var slug: String
    public var entity: String
    public var entityType: EntityType
    /// Each alias once, in document order.
    public var aliases: [String]
    /// Each identifier once (by canonical form), in document order.
    public var identifiers: [Identifier]
    public var program: String?
    /// UN's `LISTED_ON`, when given.
    public var listedOn: Day?
    /// The line of the main file where the entry starts, for errors.
    public var line: Int
    /// The main file, for errors and warnings.
    public var file: String
    /// What was mended to make the entry an event, in the order it was done.
    public var repairs: [Repair] = []

    public init(
        list: String, slug: String, entity: String, entityType: EntityType, aliases: [String],
        identifiers: [Identifier], program: String?, listedOn: Day?, line: Int, file: String
    ) {
        self.list = list
        self.slug = slug
        self.entityType = entityType
        self.aliases = aliases
        self.identifiers = identifiers
        self.listedOn = listedOn
        self.line = line
        self.file = file
        self.entity = ""
        self.program = nil
        self.entity = limited(entity, field: "entity")
        self.program = program.map { limited($0, field: "program") }
    }

    /// One repair of a malformed value inside an entry: `warning: FILE:LINE: FIELD: what`.
    public struct Repair: Sendable, Equatable {
        public var file: String
        public var line: Int
        public var field: String
        public var what: String

        /// The warning line, without `warning: `.
        public var message: String { "\(file):\(line): \(field): \(what)" }
    }

    /// The slug of `prefix` and a list's own key: lower-cased, every character outside
    /// `[a-z0-9._-]` replaced by `-` (`KPi.033` → `un-kpi.033`).
    public static func slug(prefix: String, key: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        return prefix + String(key.lowercased().map { allowed.contains($0) ? $0 : "-" })
    }

    /// Notes a repair at the entry's line (or `line`).
    mutating func repair(_ field: String, _ what: String, line: Int? = nil) {
        repairs.append(Repair(file: file, line: line ?? self.line, field: field, what: what))
    }

    /// `value` cut to the longest string an event may hold (contract section 1), on a
    /// character boundary; the cut is noted as a repair of `field`.
    mutating func limited(_ value: String, field: String) -> String {
        let limit = JSONLimits.ledger.maxStringBytes
        guard value.utf8.count > limit else { return value }
        // Cut between characters as a reader sees them (a letter stays with its accents).
        var kept = ""
        var bytes = 0
        for character in value {
            let size = character.utf8.count
            if bytes + size > limit { break }
            kept.append(character)
            bytes += size
        }
        repair(field, "\(value.utf8.count) bytes, cut at the limit of \(limit) bytes")
        return kept
    }

    /// Adds `alias` unless it is empty or already there.
    mutating func addAlias(_ alias: String, field: String) {
        let trimmed = limited(alias.trimmingWhitespace(), field: field)
        if !trimmed.isEmpty && !aliases.contains(trimmed) { aliases.append(trimmed) }
    }

    /// Adds `identifier` unless one of the same kind and canonical value is already there.
    mutating func addIdentifier(_ identifier: Identifier, field: String) {
        var identifier = identifier
        identifier.value = limited(identifier.value, field: field)
        if !identifier.value.isEmpty && !identifiers.contains(where: { $0.isSame(as: identifier) }) {
            identifiers.append(identifier)
        }
    }
}
