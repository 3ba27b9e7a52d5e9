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

/// The names a designation's addition brings, its names as the reader wants them.
public struct DesignationAddition<Name: ListedName>: Sendable {
    public var list: String
    public var entity: Name
    public var aliases: [Name]
    public var weakAliases: [Name]
    public var originalScriptNames: [Name]
    public var identifiers: [Identifier]
    public var program: String?

    public init(
        list: String, entity: Name, aliases: [Name], weakAliases: [Name] = [], originalScriptNames: [Name] = [],
        identifiers: [Identifier], program: String?
    ) {
        self.list = list
        self.entity = entity
        self.aliases = aliases
        self.weakAliases = weakAliases
        self.originalScriptNames = originalScriptNames
        self.identifiers = identifiers
        self.program = program
    }

    public init(_ added: DesignationAdded, name: (String) -> Name) {
        self.init(
            list: added.list, entity: name(added.entity), aliases: added.aliases.map(name),
            weakAliases: (added.weakAliases ?? []).map(name),
            originalScriptNames: (added.originalScriptNames ?? []).map(name), identifiers: added.identifiers,
            program: added.program)
    }
}

/// What one counted event of a designation brings, in log order: the typed part of a
/// `designation.added`, `designation.amended` or `designation.removed` that the designations
/// report and screening read.
public enum DesignationChange<Name: ListedName>: Sendable {
    case added(DesignationAddition<Name>)
    case amended(DesignationAmendment<Name>)
    case removed(on: Day)

    /// The changes of an entity's counted events (other types, such as corrections, bring
    /// none); nil unless the entity is a designation whose `designation.added` counts.
    public static func changes(of snapshot: EntitySnapshot, name: (String) -> Name) -> [DesignationChange]? {
        guard case .designationAdded(let added)? = snapshot.creation.payload else { return nil }
        var changes: [DesignationChange] = [.added(DesignationAddition(added, name: name))]
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
    /// Removed aliases, as listed (likewise below).
    public var removeAliases: [String] = []
    public var addWeakAliases: [Name] = []
    public var removeWeakAliases: [String] = []
    public var addOriginalScriptNames: [Name] = []
    public var removeOriginalScriptNames: [String] = []
    public var entity: Name?
    /// Nil when the amendment leaves the program (or the reader does not read programs).
    public var program: String?

    public init() {}

    public init(_ amendment: DesignationAmended, name: (String) -> Name) {
        addIdentifiers = amendment.addIdentifiers
        removeIdentifiers = amendment.removeIdentifiers
        addAliases = amendment.addAliases.map(name)
        removeAliases = amendment.removeAliases
        addWeakAliases = amendment.addWeakAliases.map(name)
        removeWeakAliases = amendment.removeWeakAliases
        addOriginalScriptNames = amendment.addOriginalScriptNames.map(name)
        removeOriginalScriptNames = amendment.removeOriginalScriptNames
        entity = amendment.entity.map(name)
        program = amendment.program
    }
}

/// Names in the order they were added, each once by how it is listed; a removed one left
/// out (one added again after its removal comes last).
public struct ListedNames<Name: ListedName>: Sendable {
    public private(set) var names: [Name] = []
    private var listed = Set<String>()

    init() {}

    mutating func add(_ name: Name) {
        if listed.insert(name.listed).inserted { names.append(name) }
    }

    mutating func remove(_ removed: [String]) {
        guard !removed.isEmpty else { return }
        let gone = Set(removed)
        names.removeAll { gone.contains($0.listed) }
        listed.subtract(gone)
    }

    /// Whether `name` (as listed) is among them.
    public func contains(_ name: String) -> Bool { listed.contains(name) }
}

/// A designation as it stands on a day: the one fold of its changes behind the designations
/// report (`DesignationView`), `history`, validation of an amendment (`StreamState`),
/// screening (from the log's events, or from the screening index's stored terms) and the
/// import diff.
public struct DesignationStanding<Name: ListedName>: Sendable {
    public var list: String
    /// The name as last amended.
    public var entity: Name
    /// Strong aliases in the order they were added, each once; removed ones left out.
    public var aliases: [Name] { strong.names }
    /// Aliases the list marks weak, likewise.
    public var weakAliases: [Name] { weak.names }
    /// The names in their own script, likewise.
    public var originalScriptNames: [Name] { originalScript.names }
    /// Identifiers carried now, in the order they were added; removed ones left out.
    public var identifiers: [Identifier]
    /// The program as last amended.
    public var program: String?
    /// The `occurred_on` of the counted removal.
    public var removedOn: Day?

    private var strong: ListedNames<Name>
    private var weak: ListedNames<Name>
    private var originalScript: ListedNames<Name>

    /// Folds `changes` in log order; nil unless the first is the designation's addition.
    public init?(_ changes: [DesignationChange<Name>]) {
        guard case .added(let addition)? = changes.first else { return nil }
        list = addition.list
        entity = addition.entity
        program = addition.program
        var strong = ListedNames<Name>()
        var weak = ListedNames<Name>()
        var originalScript = ListedNames<Name>()
        for alias in addition.aliases { strong.add(alias) }
        for alias in addition.weakAliases { weak.add(alias) }
        for name in addition.originalScriptNames { originalScript.add(name) }
        var identifiers: [Identifier] = []
        for identifier in addition.identifiers where !identifiers.contains(identifier) {
            identifiers.append(identifier)
        }
        var removedOn: Day?
        for change in changes.dropFirst() {
            switch change {
            case .amended(let amendment):
                identifiers.removeAll { carried in amendment.removeIdentifiers.contains { $0.isSame(as: carried) } }
                for identifier in amendment.addIdentifiers where !identifiers.contains(identifier) {
                    identifiers.append(identifier)
                }
                strong.remove(amendment.removeAliases)
                for alias in amendment.addAliases { strong.add(alias) }
                weak.remove(amendment.removeWeakAliases)
                for alias in amendment.addWeakAliases { weak.add(alias) }
                originalScript.remove(amendment.removeOriginalScriptNames)
                for name in amendment.addOriginalScriptNames { originalScript.add(name) }
                if let renamed = amendment.entity { self.entity = renamed }
                if let program = amendment.program { self.program = program }
            case .removed(let day):
                if removedOn == nil { removedOn = day }
            case .added:
                break
            }
        }
        self.strong = strong
        self.weak = weak
        self.originalScript = originalScript
        self.identifiers = identifiers
        self.removedOn = removedOn
    }

    /// Whether it carries `identifier` (in its canonical form).
    public func carries(_ identifier: Identifier) -> Bool {
        identifiers.contains { $0.isSame(as: identifier) }
    }

    /// Whether `alias` (as listed) is among its strong aliases; likewise weak aliases and
    /// names in their own script.
    public func hasAlias(_ alias: String) -> Bool { strong.contains(alias) }
    public func hasWeakAlias(_ alias: String) -> Bool { weak.contains(alias) }
    public func hasOriginalScriptName(_ name: String) -> Bool { originalScript.contains(name) }
}
