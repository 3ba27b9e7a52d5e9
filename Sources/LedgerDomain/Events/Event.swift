/// One event as submitted for appending: the contract's input envelope, validated.
public struct Event: Sendable, Equatable {
    /// The idempotency key.
    public var id: EventID
    public var type: EventType
    /// The entity the event is about, `<kind>/<slug>`.
    public var stream: StreamName
    /// Valid time: the day it happened in the world.
    public var occurredOn: Day
    public var source: Source
    /// The event's `data`, typed: read once at the border, and the one thing the event holds
    /// of it. Its canonical bytes (`payload.writeCanonical`) are what is stored and hashed.
    public var payload: EventPayload
    /// Optimistic concurrency: how many events the stream must already hold.
    public var expectedVersion: Int?

    public init(
        id: EventID, type: EventType, stream: StreamName, occurredOn: Day, source: Source,
        payload: EventPayload, expectedVersion: Int? = nil
    ) {
        self.id = id
        self.type = type
        self.stream = stream
        self.occurredOn = occurredOn
        self.source = source
        self.payload = payload
        self.expectedVersion = expectedVersion
    }

    /// The day this event could first be known: `source.published_on`, else `occurred_on`.
    public var knownOn: Day { source.publishedOn ?? occurredOn }

    /// The kind of the event's stream.
    public var streamKind: StreamKind { stream.kind }
}

/// A stream's name, `<kind>/<slug>`: checked once where it enters (the decoder, the log),
/// and its kind known from then on.
public struct StreamName: Hashable, Sendable, CustomStringConvertible {
    /// The name as written.
    public let text: String
    /// The kind its prefix names.
    public let kind: StreamKind

    /// A well-formed stream name; nil for any other text.
    public init?(_ text: String) {
        guard Self.problem(with: text) == nil, let kind = Self.kind(of: text) else { return nil }
        self.text = text
        self.kind = kind
    }

    /// A name read back from the log, whose kind is known: validation admitted it once.
    public init?(stored text: String) {
        guard let kind = Self.kind(of: text) else { return nil }
        self.text = text
        self.kind = kind
    }

    public var description: String { text }

    public static func == (lhs: StreamName, rhs: StreamName) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
    /// The kind of a well-formed stream name, else nil.
    public static func kind(of stream: String) -> StreamKind? {
        // By bytes: a search by `Character` would run grapheme breaking over every name.
        guard let slash = stream.utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        return StreamKind(rawValue: String(stream[..<slash]))
    }

    /// Why `stream` is not a well-formed stream name, or nil when it is.
    public static func problem(with stream: String) -> String? {
        guard let slash = stream.utf8.firstIndex(of: UInt8(ascii: "/")) else {
            return "must be <kind>/<slug>, e.g. incident/coincheck-2018"
        }
        let kind = String(stream[..<slash])
        guard StreamKind(rawValue: kind) != nil else {
            let kinds = StreamKind.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown stream kind \"\(kind)\" (expected one of \(kinds))"
        }
        let slug = Array(stream[stream.index(after: slash)...].utf8)
        guard (1...128).contains(slug.count), isSlugStart(slug[0]), slug.allSatisfy(isSlugByte) else {
            return "slug must match [a-z0-9][a-z0-9._-]{0,127}"
        }
        return nil
    }

    /// Whether `text` matches `[a-z0-9][a-z0-9._-]{0,127}`.
    public static func isSlug(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...128).contains(bytes.count) && isSlugStart(bytes[0]) && bytes.allSatisfy(isSlugByte)
    }

    static func isSlugStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    static func isSlugByte(_ byte: UInt8) -> Bool {
        isSlugStart(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
