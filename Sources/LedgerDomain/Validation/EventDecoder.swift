/// Turns one NDJSON line into a validated `Event`: strict JSON, the envelope, and the
/// type's `data` (contract sections 1 and 2). Checks against the log come later, in `StreamRules`.
public struct EventDecoder {
    /// The longest NDJSON line an input event may be, in bytes (contract section 1).
    public static let maxLineBytes = 1 << 20

    private let reader: StrictJSONReader

    public init(limits: JSONLimits = .ledger) {
        reader = StrictJSONReader(limits: limits)
    }

    static let envelopeFields = ["id", "type", "stream", "occurred_on", "source", "data", "expected_version"]
    static let sourceFields = ["publisher", "title", "url", "published_on", "sha256"]

    /// Decodes one line (without its line end).
    public func decode(_ line: [UInt8]) throws(EventValidationError) -> Event {
        let value: JSONValue
        do {
            value = try reader.read(line)
        } catch {
            throw EventValidationError(
                field: error.path.isEmpty ? "(line)" : error.path,
                reason: "invalid JSON at byte \(error.offset + 1): \(error.reason)")
        }
        return try decode(value)
    }

    /// Decodes one already-parsed input event.
    public func decode(_ value: JSONValue) throws(EventValidationError) -> Event {
        guard case .object(let object) = value else {
            throw EventValidationError(field: "(line)", reason: "an event must be a JSON object, not \(value.typeName)")
        }
        let envelope = try FieldReader(object, path: "", allowed: Self.envelopeFields)
        let id = try envelope.eventID("id")
        let typeName = try envelope.string("type")
        guard let type = EventType(rawValue: typeName) else {
            throw EventValidationError(field: "type", reason: "unknown event type \"\(typeName)\"")
        }
        let streamText = try envelope.stream("stream")
        // `stream(_:)` has refused any name that is not well formed.
        guard let stream = StreamName(stored: streamText) else {
            throw EventValidationError(field: "stream", reason: "\"\(streamText)\" is not a stream name")
        }
        if let kind = type.streamKind, stream.kind != kind {
            throw EventValidationError(
                field: "stream",
                reason: "a \(type.rawValue) event belongs in a \(kind.rawValue)/… stream, not \"\(stream)\"")
        }
        let occurredOn = try envelope.day("occurred_on")
        let source = try Self.source(try envelope.require("source"))
        if let published = source.publishedOn, published < occurredOn {
            throw EventValidationError(
                field: "source.published_on",
                reason: "\(published) is before occurred_on \(occurredOn): a source cannot report what has not happened"
            )
        }
        let dataValue = try envelope.require("data")
        guard case .object(let data) = dataValue else {
            throw EventValidationError(field: "data", reason: "must be an object, not \(dataValue.typeName)")
        }
        let payload = try EventPayload(type: type, data: data)
        var expectedVersion: Int?
        if let version = object["expected_version"] {
            expectedVersion = Int(try FieldReader.integer(version, field: "expected_version", in: 0...Int64(Int32.max)))
        }
        return Event(
            id: id, type: type, stream: stream, occurredOn: occurredOn, source: source,
            payload: payload, expectedVersion: expectedVersion)
    }

    static func source(_ value: JSONValue) throws(EventValidationError) -> Source {
        let reader = try FieldReader(value, path: "source", allowed: sourceFields)
        let sha256 = try reader.optionalString("sha256")
        if let sha256, !Source.isSHA256(sha256) {
            throw EventValidationError(
                field: "source.sha256", reason: "must be 64 lowercase hexadecimal digits (a SHA-256 of the document)")
        }
        return Source(
            publisher: try reader.string("publisher"),
            title: try reader.optionalString("title"),
            url: try reader.optionalString("url"),
            publishedOn: try reader.optionalDay("published_on"),
            sha256: sha256)
    }
}
