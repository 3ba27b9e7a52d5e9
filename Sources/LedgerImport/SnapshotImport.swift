import LedgerDomain

/// The snapshot of one official list compared with what the ledger holds of that list, as
/// contract section 8 fixes it: each entry becomes a `designation.added`, a
/// `designation.amended` or nothing; what the ledger holds as active (from an earlier
/// import) and the snapshot lacks becomes a `designation.removed`. Entries come one at a
/// time, so a file of any size streams through.
public struct SnapshotDiff {
    /// What one list's snapshot changed.
    public struct Summary: Sendable, Equatable {
        public var list: String
        public var snapshotDate: Day
        public var added = 0
        public var amended = 0
        public var removed = 0
        public var unchanged = 0
        /// How many values were mended (each reported as a warning) or entries skipped.
        public var repaired = 0

        /// `imported LIST snapshot DATE: added A, amended M, removed R, unchanged U`, and
        /// `, repaired K` when something was.
        public var line: String {
            "imported \(list) snapshot \(snapshotDate): added \(added), amended \(amended), removed \(removed), unchanged \(unchanged)"
                + (repaired > 0 ? ", repaired \(repaired)" : "")
        }
    }

    /// Where the events of a snapshot come from.
    public struct Origin: Sendable {
        public var publisher: String
        /// A title naming the list.
        public var title: String
        public var url: String?
        /// The lowercase hex SHA-256 of the snapshot's main file.
        public var sha256: String
        /// The main file's name, for errors.
        public var file: String

        public init(publisher: String, title: String, url: String?, sha256: String, file: String) {
            self.publisher = publisher
            self.title = title
            self.url = url
            self.sha256 = sha256
            self.file = file
        }
    }

    public let list: String
    public let snapshotDate: Day
    private let origin: Origin
    private let holdings: ListHoldings
    private let allowsMassRemoval: Bool
    private var seen = Set<String>()
    public private(set) var summary: Summary
    private let decoder = EventDecoder()

    /// A diff of `list`'s snapshot of `snapshotDate` against `holdings`; refused when the
    /// ledger already holds a later snapshot of the list. Unless `allowsMassRemoval`, a
    /// snapshot that would remove more than half of the list's active imported designations
    /// is refused when its removals are made.
    public init(
        list: String, snapshotDate: Day, origin: Origin, holdings: ListHoldings, allowsMassRemoval: Bool = false
    ) throws(ImportError) {
        if let last = holdings.lastSnapshot[list], snapshotDate < last {
            throw .olderSnapshot(
                file: origin.file, list: list, snapshot: snapshotDate.description, last: last.description)
        }
        self.list = list
        self.snapshotDate = snapshotDate
        self.origin = origin
        self.holdings = holdings
        self.allowsMassRemoval = allowsMassRemoval
        summary = Summary(list: list, snapshotDate: snapshotDate)
    }

    /// The event `entry` calls for, if any, and the repairs to report as warnings: those
    /// made to the entry's values, or the entry skipped because a designation stream it
    /// needs was not made by an import of this list.
    public mutating func events(for entry: ListEntry) throws -> (events: [Event], repairs: [ListEntry.Repair]) {
        guard entry.isSkipped || seen.insert(entry.slug).inserted else {
            throw ImportError.invalid(
                file: origin.file, line: entry.line, field: "", reason: "the entry \(entry.slug) is listed twice")
        }
        var entry = entry
        let made = entry.isSkipped ? [] : try event(for: &entry)
        summary.repaired += entry.repairs.count
        return (made, entry.repairs)
    }

    private mutating func event(for entry: inout ListEntry) throws -> [Event] {
        func skipped(_ stream: String) -> [Event] {
            entry.repair(
                "stream",
                "designation/\(stream) exists and was not made by an import of \(list): entry skipped (rename or retract that designation to import it)"
            )
            return []
        }
        guard let held = holdings.held(entry.slug) else {
            if holdings.isTaken(entry.slug) { return skipped(entry.slug) }
            summary.added += 1
            return [try added(&entry, slug: entry.slug, occurredOn: entry.listedOn)]
        }
        guard held.isActive else {
            // Back on the list after its removal: a new stream.
            let relisted = "\(entry.slug)-relisted-\(snapshotDate)"
            if holdings.isTaken(relisted) { return skipped(relisted) }
            summary.added += 1
            let listedOn = entry.listedOn.flatMap { day in held.removedOn.map { day > $0 } ?? true ? day : nil }
            return [try added(&entry, slug: relisted, occurredOn: listedOn)]
        }
        let fingerprint = Fingerprint.of(
            entity: entry.entity, program: entry.program, aliases: entry.aliases, weakAliases: entry.weakAliases,
            originalScriptNames: entry.originalScriptNames, identifiers: entry.identifiers)
        guard fingerprint != held.fingerprint, let view = try holdings.view(of: held),
            let amendment = Self.amendment(from: view, to: entry)
        else {
            summary.unchanged += 1
            return []
        }
        summary.amended += 1
        return [
            try event(
                id: "\(held.slug)-amended-\(snapshotDate)", type: .designationAmended, slug: held.slug,
                occurredOn: snapshotDate, data: amendment, line: entry.line)
        ]
    }

    /// The removals of the designations the ledger holds as active, from an import, that
    /// this snapshot lacks; called once every entry has been seen. More than half of the
    /// list's active imported designations gone is refused unless mass removal is allowed: an
    /// interrupted download must never clear a sanctions list.
    public mutating func removals() throws(ImportError) -> [Event] {
        let active = holdings.designations(of: list).filter { $0.isActive && $0.isEvidenced }
        let gone = active.filter { !seen.contains(ListHoldings.baseSlug(of: $0.slug)) }
        if gone.count * 2 > active.count && !allowsMassRemoval {
            throw .invalid(
                file: origin.file, line: 0, field: "",
                reason:
                    "this snapshot would remove \(gone.count) of the \(active.count) active designations of \(list) that imports made (more than half): a cut or wrong file? nothing appended; if the list really shrank so, import it with --allow-mass-removal"
            )
        }
        var events: [Event] = []
        for held in gone {
            summary.removed += 1
            events.append(
                try event(
                    id: "\(held.slug)-removed-\(snapshotDate)", type: .designationRemoved, slug: held.slug,
                    occurredOn: snapshotDate,
                    data: JSONObject(["reason": .string("not on the list published \(snapshotDate)")]), line: 0))
        }
        return events
    }

    /// What changed between the designation as held and the entry, as a `designation.amended`'s
    /// data; nil when nothing did.
    static func amendment(from held: DesignationView, to entry: ListEntry) -> JSONObject? {
        var data = JSONObject()
        func names(_ key: String, held: [String], listed: [String]) {
            let added = listed.filter { !held.contains($0) }
            let removed = held.filter { !listed.contains($0) }
            if !added.isEmpty { data["add_" + key] = .array(added.map(JSONValue.string)) }
            if !removed.isEmpty { data["remove_" + key] = .array(removed.map(JSONValue.string)) }
        }
        names("aliases", held: held.aliases, listed: entry.aliases)
        names("weak_aliases", held: held.weakAliases, listed: entry.weakAliases)
        names("original_script_names", held: held.originalScriptNames, listed: entry.originalScriptNames)
        let addIdentifiers = entry.identifiers.filter { new in !held.identifiers.contains { $0.isSame(as: new) } }
        let removeIdentifiers = held.identifiers.filter { old in !entry.identifiers.contains { $0.isSame(as: old) } }
        if !addIdentifiers.isEmpty { data["add_identifiers"] = .array(addIdentifiers.map(json)) }
        if entry.entity != held.entity { data["entity"] = .string(entry.entity) }
        if let program = entry.program, program != held.program { data["program"] = .string(program) }
        if !removeIdentifiers.isEmpty { data["remove_identifiers"] = .array(removeIdentifiers.map(json)) }
        return data.isEmpty ? nil : data
    }

    private func added(_ entry: inout ListEntry, slug: String, occurredOn: Day?) throws(ImportError) -> Event {
        let day = occurredOn.map { $0 <= snapshotDate ? $0 : snapshotDate } ?? snapshotDate
        while true {
            var data = JSONObject()
            data["list"] = .string(list)
            data["entity"] = .string(entry.entity)
            data["entity_type"] = .string(entry.entityType.rawValue)
            data["aliases"] = .array(entry.aliases.map(JSONValue.string))
            data["identifiers"] = .array(entry.identifiers.map(Self.json))
            if let program = entry.program { data["program"] = .string(program) }
            if !entry.weakAliases.isEmpty { data["weak_aliases"] = .array(entry.weakAliases.map(JSONValue.string)) }
            if !entry.originalScriptNames.isEmpty {
                data["original_script_names"] = .array(entry.originalScriptNames.map(JSONValue.string))
            }
            let made = try event(
                id: "\(slug)-added", type: .designationAdded, slug: slug, occurredOn: day, data: data, line: entry.line)
            // The event must fit on one input line, as --dry-run prints it for append: past
            // that, the last aliases (then identifiers) are left out.
            guard made.ndjson.count + 1 > EventDecoder.maxLineBytes else { return made }
            if let alias = entry.weakAliases.popLast() ?? entry.originalScriptNames.popLast() ?? entry.aliases.popLast()
            {
                entry.repair(
                    "aliases", "the alias \"\(alias.prefix(40))…\" left out: the event would pass the line limit")
            } else if let identifier = entry.identifiers.popLast() {
                entry.repair(
                    "identifiers",
                    "the identifier \(identifier.label.prefix(40)) left out: the event would pass the line limit")
            } else {
                return made
            }
        }
    }

    /// The event, made as its NDJSON and read by the one decoder `append` uses: an import
    /// appends exactly what `--dry-run` prints, checked by the same rules.
    private func event(
        id: String, type: EventType, slug: String, occurredOn: Day, data: JSONObject, line: Int
    ) throws(ImportError) -> Event {
        var source = JSONObject()
        source["publisher"] = .string(origin.publisher)
        source["title"] = .string(origin.title)
        if let url = origin.url { source["url"] = .string(url) }
        source["published_on"] = .string(snapshotDate.description)
        source["sha256"] = .string(origin.sha256)
        var envelope = JSONObject()
        envelope["id"] = .string(id)
        envelope["type"] = .string(type.rawValue)
        envelope["stream"] = .string("designation/\(slug)")
        envelope["occurred_on"] = .string(occurredOn.description)
        envelope["source"] = .object(source)
        envelope["data"] = .object(data)
        do {
            return try decoder.decode(.object(envelope))
        } catch {
            throw .invalid(file: origin.file, line: line, field: error.field, reason: error.reason)
        }
    }

    static func json(_ identifier: Identifier) -> JSONValue {
        .object(JSONObject(["kind": .string(identifier.kind.rawValue), "value": .string(identifier.value)]))
    }
}

extension Event {
    /// The event as one NDJSON line, in canonical JSON: what `--dry-run` prints and
    /// `ledger append` takes.
    public var ndjson: [UInt8] {
        var envelope = JSONObject()
        envelope["id"] = .string(id.text)
        envelope["type"] = .string(type.rawValue)
        envelope["stream"] = .string(stream.text)
        envelope["occurred_on"] = .string(occurredOn.description)
        envelope["source"] = source.json
        envelope["data"] = .object(payload.json)
        return CanonicalJSON.bytes(of: .object(envelope))
    }
}
