/// Why an event is refused: the field at fault (a path such as `data.obligations[0].deadline`)
/// and the reason, in words a user can act on.
public struct EventValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path of the field at fault; `(line)` when the fault is in the line as a whole.
    public var field: String
    public var reason: String

    /// The log already holds something else: an `expected_version` the stream has passed,
    /// or an id stored with other content (HTTP 409).
    public var isConflict = false

    public init(field: String, reason: String, isConflict: Bool = false) {
        self.field = field
        self.reason = reason
        self.isConflict = isConflict
    }

    public var description: String { "\(field): \(reason)" }
}
