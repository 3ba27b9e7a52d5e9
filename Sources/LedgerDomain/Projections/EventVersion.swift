/// One stored version of one event's part in its entity: the event as it counts (data
/// corrected) for a range of valid time (`fromDate` up to, not including, `toDate`), as the
/// ledger held it for a range of transaction time (`fromSeq` up to, not including, `toSeq`).
///
/// An entity as of day D at seq N is the stream's rows with `fromDate <= D < toDate` and
/// `fromSeq <= N < toSeq`, in `seq` order: exactly `EntityFold.countedEvents` of its events.
/// Appending an event touches only its own rows and those of the event it retracts or
/// corrects, so long streams (a resolution with thousands of compliance reports) stay cheap.
public struct EventVersion: Sendable, Equatable {
    public var stream: String
    public var kind: StreamKind
    /// The event as it counts in this range.
    public var event: CountedEvent
    /// The canonical JSON of the event's data as it counts in this range.
    public var dataJSON: String
    public var fromDate: Day
    /// Nil while no later day is known to change it.
    public var toDate: Day?
    public var fromSeq: Int64
    /// Nil while no later event has changed it.
    public var toSeq: Int64?

    public init(
        stream: String, kind: StreamKind, event: CountedEvent, dataJSON: String, fromDate: Day, toDate: Day?,
        fromSeq: Int64, toSeq: Int64?
    ) {
        self.stream = stream
        self.kind = kind
        self.event = event
        self.dataJSON = dataJSON
        self.fromDate = fromDate
        self.toDate = toDate
        self.fromSeq = fromSeq
        self.toSeq = toSeq
    }

    /// For a `theft.reported`: its amount as counted; the totals and actors reports read it.
    public var amount: Int64? { Self.amount(of: event.type, content: event.content) }

    /// For an `attribution.made`: the actor stream it names.
    public var actor: String? { Self.actor(of: event.type, content: event.content) }

    /// The member of a theft's data that holds its amount in USD.
    public static let amountField = "amount_usd"
    /// The member of an attribution's data that names its actor stream.
    public static let actorField = "actor"

    /// A theft's amount in USD: the one rule behind the stored `amount`.
    public static func amount(of type: EventType, content: EventContent) -> Int64? {
        switch content {
        case .typed(.theftReported(let theft)): theft.amountUSD
        case .typed: nil
        case .unreadable(let data):
            if type == .theftReported, case .number(let text)? = data[amountField] { Int64(text) } else { nil }
        }
    }

    /// The actor stream an attribution names: the one rule behind the stored actor.
    public static func actor(of type: EventType, content: EventContent) -> String? {
        switch content {
        case .typed(.attributionMade(let attribution)): attribution.actor
        case .typed: nil
        case .unreadable(let data):
            if type == .attributionMade, case .string(let actor)? = data[actorField] { actor } else { nil }
        }
    }
}

/// The keys a report orders an entity kind by, before its stream name.
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

    /// Whether the stored order (creation `occurred_on`, then stream) is already the report
    /// order of `kind`; for the other kinds the reader sorts.
    public static func isStoredOrder(_ kind: StreamKind) -> Bool {
        kind == .incident || kind == .resolution || kind == .statement
    }

    /// Sorts snapshots into report order: keys, then stream, by bytes.
    public static func sorted(_ snapshots: [EntitySnapshot]) -> [EntitySnapshot] {
        snapshots.map { (SortKeys.of($0), $0) }.sorted { lhs, rhs in
            if lhs.0.first != rhs.0.first { return byteOrder(lhs.0.first, rhs.0.first) }
            if lhs.0.second != rhs.0.second { return byteOrder(lhs.0.second, rhs.0.second) }
            return byteOrder(lhs.1.stream, rhs.1.stream)
        }.map(\.1)
    }
}
