/// `event.retracted`: an earlier event of the same stream is withdrawn from its own `known_on` on.
public struct EventRetracted: Sendable, Equatable {
    /// The id of the retracted event.
    public var target: EventID
    public var reason: String

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(data, path: path, allowed: ["target", "reason"])
        target = try reader.eventID("target")
        reason = try reader.string("reason")
    }
}

/// `event.corrected`: an earlier event's data mended by a JSON merge patch, from its own `known_on` on.
public struct EventCorrected: Sendable, Equatable {
    /// The id of the corrected event.
    public var target: EventID
    /// An RFC 7396 merge patch on the target's `data`.
    public var patch: JSONObject
    public var reason: String

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(data, path: path, allowed: ["target", "patch", "reason"])
        target = try reader.eventID("target")
        let patchValue = try reader.require("patch")
        guard case .object(let patch) = patchValue, !patch.isEmpty else {
            throw EventValidationError(
                field: reader.field("patch"), reason: "must be a non-empty object (a JSON merge patch)")
        }
        self.patch = patch
        reason = try reader.string("reason")
    }
}
