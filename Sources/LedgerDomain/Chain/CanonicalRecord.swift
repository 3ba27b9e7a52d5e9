/// The hashed record of an event being appended, written once into a buffer reused from
/// event to event: the RFC 8785 canonical JSON of the stored event without its `hash`, the
/// bytes `StoredEvent.canonicalBytes(includingHash: false)` gives for it. The canonical
/// `data` and `source` are written in place inside it, and the log's columns are bound from
/// those ranges: no other copy of them is made.
public struct CanonicalRecord {
    /// The record's bytes, valid until the next `write`.
    public private(set) var bytes: [UInt8] = []
    /// Where the canonical `data` lies in `bytes`.
    public private(set) var data: Range<Int> = 0..<0
    /// Where the canonical `source` lies in `bytes`.
    public private(set) var source: Range<Int> = 0..<0

    public init() {
        bytes.reserveCapacity(4_096)
    }

    /// Writes the record of `event` at `seq` (members in JCS order: all keys are ASCII).
    public mutating func write(
        _ event: Event, seq: Int64, streamVersion: Int64, recordedAt: String, recordedBy: String, prevHash: String
    ) {
        bytes.removeAll(keepingCapacity: true)
        key("data", first: true)
        let dataStart = bytes.count
        event.payload.writeCanonical(to: &bytes)
        data = dataStart..<bytes.count
        key("id")
        CanonicalJSON.writeString(event.id.text, to: &bytes)
        key("occurred_on")
        CanonicalJSON.writeString(event.occurredOn.description, to: &bytes)
        key("prev_hash")
        CanonicalJSON.writeString(prevHash, to: &bytes)
        key("recorded_at")
        CanonicalJSON.writeString(recordedAt, to: &bytes)
        key("recorded_by")
        CanonicalJSON.writeString(recordedBy, to: &bytes)
        key("seq")
        bytes.append(contentsOf: String(seq).utf8)
        key("source")
        let sourceStart = bytes.count
        Self.write(event.source, to: &bytes)
        source = sourceStart..<bytes.count
        key("stream")
        CanonicalJSON.writeString(event.stream.text, to: &bytes)
        key("stream_version")
        bytes.append(contentsOf: String(streamVersion).utf8)
        key("type")
        CanonicalJSON.writeString(event.type.rawValue, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// The canonical JSON of a source: its members in JCS order (`published_on`, `publisher`,
    /// `sha256`, `title`, `url`), absent ones left out — what `CanonicalJSON` makes of `source.json`.
    public static func write(_ source: Source, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        if let publishedOn = source.publishedOn {
            bytes.append(contentsOf: #""published_on":"#.utf8)
            CanonicalJSON.writeString(publishedOn.description, to: &bytes)
            bytes.append(UInt8(ascii: ","))
        }
        bytes.append(contentsOf: #""publisher":"#.utf8)
        CanonicalJSON.writeString(source.publisher, to: &bytes)
        if let sha256 = source.sha256 {
            bytes.append(contentsOf: #","sha256":"#.utf8)
            CanonicalJSON.writeString(sha256, to: &bytes)
        }
        if let title = source.title {
            bytes.append(contentsOf: #","title":"#.utf8)
            CanonicalJSON.writeString(title, to: &bytes)
        }
        if let url = source.url {
            bytes.append(contentsOf: #","url":"#.utf8)
            CanonicalJSON.writeString(url, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func key(_ name: StaticString, first: Bool = false) {
        bytes.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Writes the record of a stored event from its columns' bytes, as the chain check reads
    /// them: no `String` is made of any column.
    public mutating func write(_ stored: StoredColumns) {
        bytes.removeAll(keepingCapacity: true)
        key("data", first: true)
        let dataStart = bytes.count
        bytes.append(contentsOf: stored.data)
        data = dataStart..<bytes.count
        key("id")
        CanonicalJSON.writeString(utf8: stored.id, to: &bytes)
        key("occurred_on")
        CanonicalJSON.writeString(utf8: stored.occurredOn, to: &bytes)
        key("prev_hash")
        CanonicalJSON.writeString(utf8: stored.prevHash, to: &bytes)
        key("recorded_at")
        CanonicalJSON.writeString(utf8: stored.recordedAt, to: &bytes)
        key("recorded_by")
        CanonicalJSON.writeString(utf8: stored.recordedBy, to: &bytes)
        key("seq")
        bytes.append(contentsOf: String(stored.seq).utf8)
        key("source")
        let sourceStart = bytes.count
        bytes.append(contentsOf: stored.source)
        source = sourceStart..<bytes.count
        key("stream")
        CanonicalJSON.writeString(utf8: stored.stream, to: &bytes)
        key("stream_version")
        bytes.append(contentsOf: String(stored.streamVersion).utf8)
        key("type")
        CanonicalJSON.writeString(utf8: stored.type, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// The hex SHA-256 of the record: the event's `hash`.
    public func hash() -> String {
        HashChain.sha256Hex(bytes)
    }

    /// The same as lowercase hex bytes.
    public func hashHex() -> [UInt8] {
        HashChain.sha256HexBytes(bytes)
    }

    /// The SHA-256 of the record as its 32 bytes (how the log stores the `hash`).
    public func digest() -> [UInt8] {
        HashChain.sha256(bytes)
    }
}

/// The columns of one row of `events`, as bytes SQLite holds: valid until the row changes.
public struct StoredColumns {
    public var seq: Int64
    public var id: UnsafeBufferPointer<UInt8>
    public var type: UnsafeBufferPointer<UInt8>
    public var stream: UnsafeBufferPointer<UInt8>
    public var streamVersion: Int64
    public var occurredOn: UnsafeBufferPointer<UInt8>
    public var source: UnsafeBufferPointer<UInt8>
    public var data: UnsafeBufferPointer<UInt8>
    public var recordedAt: UnsafeBufferPointer<UInt8>
    public var recordedBy: UnsafeBufferPointer<UInt8>
    public var prevHash: UnsafeBufferPointer<UInt8>

    public init(
        seq: Int64, id: UnsafeBufferPointer<UInt8>, type: UnsafeBufferPointer<UInt8>,
        stream: UnsafeBufferPointer<UInt8>, streamVersion: Int64, occurredOn: UnsafeBufferPointer<UInt8>,
        source: UnsafeBufferPointer<UInt8>, data: UnsafeBufferPointer<UInt8>, recordedAt: UnsafeBufferPointer<UInt8>,
        recordedBy: UnsafeBufferPointer<UInt8>, prevHash: UnsafeBufferPointer<UInt8>
    ) {
        self.seq = seq
        self.id = id
        self.type = type
        self.stream = stream
        self.streamVersion = streamVersion
        self.occurredOn = occurredOn
        self.source = source
        self.data = data
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.prevHash = prevHash
    }
}

extension Source {
    /// The `published_on` of a source stored in canonical JSON, read without parsing:
    /// `.some(nil)` when it has none, nil when the bytes are not plainly laid out so (an
    /// escape anywhere, `published_on` twice or not first) and the caller must read the whole
    /// object. Exact for any bytes: a key can only be written another way with an escape.
    public static func publishedOn(inCanonical bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>?? {
        let key = Array(#""published_on""#.utf8)
        var occurrences: [Int] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") { return nil }
            if byte == UInt8(ascii: "\""), bytes.count - index >= key.count,
                bytes[index..<(index + key.count)].elementsEqual(key)
            {
                occurrences.append(index)
            }
            index += 1
        }
        let dayStart = key.count + 3  // `{`, the key, `:` and `"`
        if occurrences.isEmpty {
            return bytes.starts(with: Array(#"{"publisher":"#.utf8)) ? .some(nil) : nil
        }
        guard occurrences == [1], bytes.count > dayStart + 10, bytes[key.count + 1] == UInt8(ascii: ":"),
            bytes[key.count + 2] == UInt8(ascii: "\""), bytes[dayStart + 10] == UInt8(ascii: "\"")
        else { return nil }
        return .some(UnsafeBufferPointer(rebasing: bytes[dayStart..<(dayStart + 10)]))
    }
}
