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
    public var id: EventID
    public var type: EventType
    public var occurredOn: Day
    public var knownOn: Day
    /// The source's publisher.
    public var publisher: String
    /// The event's data, with counted corrections applied in `seq` order: decoded once.
    public var content: EventContent

    public init(
        seq: Int64, id: EventID, type: EventType, occurredOn: Day, knownOn: Day, publisher: String,
        content: EventContent
    ) {
        self.seq = seq
        self.id = id
        self.type = type
        self.occurredOn = occurredOn
        self.knownOn = knownOn
        self.publisher = publisher
        self.content = content
    }

    /// The event as it arrived, before any correction.
    public init(_ logged: LoggedEvent) {
        let event = logged.event
        self.init(
            seq: logged.seq, id: event.id, type: event.type, occurredOn: event.occurredOn, knownOn: event.knownOn,
            publisher: event.source.publisher, content: .typed(event.payload))
    }

    /// The typed data; nil only where the corrections counted that day leave it unreadable.
    public var payload: EventPayload? { content.payload }

    /// Applies a counted correction's merge patch.
    public mutating func apply(_ patch: JSONObject) {
        content = content.patched(by: patch, type: type)
    }
}

/// An event's data as it counts on a day: its typed payload, decoded once.
///
/// Appending checks that each correction leaves its target readable as its type, with every
/// correction before it applied. As of an earlier day, fewer corrections may count, and the
/// merge of those alone (RFC 7396, by the contract) can leave data its type does not admit,
/// such as an amendment whose only list a counted correction removed while the correction
/// that added another does not count yet. That data is kept as JSON, as the patch left it.
public enum EventContent: Sendable, Equatable {
    case typed(EventPayload)
    case unreadable(JSONObject)

    /// Data read back as `type`'s: typed when it reads, else kept as JSON.
    public init(type: EventType, json: JSONObject) {
        if let payload = try? EventPayload(type: type, data: json) {
            self = .typed(payload)
        } else {
            self = .unreadable(json)
        }
    }

    /// Stored canonical data read back as `type`'s (see `CanonicalDataReader`); nil when
    /// the bytes are not a JSON object.
    public init?(type: EventType, canonical bytes: UnsafeBufferPointer<UInt8>) {
        if let payload = CanonicalDataReader.payload(type, from: bytes) {
            self = .typed(payload)
            return
        }
        let reader = StrictJSONReader(limits: JSONLimits(maxDepth: 64, maxStringBytes: .max))
        guard case .object(let json)? = try? reader.read(bytes) else { return nil }
        self.init(type: type, json: json)
    }

    /// The typed data, unless unreadable.
    public var payload: EventPayload? {
        if case .typed(let payload) = self { return payload }
        return nil
    }

    /// The data as a JSON object.
    public var json: JSONObject {
        switch self {
        case .typed(let payload): payload.json
        case .unreadable(let object): object
        }
    }

    /// Appends the data's canonical bytes.
    public func writeCanonical(to output: inout [UInt8]) {
        switch self {
        case .typed(let payload): payload.writeCanonical(to: &output)
        case .unreadable(let object): CanonicalJSON.write(.object(object), to: &output)
        }
    }

    /// The data's canonical JSON text.
    public var canonicalString: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        writeCanonical(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The data after a merge patch (RFC 7396), decoded once as `type`'s.
    public func patched(by patch: JSONObject, type: EventType) -> EventContent {
        guard case .object(let object) = MergePatch.apply(.object(patch), to: .object(json)) else {
            return self  // a patch that is an object leaves an object
        }
        return EventContent(type: type, json: object)
    }
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
