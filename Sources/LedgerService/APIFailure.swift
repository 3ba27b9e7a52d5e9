import HTTPTypes
import LedgerAnswers
import LedgerDomain

/// A request the service refuses or could not answer, as the contract's error object
/// (section 12): `{"error": {"status", "code", "message"[, "line", "field"]}}`.
public struct APIFailure: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var line: Int?
    public var field: String?
    /// `Retry-After` seconds, for `busy`.
    public var retryAfter: Int?
    /// The methods a path takes, for `method_not_allowed` (the `Allow` header).
    public var allow: String?

    public init(
        _ status: HTTPResponse.Status, _ code: String, _ message: String, line: Int? = nil, field: String? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.line = line
        self.field = field
    }

    public static func badRequest(_ message: String) -> APIFailure { APIFailure(.badRequest, "bad_request", message) }

    /// A field of the request that is not what it must be: 400 `invalid_input`, naming it.
    public static func invalid(line: Int = 1, field: String, _ reason: String) -> APIFailure {
        APIFailure(.badRequest, "invalid_input", "body:\(line): \(field): \(reason)", line: line, field: field)
    }

    public static func notFound(_ message: String) -> APIFailure { APIFailure(.notFound, "not_found", message) }

    /// The one place where a failure becomes an HTTP status and code: the CLI's exit code
    /// (`Exit.describe`, the one place for those) read as the contract's table reads it.
    public static func from(_ error: any Error) -> APIFailure {
        if let failure = error as? APIFailure { return failure }
        let (exitCode, message) = Exit.describe(error)
        let input = error as? InputError
        switch exitCode {
        case Exit.usage:
            return .badRequest(message)
        case Exit.invalidData:
            if let input, input.isConflict { return APIFailure(.conflict, "conflict", message) }
            return APIFailure(.badRequest, "invalid_input", message, line: input?.line, field: input?.field)
        case Exit.noInput:
            return .notFound(message)
        case Exit.busy:
            var busy = APIFailure(.serviceUnavailable, "busy", message)
            busy.retryAfter = 1
            return busy
        default:
            return APIFailure(.internalServerError, "internal", message)
        }
    }

    /// The error object's bytes.
    public var json: [UInt8] {
        var members: [(String, JSONValue)] = [
            ("status", .number(String(status.code))), ("code", .string(code)),
            ("message", .string(message.redactingSignerKeys())),
        ]
        if let line { members.append(("line", .number(String(line)))) }
        if let field { members.append(("field", .string(field))) }
        let inner = JSONValue.object(JSONObject(members.map { JSONObject.Member(key: $0.0, value: $0.1) }))
        let object = JSONValue.object(JSONObject([JSONObject.Member(key: "error", value: inner)]))
        return Array((CanonicalJSON.string(of: object) + "\n").utf8)
    }
}
