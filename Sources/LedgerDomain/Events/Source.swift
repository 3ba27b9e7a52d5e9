/// Where a fact comes from: every event cites one.
public struct Source: Sendable, Equatable {
    /// Who published it (required).
    public var publisher: String
    public var title: String?
    public var url: String?
    /// The day it was published: the event's `known_on` when present.
    public var publishedOn: Day?
    /// The lowercase hex SHA-256 of the source document's bytes: the evidence the event was
    /// drawn from (an import fills it with the snapshot file's hash).
    public var sha256: String?

    public init(
        publisher: String, title: String? = nil, url: String? = nil, publishedOn: Day? = nil, sha256: String? = nil
    ) {
        self.publisher = publisher
        self.title = title
        self.url = url
        self.publishedOn = publishedOn
        self.sha256 = sha256
    }

    /// Whether `text` is a SHA-256 as a source gives it: 64 lowercase hexadecimal digits.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy {
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            }
    }

    /// The source as JSON, optional fields left out when absent.
    public var json: JSONValue {
        var object = JSONObject()
        object["publisher"] = .string(publisher)
        if let title { object["title"] = .string(title) }
        if let url { object["url"] = .string(url) }
        if let publishedOn { object["published_on"] = .string(publishedOn.description) }
        if let sha256 { object["sha256"] = .string(sha256) }
        return .object(object)
    }

    private static let publisherKey = Array(#"{"publisher":""#.utf8)
    private static let publishedKey = Array(#"{"published_on":"YYYY-MM-DD","publisher":""#.utf8)

    /// The publisher of a source stored in canonical JSON, read without parsing the rest:
    /// canonical members come in key order, so the publisher is the first member, or the
    /// second after a `published_on` date. Nil when the bytes are not laid out so, or the
    /// name holds an escape: the caller reads the whole object then.
    public static func publisher(inCanonical bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let publisherKey = Self.publisherKey
        let publishedKey = Self.publishedKey
        var start: Int
        if bytes.starts(with: publisherKey) {
            start = publisherKey.count
        } else if bytes.count > publishedKey.count, bytes.starts(with: publishedKey.prefix(17)),
            bytes[27...].starts(with: publishedKey[27...])
        {
            start = publishedKey.count
        } else {
            return nil
        }
        var end = start
        while end < bytes.count {
            switch bytes[end] {
            case UInt8(ascii: "\""):
                guard end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: ",") || bytes[end + 1] == UInt8(ascii: "}")
                else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            case UInt8(ascii: "\\"), 0..<0x20:
                return nil
            default:
                end += 1
            }
        }
        return nil
    }
}
