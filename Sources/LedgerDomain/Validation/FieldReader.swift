/// Reads the members of one JSON object by the contract's rules, naming the full field
/// path in every refusal. Unknown members are refused up front.
struct FieldReader {
    let object: JSONObject
    let location: FieldPath

    /// The object's own path, such as `data.identifiers[2]`.
    var path: String { location.description }

    /// Refuses any member not in `allowed`.
    init(_ object: JSONObject, path: String, allowed: [String]) throws(EventValidationError) {
        try self.init(object, at: FieldPath(path), allowed: allowed)
    }

    init(_ object: JSONObject, at location: FieldPath, allowed: [String]) throws(EventValidationError) {
        self.object = object
        self.location = location
        for key in object.keys where !allowed.contains(key) {
            throw EventValidationError(field: field(key), reason: "unknown field")
        }
    }

    /// Reads `value` as an object at `path`, refusing other JSON types.
    init(_ value: JSONValue, path: String, allowed: [String]) throws(EventValidationError) {
        try self.init(value, at: FieldPath(path), allowed: allowed)
    }

    /// Reads `value` as an object at `location`, refusing other JSON types.
    init(_ value: JSONValue, at location: FieldPath, allowed: [String]) throws(EventValidationError) {
        guard case .object(let object) = value else {
            throw EventValidationError(field: location.description, reason: "must be an object, not \(value.typeName)")
        }
        try self.init(object, at: location, allowed: allowed)
    }

    /// The path of element `index` of the list `key`, written out only when an error names it.
    func element(_ key: String, _ index: Int) -> FieldPath {
        FieldPath(field(key), index: index)
    }

    func field(_ key: String) -> String {
        let path = self.path
        return path.isEmpty ? key : "\(path).\(key)"
    }

    func require(_ key: String) throws(EventValidationError) -> JSONValue {
        guard let value = object[key] else {
            throw EventValidationError(field: field(key), reason: "required field is missing")
        }
        return value
    }

    func string(_ key: String) throws(EventValidationError) -> String {
        try Self.string(try require(key), field: field(key))
    }

    func optionalString(_ key: String) throws(EventValidationError) -> String? {
        guard let value = object[key] else { return nil }
        return try Self.string(value, field: field(key))
    }

    static func string(_ value: JSONValue, field: @autoclosure () -> String) throws(EventValidationError) -> String {
        guard case .string(let text) = value else {
            throw EventValidationError(field: field(), reason: "must be a string, not \(value.typeName)")
        }
        guard isNotBlank(text) else {
            throw EventValidationError(field: field(), reason: "must not be empty")
        }
        return text
    }

    func stringList(_ key: String, nonEmpty: Bool = false) throws(EventValidationError) -> [String] {
        let elements = try list(key, nonEmpty: nonEmpty)
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            strings.append(try Self.string(element, field: "\(field(key))[\(index)]"))
        }
        return strings
    }

    func optionalStringList(_ key: String) throws(EventValidationError) -> [String]? {
        object.contains(key) ? try stringList(key) : nil
    }

    func list(_ key: String, nonEmpty: Bool = false) throws(EventValidationError) -> [JSONValue] {
        let value = try require(key)
        guard case .array(let elements) = value else {
            throw EventValidationError(field: field(key), reason: "must be a list, not \(value.typeName)")
        }
        if nonEmpty && elements.isEmpty {
            throw EventValidationError(field: field(key), reason: "must not be an empty list")
        }
        return elements
    }

    func day(_ key: String) throws(EventValidationError) -> Day {
        try Self.day(try require(key), field: field(key))
    }

    func optionalDay(_ key: String) throws(EventValidationError) -> Day? {
        guard let value = object[key] else { return nil }
        return try Self.day(value, field: field(key))
    }

    static func day(_ value: JSONValue, field: @autoclosure () -> String) throws(EventValidationError) -> Day {
        guard case .string(let text) = value else {
            throw EventValidationError(
                field: field(), reason: "must be a date string YYYY-MM-DD, not \(value.typeName)")
        }
        guard let day = Day(text) else {
            throw EventValidationError(field: field(), reason: "\"\(text)\" is not a real calendar day YYYY-MM-DD")
        }
        return day
    }

    /// The largest whole number of US dollars the contract allows (2^53 − 1).
    static let maxMoney: Int64 = 9_007_199_254_740_991

    func money(_ key: String) throws(EventValidationError) -> Int64 {
        try Self.integer(try require(key), field: field(key), in: 0...Self.maxMoney)
    }

    static func integer(_ value: JSONValue, field: @autoclosure () -> String, in range: ClosedRange<Int64>)
        throws(EventValidationError)
        -> Int64
    {
        guard case .number(let lexical) = value else {
            throw EventValidationError(field: field(), reason: "must be an integer, not \(value.typeName)")
        }
        guard !lexical.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) else {
            throw EventValidationError(
                field: field(), reason: "must be an integer without fraction or exponent, not \(lexical)")
        }
        guard let integer = Int64(lexical), range.contains(integer) else {
            throw EventValidationError(
                field: field(), reason: "\(lexical) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return integer
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, as: Choice.Type) throws(EventValidationError)
        -> Choice
    where Choice.RawValue == String {
        let text = try string(key)
        guard let choice = Choice(rawValue: text) else {
            let options = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw EventValidationError(field: field(key), reason: "\"\(text)\" is not one of \(options)")
        }
        return choice
    }

    func countryCode(_ key: String) throws(EventValidationError) -> String {
        try Self.countryCode(try string(key), field: field(key))
    }

    func optionalCountryCode(_ key: String) throws(EventValidationError) -> String? {
        guard let text = try optionalString(key) else { return nil }
        return try Self.countryCode(text, field: field(key))
    }

    static func isCountryCode(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 2 && bytes.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }

    static func countryCode(_ text: String, field: @autoclosure () -> String) throws(EventValidationError) -> String {
        guard isCountryCode(text) else {
            throw EventValidationError(
                field: field(), reason: "\"\(text)\" is not an ISO 3166-1 alpha-2 code in upper case")
        }
        return text
    }

    func slug(_ key: String) throws(EventValidationError) -> String {
        let text = try string(key)
        guard StreamName.isSlug(text) else {
            throw EventValidationError(field: field(key), reason: "\"\(text)\" must match [a-z0-9][a-z0-9._-]{0,127}")
        }
        return text
    }

    func stream(_ key: String, kind: StreamKind? = nil) throws(EventValidationError) -> String {
        try Self.stream(try string(key), field: field(key), kind: kind)
    }

    static func stream(_ text: String, field: @autoclosure () -> String, kind: StreamKind? = nil)
        throws(EventValidationError) -> String
    {
        if let problem = StreamName.problem(with: text) {
            throw EventValidationError(field: field(), reason: "\"\(text)\": \(problem)")
        }
        if let kind, StreamName.kind(of: text) != kind {
            throw EventValidationError(field: field(), reason: "\"\(text)\" must be a \(kind.rawValue)/… stream")
        }
        return text
    }

    func eventID(_ key: String) throws(EventValidationError) -> EventID {
        let text = try string(key)
        guard EventID.isValid(text) else {
            throw EventValidationError(field: field(key), reason: "\"\(text)\" must match [A-Za-z0-9._:-]{1,128}")
        }
        return EventID(text)
    }
}

/// Where a field is: a path, or element `index` of the list at a path. The element's text is
/// written only when an error names it, not for every element read.
struct FieldPath: CustomStringConvertible {
    var base: String
    var index: Int?

    init(_ base: String, index: Int? = nil) {
        self.base = base
        self.index = index
    }

    var description: String {
        guard let index else { return base }
        return "\(base)[\(index)]"
    }
}

/// Whether `text` holds something other than white space; a printable ASCII first byte
/// answers without asking Unicode's tables.
func isNotBlank(_ text: String) -> Bool {
    if let first = text.utf8.first, first > 0x20, first < 0x7F { return true }
    return text.unicodeScalars.contains(where: { !$0.properties.isWhitespace })
}

/// An event's id, its idempotency key: `[A-Za-z0-9._:-]{1,128}`, checked where it enters.
public struct EventID: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id as written.
    public let text: String

    /// An id read back from the log, or named by a retraction or correction that
    /// validation admitted.
    public init(_ text: String) {
        self.text = text
    }

    public init(stringLiteral text: String) {
        self.text = text
    }

    public var description: String { text }

    /// Whether `text` is a well-formed event id.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...128).contains(bytes.count)
            && bytes.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: ":"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }
}
