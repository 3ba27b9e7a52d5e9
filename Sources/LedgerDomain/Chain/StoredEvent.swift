/// An event as the log holds it: the input event plus its place in the log and in the hash chain.
public struct StoredEvent: Sendable, Equatable {
    /// Global position: 1, 2, 3, … with no gaps.
    public var seq: Int64
    public var id: String
    public var type: String
    public var stream: String
    /// Position within its stream: 1, 2, 3, …
    public var streamVersion: Int64
    public var occurredOn: String
    /// The canonical JSON of `source`.
    public var sourceJSON: String
    /// The canonical JSON of `data`.
    public var dataJSON: String
    /// Transaction time, RFC 3339 UTC with milliseconds.
    public var recordedAt: String
    public var recordedBy: String
    public var prevHash: String
    public var hash: String

    public init(
        seq: Int64, id: String, type: String, stream: String, streamVersion: Int64, occurredOn: String,
        sourceJSON: String, dataJSON: String, recordedAt: String, recordedBy: String, prevHash: String,
        hash: String
    ) {
        self.seq = seq
        self.id = id
        self.type = type
        self.stream = stream
        self.streamVersion = streamVersion
        self.occurredOn = occurredOn
        self.sourceJSON = sourceJSON
        self.dataJSON = dataJSON
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The RFC 8785 canonical JSON of the stored event; without `hash`, these are the bytes hashed.
    ///
    /// Members are written in JCS order directly (all keys are ASCII), with `data` and
    /// `source` already canonical, so no re-sorting happens on the hot path.
    public func canonicalBytes(includingHash: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(dataJSON.utf8.count + sourceJSON.utf8.count + 400)
        func key(_ name: StaticString, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        out.append(UInt8(ascii: "{"))
        key("data", first: true)
        out.append(contentsOf: dataJSON.utf8)
        if includingHash {
            key("hash")
            CanonicalJSON.writeString(hash, to: &out)
        }
        key("id")
        CanonicalJSON.writeString(id, to: &out)
        key("occurred_on")
        CanonicalJSON.writeString(occurredOn, to: &out)
        key("prev_hash")
        CanonicalJSON.writeString(prevHash, to: &out)
        key("recorded_at")
        CanonicalJSON.writeString(recordedAt, to: &out)
        key("recorded_by")
        CanonicalJSON.writeString(recordedBy, to: &out)
        key("seq")
        out.append(contentsOf: String(seq).utf8)
        key("source")
        out.append(contentsOf: sourceJSON.utf8)
        key("stream")
        CanonicalJSON.writeString(stream, to: &out)
        key("stream_version")
        out.append(contentsOf: String(streamVersion).utf8)
        key("type")
        CanonicalJSON.writeString(type, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The hash this event should carry, computed from its other fields.
    public func computedHash() -> String {
        HashChain.sha256Hex(canonicalBytes(includingHash: false))
    }

    /// Reads the stored event back into a typed `Event` (for folds and checks).
    public func event() throws(EventValidationError) -> Event {
        let reader = StrictJSONReader(limits: JSONLimits(maxDepth: 64, maxStringBytes: Int.max))
        guard let eventType = EventType(rawValue: type) else {
            throw EventValidationError(field: "type", reason: "stored event \(seq) has unknown type \"\(type)\"")
        }
        guard let occurred = Day(occurredOn) else {
            throw EventValidationError(field: "occurred_on", reason: "stored event \(seq) has a bad date")
        }
        guard let streamName = StreamName(stored: stream) else {
            throw EventValidationError(field: "stream", reason: "stored event \(seq) has a bad stream name")
        }
        // The canonical bytes the ledger wrote read straight into their types; anything
        // else (an escape, tampered bytes) the strict way, which names what is wrong.
        var sourceBytes = sourceJSON
        var dataBytes = dataJSON
        let source = sourceBytes.withUTF8 { CanonicalDataReader.source(from: $0) }
        let payload = dataBytes.withUTF8 { CanonicalDataReader.payload(eventType, from: $0) }
        if let source, let payload {
            return Event(
                id: EventID(id), type: eventType, stream: streamName, occurredOn: occurred, source: source,
                payload: payload)
        }
        let sourceValue: JSONValue
        let dataValue: JSONValue
        do {
            sourceValue = try reader.read(Array(sourceJSON.utf8))
            dataValue = try reader.read(Array(dataJSON.utf8))
        } catch {
            throw EventValidationError(field: error.path, reason: "stored event \(seq): \(error.reason)")
        }
        guard case .object(let data) = dataValue else {
            throw EventValidationError(field: "data", reason: "stored event \(seq): data is not an object")
        }
        return Event(
            id: EventID(id), type: eventType, stream: streamName, occurredOn: occurred,
            source: try EventDecoder.source(sourceValue), payload: try EventPayload(type: eventType, data: data))
    }
}
