/// One stored version of an entity: its state for a range of valid time (`fromDate` up to,
/// not including, `toDate`) as the ledger held it for a range of transaction time
/// (`fromSeq` up to, not including, `toSeq`). A report as of day D at seq N reads, for each
/// entity, the one version with `fromDate <= D < toDate` and `fromSeq <= N < toSeq`.
public struct EntityVersion: Sendable, Equatable {
    public var stream: String
    public var kind: StreamKind
    public var fromDate: Day
    /// Nil while no later day is known to change the entity.
    public var toDate: Day?
    public var fromSeq: Int64
    /// Nil while no later event has changed this version.
    public var toSeq: Int64?
    /// Keys the reports order by (see `SortKeys`).
    public var sortKeys: SortKeys
    /// The canonical JSON of the snapshot's counted events.
    public var state: String
    /// For an incident: what the actors and totals reports need, derived from `state`.
    public var incident: IncidentSummary?

    public init(
        stream: String, kind: StreamKind, fromDate: Day, toDate: Day?, fromSeq: Int64, toSeq: Int64?,
        sortKeys: SortKeys, state: String, incident: IncidentSummary? = nil
    ) {
        self.stream = stream
        self.kind = kind
        self.fromDate = fromDate
        self.toDate = toDate
        self.fromSeq = fromSeq
        self.toSeq = toSeq
        self.sortKeys = sortKeys
        self.state = state
        self.incident = incident
    }

    /// The same valid-time range and state: the transaction-time bounds aside.
    func hasSameContent(as other: EntityVersion) -> Bool {
        fromDate == other.fromDate && toDate == other.toDate && state == other.state
    }
}

/// The two keys a report orders an entity kind by, before its stream name.
public struct SortKeys: Sendable, Equatable {
    public var first: String
    public var second: String

    public init(_ first: String, _ second: String = "") {
        self.first = first
        self.second = second
    }

    /// The keys of a snapshot: incidents by `occurred_on`, resolutions by `adopted_on`,
    /// statements by `issued_on`, designations by `list` then `entity`, figures by period.
    public static func of(_ snapshot: EntitySnapshot) -> SortKeys {
        let creation = snapshot.creation
        switch snapshot.kind {
        case .incident, .resolution, .statement:
            return SortKeys(creation.occurredOn.description)
        case .designation:
            if case .designationAdded(let added)? = creation.payload { return SortKeys(added.list, added.entity) }
            return SortKeys("")
        case .figure:
            if case .figureReported(let figure)? = creation.payload { return SortKeys(String(figure.period)) }
            return SortKeys("")
        case .actor:
            return SortKeys("")
        }
    }
}

/// Snapshots to and from the JSON stored in a version.
public enum SnapshotCoding {
    /// The canonical JSON of a snapshot's events.
    public static func encode(_ snapshot: EntitySnapshot) -> String {
        // Written member by member in JCS order (data, id, known_on, occurred_on, publisher,
        // seq, type): the same bytes as the general writer, without building objects to sort.
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(512)
        for (index, event) in snapshot.events.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"data":"#.utf8)
            CanonicalJSON.write(.object(event.data), to: &out)
            out.append(contentsOf: #","id":"#.utf8)
            CanonicalJSON.writeString(event.id, to: &out)
            out.append(contentsOf: #","known_on":""#.utf8)
            out.append(contentsOf: event.knownOn.description.utf8)
            out.append(contentsOf: #"","occurred_on":""#.utf8)
            out.append(contentsOf: event.occurredOn.description.utf8)
            out.append(contentsOf: #"","publisher":"#.utf8)
            CanonicalJSON.writeString(event.publisher, to: &out)
            out.append(contentsOf: #","seq":"#.utf8)
            out.append(contentsOf: String(event.seq).utf8)
            out.append(contentsOf: #","type":""#.utf8)
            out.append(contentsOf: event.type.rawValue.utf8)
            out.append(contentsOf: #""}"#.utf8)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a stored state back; nil if it is not what `encode` wrote.
    public static func decode(stream: String, state: String) -> EntitySnapshot? {
        guard let kind = StreamName.kind(of: stream),
            case .array(let elements)? = try? StrictJSONReader(limits: JSONLimits(maxDepth: 64, maxStringBytes: .max))
                .read(state)
        else { return nil }
        var events: [CountedEvent] = []
        events.reserveCapacity(elements.count)
        for element in elements {
            guard let object = element.objectValue,
                case .number(let seqText)? = object["seq"], let seq = Int64(seqText),
                case .string(let id)? = object["id"],
                case .string(let typeName)? = object["type"], let type = EventType(rawValue: typeName),
                case .string(let occurred)? = object["occurred_on"], let occurredOn = Day(occurred),
                case .string(let known)? = object["known_on"], let knownOn = Day(known),
                case .string(let publisher)? = object["publisher"],
                case .object(let data)? = object["data"]
            else { return nil }
            events.append(
                CountedEvent(
                    seq: seq, id: id, type: type, occurredOn: occurredOn, knownOn: knownOn, publisher: publisher,
                    data: data))
        }
        guard !events.isEmpty else { return nil }
        return EntitySnapshot(stream: stream, kind: kind, events: events)
    }
}
