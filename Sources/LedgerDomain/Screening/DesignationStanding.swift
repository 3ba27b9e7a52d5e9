/// A name as screening compares it: as listed, normalised, and its words sorted. The
/// screening index stores the three at append time, so a query normalises only itself.
public struct ScreenedName: Sendable, Equatable {
    /// As listed.
    public var value: String
    public var normalized: String
    /// The normalised words in sorted order, joined by one space.
    public var sortedTokens: String

    /// The name as listed, normalised here.
    public init(_ value: String) {
        self.init(value: value, normalized: NameNormalizer.normalize(value))
    }

    /// A name whose normalised form is known.
    public init(value: String, normalized: String) {
        self.init(value: value, normalized: normalized, sortedTokens: NameNormalizer.sortedTokens(normalized))
    }

    /// A name as the screening index stores it.
    public init(value: String, normalized: String, sortedTokens: String) {
        self.value = value
        self.normalized = normalized
        self.sortedTokens = sortedTokens
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
    case added(list: String, entity: Name, aliases: [Name], identifiers: [Identifier])
    case amended(addIdentifiers: [Identifier], removeIdentifiers: [Identifier], addAliases: [Name])
    case removed(on: Day)

    /// The changes of an entity's counted events (other types, such as corrections, bring
    /// none); nil unless the entity is a designation whose `designation.added` counts.
    public static func changes(of snapshot: EntitySnapshot, name: (String) -> Name) -> [DesignationChange]? {
        guard case .designationAdded(let added)? = snapshot.creation.payload else { return nil }
        var changes: [DesignationChange] = [
            .added(
                list: added.list, entity: name(added.entity), aliases: added.aliases.map(name),
                identifiers: added.identifiers)
        ]
        for event in snapshot.events.dropFirst()
        where event.type == .designationAmended || event.type == .designationRemoved {
            switch event.payload {
            case .designationAmended(let amendment)?:
                changes.append(
                    .amended(
                        addIdentifiers: amendment.addIdentifiers, removeIdentifiers: amendment.removeIdentifiers,
                        addAliases: amendment.addAliases.map(name)))
            case .designationRemoved?:
                changes.append(.removed(on: event.occurredOn))
            default:
                break
            }
        }
        return changes
    }
}

/// A designation as it stands on a day: the one fold of its changes behind the designations
/// report (`DesignationView`) and screening (from the log's events, or from the screening
/// index's stored terms).
public struct DesignationStanding<Name: ListedName>: Sendable {
    public var list: String
    public var entity: Name
    /// Aliases in the order they were added, each once.
    public var aliases: [Name]
    /// Identifiers carried now, in the order they were added; removed ones left out.
    public var identifiers: [Identifier]
    /// The `occurred_on` of the counted removal.
    public var removedOn: Day?

    /// Folds `changes` in log order; nil unless the first is the designation's addition.
    public init?(_ changes: [DesignationChange<Name>]) {
        guard case .added(let list, let entity, let aliases, let added)? = changes.first else { return nil }
        self.list = list
        self.entity = entity
        var allAliases = aliases
        var identifiers: [Identifier] = []
        for identifier in added where !identifiers.contains(identifier) { identifiers.append(identifier) }
        var removedOn: Day?
        for change in changes.dropFirst() {
            switch change {
            case .amended(let add, let remove, let addAliases):
                identifiers.removeAll { carried in remove.contains { $0.isSame(as: carried) } }
                for identifier in add where !identifiers.contains(identifier) { identifiers.append(identifier) }
                allAliases.append(contentsOf: addAliases)
            case .removed(let day):
                if removedOn == nil { removedOn = day }
            case .added:
                break
            }
        }
        var seen = Set<String>()
        self.aliases = allAliases.filter { seen.insert($0.listed).inserted }
        self.identifiers = identifiers
        self.removedOn = removedOn
    }
}
