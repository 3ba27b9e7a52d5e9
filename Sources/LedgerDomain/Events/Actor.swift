/// `actor.identified`: a threat actor, such as the Lazarus Group, and the state behind it.
public struct ActorIdentified: Sendable, Equatable {
    public var name: String
    public var aliases: [String]
    public var sponsorState: String?

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(data, path: path, allowed: ["name", "aliases", "sponsor_state"])
        name = try reader.string("name")
        aliases = try reader.stringList("aliases")
        sponsorState = try reader.optionalCountryCode("sponsor_state")
    }
}
