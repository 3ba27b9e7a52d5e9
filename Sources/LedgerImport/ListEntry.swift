import LedgerDomain

/// One entry of an official list as a snapshot gives it, in the contract's words
/// (section 8): what a designation stream holds, read from the XML or CSV.
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

    /// The slug of `prefix` and a list's own key: lower-cased, every character outside
    /// `[a-z0-9._-]` replaced by `-` (`KPi.033` → `un-kpi.033`).
    public static func slug(prefix: String, key: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        return prefix + String(key.lowercased().map { allowed.contains($0) ? $0 : "-" })
    }

    /// Adds `alias` unless it is empty or already there.
    mutating func addAlias(_ alias: String) {
        let trimmed = alias.trimmingWhitespace()
        if !trimmed.isEmpty && !aliases.contains(trimmed) { aliases.append(trimmed) }
    }

    /// Adds `identifier` unless one of the same kind and canonical value is already there.
    mutating func addIdentifier(_ identifier: Identifier) {
        if !identifier.value.isEmpty && !identifiers.contains(where: { $0.isSame(as: identifier) }) {
            identifiers.append(identifier)
        }
    }
}
