/// What sort of thing a designation names.
public enum EntityType: String, Sendable, CaseIterable {
    case organization, individual, vessel, address
}

/// The kinds of identifier a designation can carry.
public enum IdentifierKind: String, Sendable, CaseIterable {
    case ethAddress = "eth_address"
    case btcAddress = "btc_address"
    case trxAddress = "trx_address"
    case other
}

/// An identifier on a sanctions list entry, such as a wallet address.
public struct Identifier: Sendable, Hashable {
    public var kind: IdentifierKind
    public var value: String

    public init(kind: IdentifierKind, value: String) {
        self.kind = kind
        self.value = value
    }

    init(_ value: JSONValue, path: String) throws(EventValidationError) {
        let reader = try FieldReader(value, path: path, allowed: ["kind", "value"])
        kind = try reader.choice("kind", as: IdentifierKind.self)
        self.value = try reader.string("value")
    }

    static func list(_ reader: FieldReader, _ key: String) throws(EventValidationError) -> [Identifier] {
        var identifiers: [Identifier] = []
        for (index, element) in try reader.list(key).enumerated() {
            identifiers.append(try Identifier(element, path: "\(reader.field(key))[\(index)]"))
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

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(
            data, path: path, allowed: ["list", "entity", "entity_type", "aliases", "identifiers", "program"])
        list = try reader.string("list")
        entity = try reader.string("entity")
        entityType = try reader.choice("entity_type", as: EntityType.self)
        aliases = try reader.stringList("aliases")
        identifiers = try Identifier.list(reader, "identifiers")
        program = try reader.optionalString("program")
    }
}

/// `designation.amended`: identifiers or aliases added to, or identifiers removed from, an active entry.
public struct DesignationAmended: Sendable, Equatable {
    public var addIdentifiers: [Identifier]
    public var removeIdentifiers: [Identifier]
    public var addAliases: [String]

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(
            data, path: path, allowed: ["add_identifiers", "remove_identifiers", "add_aliases"])
        addIdentifiers = data.contains("add_identifiers") ? try Identifier.list(reader, "add_identifiers") : []
        removeIdentifiers =
            data.contains("remove_identifiers") ? try Identifier.list(reader, "remove_identifiers") : []
        addAliases = try reader.optionalStringList("add_aliases") ?? []
        if addIdentifiers.isEmpty && removeIdentifiers.isEmpty && addAliases.isEmpty {
            throw EventValidationError(
                field: path,
                reason: "must change something: add_identifiers, remove_identifiers or add_aliases, non-empty")
        }
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
