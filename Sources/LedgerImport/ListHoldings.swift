import Crypto
import Foundation
import LedgerDomain
import LedgerStore

/// What the ledger holds of the imported lists, as an import compares a snapshot with it:
/// each list's designations as of the snapshot date, by slug, and the day of the last
/// snapshot imported for each list.
///
/// A designation is held compactly (its slug, standing and a fingerprint of what an import
/// compares), so memory stays small however long the list; the whole view of a designation
/// is read from the log only for an entry whose fingerprint differs.
public struct ListHoldings {
    /// One designation stream of a list, as it stands on the snapshot date.
    public struct Held {
        /// The stream's slug: its name after `designation/`.
        public var slug: String
        public var list: String
        /// The `occurred_on` of its counted removal, nil while active.
        public var removedOn: Day?
        /// Whether its `designation.added` carries a `source.sha256`: it came from an import,
        /// so an import may remove it.
        public var isEvidenced: Bool
        /// `Fingerprint` of its name, program, aliases and identifiers that day.
        var fingerprint: SHA256Digest

        public var isActive: Bool { removedOn == nil }
    }

    /// By base slug (without `-relisted-DATE`): the active stream if one is, else the one
    /// added last.
    private(set) var bySlug: [String: Held] = [:]
    /// The `published_on` of the latest imported event (one whose source carries a
    /// `sha256`) of each list.
    public private(set) var lastSnapshot: [String: Day] = [:]
    /// A designation's whole view that day, read from the log when needed.
    private let view: (String) throws -> DesignationView?

    init(view: @escaping (String) throws -> DesignationView? = { _ in nil }) {
        self.view = view
    }

    /// Every designation stream of the ledger (its slug), whatever its list and standing: a
    /// stream an entry needs but that is not held for its list is another's, or was retracted.
    private var streams = Set<String>()

    /// Reads the designations of the lists `isWanted` admits from `ledger`: one pass over
    /// the log's designation events for the evidence, then the designations as of `asOf`.
    public static func load(from ledger: Ledger, asOf: Day, lists isWanted: (String) -> Bool) throws
        -> ListHoldings
    {
        var holdings = ListHoldings { stream in
            let events = try ledger.log.events(of: "designation/\(stream)")
            return EntityFold.snapshot(of: "designation/\(stream)", events: events, asOf: asOf).flatMap(
                DesignationView.init)
        }
        var listOfStream: [String: String] = [:]
        var evidenced = Set<String>()
        // The snapshot dates of the imported events, by id, and what was retracted since: a
        // retracted import no longer counts as the last snapshot of its list.
        var imported: [String: (list: String, published: Day)] = [:]
        var retracted = Set<String>()
        try ledger.log.forEachEvent { stored in
            guard stored.type.hasPrefix("designation.") || stored.type.hasPrefix("event.") else { return }
            guard stored.stream.hasPrefix("designation/") else { return }
            let event = try stored.event()
            switch event.payload {
            case .designationAdded(let added):
                holdings.streams.insert(String(stored.stream.dropFirst("designation/".count)))
                if isWanted(added.list) {
                    listOfStream[stored.stream] = added.list
                    if event.source.sha256 != nil { evidenced.insert(stored.stream) }
                }
            case .eventRetracted(let retraction):
                retracted.insert(retraction.target.text)
                return
            default:
                break
            }
            guard event.source.sha256 != nil, let list = listOfStream[stored.stream],
                let published = event.source.publishedOn
            else { return }
            imported[stored.id] = (list, published)
        }
        for (id, event) in imported where !retracted.contains(id) {
            if holdings.lastSnapshot[event.list].map({ $0 < event.published }) ?? true {
                holdings.lastSnapshot[event.list] = event.published
            }
        }
        try ledger.entities(asOf: asOf, atSeq: nil).forEachEntityInAnyOrder(of: .designation) { snapshot in
            guard listOfStream[snapshot.stream] != nil, let view = DesignationView(snapshot) else { return }
            holdings.hold(
                Held(
                    slug: String(snapshot.stream.dropFirst("designation/".count)), list: view.added.list,
                    removedOn: view.removedOn, isEvidenced: evidenced.contains(snapshot.stream),
                    fingerprint: Fingerprint.of(
                        entity: view.entity, program: view.program, aliases: view.aliases,
                        weakAliases: view.weakAliases, originalScriptNames: view.originalScriptNames,
                        identifiers: view.identifiers)))
        }
        return holdings
    }

    /// Whether the designation stream `slug` exists: asked for a stream that no held
    /// designation of the list is, which an entry must then not be added to.
    func isTaken(_ slug: String) -> Bool {
        streams.contains(slug)
    }

    /// Keeps `held` as its base slug's designation unless an active one, or a later one, is kept.
    mutating func hold(_ held: Held) {
        let base = Self.baseSlug(of: held.slug)
        if let kept = bySlug[base] {
            if kept.isActive && !held.isActive { return }
            if kept.isActive == held.isActive && kept.slug > held.slug { return }
        }
        bySlug[base] = held
    }

    /// The designation an entry of slug `slug` is compared with.
    func held(_ slug: String) -> Held? { bySlug[slug] }

    /// The whole view of a held designation on the snapshot date.
    func view(of held: Held) throws -> DesignationView? { try view(held.slug) }

    /// Every kept designation of `list`, by slug.
    func designations(of list: String) -> [Held] {
        bySlug.values.filter { $0.list == list }.sorted { $0.slug < $1.slug }
    }

    /// `un-kpi.033` for `un-kpi.033-relisted-2024-03-01`.
    static func baseSlug(of slug: String) -> String {
        guard let range = slug.range(of: "-relisted-", options: .backwards) else { return slug }
        let date = slug[range.upperBound...]
        return Day(String(date)) != nil ? String(slug[..<range.lowerBound]) : slug
    }
}

/// A digest of what an import compares of a designation: its name, its program, and its
/// aliases and identifiers as sets (identifiers in their canonical form). Equal fingerprints
/// mean the snapshot changes nothing; unequal ones are judged on the whole view.
enum Fingerprint {
    static func of(
        entity: String, program: String?, aliases: [String], weakAliases: [String], originalScriptNames: [String],
        identifiers: [Identifier]
    ) -> SHA256Digest {
        var hasher = SHA256()
        func add(_ text: String) {
            hasher.update(data: Array(text.utf8))
            hasher.update(data: [0])
        }
        add(entity)
        add(program ?? "")
        for names in [aliases, weakAliases, originalScriptNames] {
            for name in names.sorted() { add(name) }
            hasher.update(data: [1])
        }
        for identifier in identifiers.map({ "\($0.kind.rawValue):\($0.canonicalValue)" }).sorted() { add(identifier) }
        return hasher.finalize()
    }
}
