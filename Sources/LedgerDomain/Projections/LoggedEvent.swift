/// An event as the log holds it, for folds: the validated event and its global position.
public struct LoggedEvent: Sendable, Equatable {
    /// Global position in the log.
    public var seq: Int64
    public var event: Event

    public init(seq: Int64, event: Event) {
        self.seq = seq
        self.event = event
    }
}

/// One event that counts for its entity as of a date: known by then, not retracted by a
/// retraction known by then, and with the counted corrections applied to its data.
public struct CountedEvent: Sendable, Equatable {
    public var seq: Int64
    public var id: String
    public var type: EventType
    public var occurredOn: Day
    public var knownOn: Day
    /// The source's publisher.
    public var publisher: String
    /// The event's data, with counted corrections applied in `seq` order.
    public var data: JSONObject

    public init(
        seq: Int64, id: String, type: EventType, occurredOn: Day, knownOn: Day, publisher: String, data: JSONObject
    ) {
        self.seq = seq
        self.id = id
        self.type = type
        self.occurredOn = occurredOn
        self.knownOn = knownOn
        self.publisher = publisher
        self.data = data
    }

    /// The typed data; nil only if a correction left it unreadable, which appending refuses.
    public var payload: EventPayload? { try? EventPayload(type: type, data: data) }
}

/// One entity as it could be known on a day: its stream and the events that count for it.
public struct EntitySnapshot: Sendable, Equatable {
    public var stream: String
    public var kind: StreamKind
    /// The counted events in `seq` order; the first is the one that created the entity.
    /// Retractions are left out; counted corrections stay (their publishers are sources).
    public var events: [CountedEvent]

    public init(stream: String, kind: StreamKind, events: [CountedEvent]) {
        self.stream = stream
        self.kind = kind
        self.events = events
    }

    /// The creating event.
    public var creation: CountedEvent { events[0] }
}
