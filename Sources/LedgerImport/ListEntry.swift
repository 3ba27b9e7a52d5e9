import Foundation
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
    /// Each strong alias once, in document order.
    public var aliases: [String]
    /// Each alias the list marks weak once (UN `Low`), in document order.
    public var weakAliases: [String] = []
    /// Each name in its own script once (UN `NAME_ORIGINAL_SCRIPT`), in document order.
    public var originalScriptNames: [String] = []
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
    /// Whether the entry cannot make a designation (no reference number, say) and is left
    /// out of the snapshot, as its repairs say.
    public var isSkipped = false

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
        self.entity = name(entity, field: "entity")
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

    /// `value` trimmed, with each run of white space inside it one space: a line break in a
    /// document number, say, is a repair of `field`.
    mutating func collapsed(_ value: String, field: String) -> String {
        var result = ""
        var run = ""
        for character in value.trimmingWhitespace() {
            if character.isWhitespace {
                run.append(character)
                continue
            }
            if !run.isEmpty {
                result.append(" ")
                if run != " " {
                    repair(field, "white space \(run.debugDescription) inside the value written as one space")
                }
                run = ""
            }
            result.append(character)
        }
        return result
    }

    /// A name as an event holds it: white space collapsed, cut at the limit.
    mutating func name(_ value: String, field: String) -> String {
        limited(collapsed(value, field: field), field: field)
    }

    /// Adds `alias` unless it is empty or already there. An alias the UN writes with its
    /// original script in brackets (`Amir Khazmat (original script: Амир Хазмат)`) is two
    /// names: the alias, and a name in its own script.
    mutating func addAlias(_ alias: String, field: String) {
        let (alias, script) = Self.splittingOriginalScript(alias)
        let name = name(alias, field: field)
        if !name.isEmpty && !aliases.contains(name) { aliases.append(name) }
        if let script { addOriginalScriptName(script, field: field) }
    }

    /// `text` without a final `(original script: X)`, and `X`.
    static func splittingOriginalScript(_ text: String) -> (String, String?) {
        guard let open = text.range(of: "(original script:", options: .caseInsensitive), text.hasSuffix(")") else {
            return (text, nil)
        }
        let script = String(text[open.upperBound...].dropLast()).trimmingWhitespace()
        return (String(text[..<open.lowerBound]).trimmingWhitespace(), script.isEmpty ? nil : script)
    }

    /// Adds `alias` to the weak aliases unless it is empty, already there, or a strong alias.
    mutating func addWeakAlias(_ alias: String, field: String) {
        let (alias, script) = Self.splittingOriginalScript(alias)
        let name = name(alias, field: field)
        if !name.isEmpty && !weakAliases.contains(name) { weakAliases.append(name) }
        if let script { addOriginalScriptName(script, field: field) }
    }

    /// Adds a name in its own script unless it is empty or already there.
    mutating func addOriginalScriptName(_ value: String, field: String) {
        let name = name(value, field: field)
        if !name.isEmpty && !originalScriptNames.contains(name) { originalScriptNames.append(name) }
    }

    /// Adds `identifier` unless one of the same kind and canonical value is already there.
    /// A value its kind refuses (an `eth_address` of 39 digits) is kept as `other`, as written;
    /// invisible and control characters are taken out; each is a repair of `field`.
    mutating func addIdentifier(_ identifier: Identifier, field: String) {
        var identifier = identifier
        var value = collapsed(identifier.value, field: field)
        if value.unicodeScalars.contains(where: Identifier.isInvisible) {
            value = String(String.UnicodeScalarView(value.unicodeScalars.filter { !Identifier.isInvisible($0) }))
            repair(field, "invisible or control characters taken out of the identifier")
        }
        identifier.value = limited(value, field: field)
        if identifier.kind == .ethAddress && !Identifier.isEthereumAddress(identifier.value) {
            repair(
                field,
                "\(identifier.value) is not 0x and 40 hexadecimal digits: kept as written, with kind other")
            identifier.kind = .other
        }
        if !identifier.value.isEmpty && !identifiers.contains(where: { $0.isSame(as: identifier) }) {
            identifiers.append(identifier)
        }
    }
}
