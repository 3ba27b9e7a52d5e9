import Foundation

/// What sort of thing a designation names.
public enum EntityType: String, Sendable, CaseIterable {
    case organization, individual, vessel, aircraft, address
}

/// The kinds of identifier a designation can carry: digital currency addresses, the
/// documents and registrations official lists state, and any other.
public enum IdentifierKind: String, Sendable, CaseIterable {
    case ethAddress = "eth_address"
    case btcAddress = "btc_address"
    case trxAddress = "trx_address"
    case passport
    case nationalID = "national_id"
    case taxID = "tax_id"
    /// A vessel's IMO number.
    case imo
    /// A vessel's Maritime Mobile Service Identity.
    case mmsi
    case callSign = "call_sign"
    case swiftBIC = "swift_bic"
    case other

    /// Whether values of this kind are document or registration numbers, compared upper-cased
    /// without white space or `-` (`AB 123-45` is `AB12345`).
    public var isDocument: Bool {
        switch self {
        case .passport, .nationalID, .taxID, .imo, .mmsi, .callSign, .swiftBIC: true
        case .ethAddress, .btcAddress, .trxAddress, .other: false
        }
    }
}

/// An identifier on a sanctions list entry, such as a wallet address.
public struct Identifier: Sendable, Hashable {
    public var kind: IdentifierKind
    public var value: String

    public init(kind: IdentifierKind, value: String) {
        self.kind = kind
        self.value = value
    }

    init(_ value: JSONValue, at location: FieldPath) throws(EventValidationError) {
        let reader = try FieldReader(value, at: location, allowed: ["kind", "value"])
        kind = try reader.choice("kind", as: IdentifierKind.self)
        self.value = try reader.string("value")
        if let hidden = Self.invisibleScalar(in: self.value) {
            throw EventValidationError(
                field: reader.field("value"),
                reason:
                    "holds an invisible or control character (U+\(hex(hidden.value))): an identifier must read as it is"
            )
        }
        if kind == .ethAddress && !Self.isEthereumAddress(self.value) {
            throw EventValidationError(
                field: reader.field("value"), reason: "an eth_address is 0x followed by 40 hexadecimal digits")
        }
    }

    /// The first invisible or control character of `text`, if any; printable ASCII has none.
    public static func invisibleScalar(in text: String) -> Unicode.Scalar? {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        return text.unicodeScalars.first(where: isInvisible)
    }

    /// Characters that change nothing a reader sees, or that a terminal acts on: controls,
    /// format characters (zero-width spaces and joiners, soft hyphens, bidirectional controls,
    /// byte order marks), variation selectors, and line or paragraph separators.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return (0xFE00...0xFE0F).contains(scalar.value) || (0xE0100...0xE01EF).contains(scalar.value)
        }
    }

    /// `0x` and 40 hexadecimal digits, in either case.
    public static func isEthereumAddress(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 42, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "x") else { return false }
        return bytes[2...].allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
    }

    /// The form identifiers are compared and indexed in (contract sections 8 and 11):
    /// invisible characters removed, compatibility forms folded (full-width digits), trimmed;
    /// `0x…` hex addresses (and every `eth_address`) and bech32 addresses (`bc1…`, which
    /// BIP-173 reads in either case but not mixed) lower-cased; document and registration
    /// numbers upper-cased without white space or `-` (an IMO number also without its `IMO`
    /// prefix); other identifiers as they are. `kind` is nil for a screening query, whose kind
    /// is not known.
    public static func canonicalValue(_ value: String, kind: IdentifierKind?) -> String {
        var text = value
        if !text.utf8.allSatisfy({ $0 >= 0x21 && $0 < 0x7F }) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.filter { !ScriptFolding.isInvisible($0) }))
                .precomposedStringWithCompatibilityMapping.trimmingWhitespace()
        }
        if let kind, kind.isDocument { return documentForm(text, kind: kind) }
        if kind == .ethAddress || text.hasPrefix("0x") || text.hasPrefix("0X") || isBech32(text) {
            return text.lowercased()
        }
        return text
    }

    /// A document or registration number as compared: upper case, no white space or `-`;
    /// an IMO number without its `IMO` prefix.
    static func documentForm(_ text: String, kind: IdentifierKind) -> String {
        var form = String(text.uppercased().unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "-" })
        if kind == .imo && form.hasPrefix("IMO") { form.removeFirst(3) }
        return form
    }

    /// Whether `text` reads as a bech32 address: a human-readable part, `1`, and at least six
    /// characters of the bech32 alphabet, all in one case.
    static func isBech32(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 8, bytes.count <= 90, let separator = bytes.lastIndex(of: UInt8(ascii: "1")),
            separator >= 1, bytes.count - separator - 1 >= 6
        else { return false }
        let isLower = bytes.allSatisfy { !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        let isUpper = bytes.allSatisfy { !(UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
        guard isLower || isUpper else { return false }
        let alphabet = Set("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
        return bytes[..<separator].allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) }
            && bytes[(separator + 1)...].allSatisfy { alphabet.contains($0 | 0x20) }
    }

    /// This identifier's value in its canonical form.
    public var canonicalValue: String { Self.canonicalValue(value, kind: kind) }

    /// Whether `other` names the same thing: the same kind and the same canonical value
    /// (so a removal matches `0xABC…` listed as `0xabc…`, as screening does).
    public func isSame(as other: Identifier) -> Bool {
        kind == other.kind && canonicalValue == other.canonicalValue
    }

    static func list(_ reader: FieldReader, _ key: String) throws(EventValidationError) -> [Identifier] {
        var identifiers: [Identifier] = []
        for (index, element) in try reader.list(key).enumerated() {
            identifiers.append(try Identifier(element, at: reader.element(key, index)))
        }
        return identifiers
    }

    /// `kind:value`, as the designations report writes it.
    public var label: String { "\(kind.rawValue):\(value)" }
}

/// `designation.added`: an entry put on a sanctions list.
public struct DesignationAdded: Sendable, Equatable {
    public var list: String
    public var entity: String
    public var entityType: EntityType
    public var aliases: [String]
    public var identifiers: [Identifier]
    public var program: String?
    /// Aliases the list marks weak (UN `Low`): a match on one is a lead, never an alert;
    /// nil when `data` gives none.
    public var weakAliases: [String]?
    /// The names as written in their own script (UN `NAME_ORIGINAL_SCRIPT`); nil when
    /// `data` gives none.
    public var originalScriptNames: [String]?

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(
            data, path: path,
            allowed: [
                "list", "entity", "entity_type", "aliases", "identifiers", "program", "weak_aliases",
                "original_script_names",
            ])
        list = try reader.string("list")
        entity = try reader.string("entity")
        entityType = try reader.choice("entity_type", as: EntityType.self)
        aliases = try reader.stringList("aliases")
        identifiers = try Identifier.list(reader, "identifiers")
        program = try reader.optionalString("program")
        weakAliases = try reader.optionalStringList("weak_aliases")
        originalScriptNames = try reader.optionalStringList("original_script_names")
    }
}

/// `designation.amended`: a change to an active entry, as official lists make them:
/// identifiers and names (strong aliases, weak aliases, names in their own script) added or
/// removed, the entry renamed, its program changed.
public struct DesignationAmended: Sendable, Equatable {
    public var addIdentifiers: [Identifier]
    public var removeIdentifiers: [Identifier]
    public var addAliases: [String]
    public var removeAliases: [String]
    public var addWeakAliases: [String]
    public var removeWeakAliases: [String]
    public var addOriginalScriptNames: [String]
    public var removeOriginalScriptNames: [String]
    /// The entry's new name.
    public var entity: String?
    /// The entry's new program.
    public var program: String?
    /// The lists `data` spells out, even empty ones: its canonical bytes keep them.
    public var given: Lists

    /// The lists an amendment may give.
    public struct Lists: OptionSet, Sendable, Equatable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let addIdentifiers = Lists(rawValue: 1)
        public static let removeIdentifiers = Lists(rawValue: 2)
        public static let addAliases = Lists(rawValue: 4)
        public static let removeAliases = Lists(rawValue: 8)
        public static let addWeakAliases = Lists(rawValue: 16)
        public static let removeWeakAliases = Lists(rawValue: 32)
        public static let addOriginalScriptNames = Lists(rawValue: 64)
        public static let removeOriginalScriptNames = Lists(rawValue: 128)
    }

    /// The name lists an amendment may give, with their members in `data`.
    static let nameLists: [(list: Lists, key: String)] = [
        (.addAliases, "add_aliases"), (.removeAliases, "remove_aliases"), (.addWeakAliases, "add_weak_aliases"),
        (.removeWeakAliases, "remove_weak_aliases"), (.addOriginalScriptNames, "add_original_script_names"),
        (.removeOriginalScriptNames, "remove_original_script_names"),
    ]

    /// The members `data` may hold.
    static let members = ["add_identifiers", "remove_identifiers", "entity", "program"] + nameLists.map(\.key)

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(data, path: path, allowed: Self.members)
        given = []
        if data.contains("add_identifiers") { given.insert(.addIdentifiers) }
        if data.contains("remove_identifiers") { given.insert(.removeIdentifiers) }
        for (list, key) in Self.nameLists where data.contains(key) { given.insert(list) }
        addIdentifiers = data.contains("add_identifiers") ? try Identifier.list(reader, "add_identifiers") : []
        removeIdentifiers =
            data.contains("remove_identifiers") ? try Identifier.list(reader, "remove_identifiers") : []
        addAliases = try reader.optionalStringList("add_aliases") ?? []
        removeAliases = try reader.optionalStringList("remove_aliases") ?? []
        addWeakAliases = try reader.optionalStringList("add_weak_aliases") ?? []
        removeWeakAliases = try reader.optionalStringList("remove_weak_aliases") ?? []
        addOriginalScriptNames = try reader.optionalStringList("add_original_script_names") ?? []
        removeOriginalScriptNames = try reader.optionalStringList("remove_original_script_names") ?? []
        entity = try reader.optionalString("entity")
        program = try reader.optionalString("program")
        if !changesSomething {
            throw EventValidationError(
                field: path,
                reason: """
                    must change something: a list of identifiers or names to add or remove non-empty, \
                    or a new entity or program
                    """)
        }
    }

    /// Whether it changes anything: a list non-empty, or a new name or program. (A
    /// correction can empty an amendment; then it no longer counts as one.)
    public var changesSomething: Bool {
        !(addIdentifiers.isEmpty && removeIdentifiers.isEmpty && addAliases.isEmpty && removeAliases.isEmpty
            && addWeakAliases.isEmpty && removeWeakAliases.isEmpty && addOriginalScriptNames.isEmpty
            && removeOriginalScriptNames.isEmpty && entity == nil && program == nil)
    }
}

/// `designation.removed`: an entry taken off its list.
public struct DesignationRemoved: Sendable, Equatable {
    public var reason: String

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(data, path: path, allowed: ["reason"])
        reason = try reader.string("reason")
    }
}

/// Upper-case hexadecimal, at least four digits: `200B`.
func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
