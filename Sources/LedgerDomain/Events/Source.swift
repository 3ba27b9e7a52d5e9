/// Where a fact comes from: every event cites one.
public struct Source: Sendable, Equatable {
    /// Who published it (required).
    public var publisher: String
    public var title: String?
    public var url: String?
    /// The day it was published: the event's `known_on` when present.
    public var publishedOn: Day?

    public init(publisher: String, title: String? = nil, url: String? = nil, publishedOn: Day? = nil) {
        self.publisher = publisher
        self.title = title
        self.url = url
        self.publishedOn = publishedOn
    }

    /// The source as JSON, optional fields left out when absent.
    public var json: JSONValue {
        var object = JSONObject()
        object["publisher"] = .string(publisher)
        if let title { object["title"] = .string(title) }
        if let url { object["url"] = .string(url) }
        if let publishedOn { object["published_on"] = .string(publishedOn.description) }
        return .object(object)
    }
}
