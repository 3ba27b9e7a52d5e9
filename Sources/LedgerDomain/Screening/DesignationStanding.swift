/// A name as screening compares it: as listed, normalised, and its words sorted. The
/// screening index stores the three at append time, so a query normalises only itself.
public struct ScreenedName: Sendable, Equatable {
    /// As listed.
    public var value: String
    public var normalized: String
    /// The normalised words in sorted order, joined by one space.
    public var sortedTokens: String
    /// The words as screening compares them (weights and keys), made once per name.
    var words: NameWords

    /// The name as listed, normalised here.
    public init(_ value: String) {
        self.init(value: value, normalized: NameNormalizer.normalize(value))
    }

    /// A name whose normalised form is known.
    public init(value: String, normalized: String) {
        self.init(value: value, normalized: normalized, sortedTokens: NameNormalizer.sortedTokens(normalized))
    }

    /// The trigrams the screening index posts this name under (see `NameNormalizer.indexTrigrams`).
    public var indexTrigrams: Set<String> { NameNormalizer.indexTrigrams(normalized, words: words) }

    /// A name as the screening index stores it.
    public init(value: String, normalized: String, sortedTokens: String) {
        self.value = value
        self.normalized = normalized
        self.sortedTokens = sortedTokens
        words = NameWords(normalized)
    }
}

/// A name on a designation: as listed (for the designations report), or as screened.
public protocol ListedName: Sendable {
    /// The name as listed.
    var listed: String { get }
}

extension String: ListedName {
    public var listed: String { self }
}

extension ScreenedName: ListedName {
    public var listed: String { value }
}

/// What one counted event of a designation brings, in log order: the typed part of a
/// `designation.added`, `designation.amended` or `designation.removed` that the designations
/// report and screening read.
public enum DesignationChange<Name: ListedName>: Sendable {
    case added(list: String, entity: Name, aliases: [Name], identifiers: [Identifier], program: String?)
    case amended(DesignationAmendment<Name>)
    case removed(on: Day)

    /// The changes of an entity's counted events (other types, such as corrections, bring
    /// none); nil unless the entity is a designation whose `designation.added` counts.
    public static func changes(of snapshot: EntitySnapshot, name: (String) -> Name) -> [DesignationChange]? {
        guard case .designationAdded(let added)? = snapshot.creation.payload else { return nil }
        var changes: [DesignationChange] = [
            .added(
                list: added.list, entity: name(added.entity), aliases: added.aliases.map(name),
                identifiers: added.identifiers, program: added.program)
        ]
        for event in snapshot.events.dropFirst()
        where event.type == .designationAmended || event.type == .designationRemoved {
            switch event.payload {
            case .designationAmended(let amendment)?:
                changes.append(.amended(DesignationAmendment(amendment, name: name)))
            case .designationRemoved?:
                changes.append(.removed(on: event.occurredOn))
            default:
                break
            }
        }
        return changes
    }
}

/// What a `designation.amended` changes, its names as the reader wants them.
public struct DesignationAmendment<Name: ListedName>: Sendable {
    public var addIdentifiers: [Identifier] = []
    public var removeIdentifiers: [Identifier] = []
    public var addAliases: [Name] = []
    /// Removed aliases, as listed.
    public var removeAliases: [String] = []
    public var entity: Name?
    /// Nil when the amendment leaves the program (or the reader does not read programs).
    public var program: String?

    public init() {}

    public init(_ amendment: DesignationAmended, name: (String) -> Name) {
        addIdentifiers = amendment.addIdentifiers
        removeIdentifiers = amendment.removeIdentifiers
        addAliases = amendment.addAliases.map(name)
        removeAliases = amendment.removeAliases
        entity = amendment.entity.map(name)
        program = amendment.program
    }
}

/// A designation as it stands on a day: the one fold of its changes behind the designations
/// report (`DesignationView`), `history`, validation of an amendment (`StreamState`),
/// screening (from the log's events, or from the screening index's stored terms) and the
/// import diff.
public struct DesignationStanding<Name: ListedName>: Sendable {
    public var list: String
    /// The name as last amended.
    public var entity: Name
    /// Aliases in the order they were added, each once; removed ones left out (an alias
    /// added again after its removal comes last).
    public var aliases: [Name]
    /// Identifiers carried now, in the order they were added; removed ones left out.
    public var identifiers: [Identifier]
    /// The program as last amended.
    public var program: String?
    /// The `occurred_on` of the counted removal.
    public var removedOn: Day?

    /// Folds `changes` in log order; nil unless the first is the designation's addition.
    public init?(_ changes: [DesignationChange<Name>]) {
        guard case .added(let list, let entity, let aliases, let added, let program)? = changes.first else {
            return nil
        }
        self.list = list
        self.entity = entity
        self.program = program
        var kept: [Name] = []
        var listed = Set<String>()
        func addAlias(_ alias: Name) {
            if listed.insert(alias.listed).inserted { kept.append(alias) }
        }
        aliases.forEach(addAlias)
        var identifiers: [Identifier] = []
        for identifier in added where !identifiers.contains(identifier) { identifiers.append(identifier) }
        var removedOn: Day?
        for change in changes.dropFirst() {
            switch change {
            case .amended(let amendment):
                identifiers.removeAll { carried in amendment.removeIdentifiers.contains { $0.isSame(as: carried) } }
                for identifier in amendment.addIdentifiers where !identifiers.contains(identifier) {
                    identifiers.append(identifier)
                }
                if !amendment.removeAliases.isEmpty {
                    let removed = Set(amendment.removeAliases)
                    kept.removeAll { removed.contains($0.listed) }
                    listed.subtract(removed)
                }
                amendment.addAliases.forEach(addAlias)
                if let renamed = amendment.entity { self.entity = renamed }
                if let program = amendment.program { self.program = program }
            case .removed(let day):
                if removedOn == nil { removedOn = day }
            case .added:
                break
            }
        }
        self.aliases = kept
        self.identifiers = identifiers
        self.removedOn = removedOn
    }

    /// Whether it carries `identifier` (in its canonical form).
    public func carries(_ identifier: Identifier) -> Bool {
        identifiers.contains { $0.isSame(as: identifier) }
    }
}
