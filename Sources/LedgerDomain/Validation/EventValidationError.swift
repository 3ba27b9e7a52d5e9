/// Why an event is refused: the field at fault (a path such as `data.obligations[0].deadline`)
/// and the reason, in words a user can act on.
public struct EventValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path of the field at fault; `(line)` when the fault is in the line as a whole.
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
