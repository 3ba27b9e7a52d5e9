/// Why a line is not acceptable JSON, and where: `path` names the member or element
/// in which the fault was found (empty at the top level).
public struct JSONSyntaxError: Error, Sendable, Equatable {
    /// The member path, as `data.obligations[0].id`; empty at the top level.
    public var path: String
    /// What is wrong.
    public var reason: String
    /// The byte offset within the line at which the fault was found (0-based).
    public var offset: Int
}

/// The limits a reader enforces on one JSON document, named in its errors.
public struct JSONLimits: Sendable {
    /// The deepest nesting of arrays and objects allowed.
    public var maxDepth: Int
    /// The longest string allowed, in bytes of UTF-8.
    public var maxStringBytes: Int

    /// The ledger's limits: nesting 32 deep, strings of 65,536 bytes.
    public static let ledger = JSONLimits(maxDepth: 32, maxStringBytes: 65_536)

    public init(maxDepth: Int, maxStringBytes: Int) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
    }
}

/// A strict JSON reader (RFC 8259) over UTF-8 bytes.
///
/// Unlike Foundation's readers it refuses a key given twice in one object, refuses bytes
/// that are not UTF-8 and escapes that make lone surrogates, and keeps every number's
/// lexical form, so that `1000.0` can be told from `1000`.
public struct StrictJSONReader {
    private let limits: JSONLimits

    /// A reader with the given limits.
    public init(limits: JSONLimits = .ledger) {
        self.limits = limits
    }

    /// Reads exactly one JSON value from `bytes`; white space may surround it.
    public func read(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> JSONValue in
            var cursor = Cursor(bytes: buffer, limits: limits)
            return try cursor.readDocument()
        }
    }

    /// Reads exactly one JSON value from bytes someone else owns.
    public func read(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var cursor = Cursor(bytes: buffer, limits: limits)
        return try cursor.readDocument()
    }

    /// Reads exactly one JSON value from a string.
    public func read(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try read(Array(text.utf8))
    }
}

private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONLimits
    var position = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    func fail(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(path: "", reason: reason, offset: offset ?? position)
    }

    mutating func readDocument() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw fail("empty line is not a JSON value") }
        let value = try readValue()
        skipWhitespace()
        if position < bytes.count {
            throw fail("unexpected \(describe(bytes[position])) after the JSON value")
        }
        return value
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x00: return "NUL byte"
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
        }
    }

    mutating func readValue() throws(JSONSyntaxError) -> JSONValue {
        guard position < bytes.count else { throw fail("unexpected end of line") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumber())
        case let byte:
            throw fail("unexpected \(describe(byte)); expected a JSON value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw fail("invalid literal", at: start) }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for index in 0..<count where bytes[position + index] != expected[index] {
            throw fail("invalid literal", at: start)
        }
        position += count
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > limits.maxDepth {
            throw fail("nesting deeper than the limit of \(limits.maxDepth) levels")
        }
    }

    mutating func readObject() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        position += 1  // {
        var members: [JSONObject.Member] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(JSONObject(uniqueMembers: members))
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of line in an object") }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw fail("unexpected \(describe(bytes[position])); expected a member name in double quotes")
            }
            let keyOffset = position
            let key = try readString()
            // Objects in events are small: a linear scan beats hashing here.
            if members.contains(where: { $0.key == key }) {
                throw JSONSyntaxError(path: key, reason: "duplicate key \"\(key)\"", offset: keyOffset)
            }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw JSONSyntaxError(path: key, reason: "expected ':' after the member name", offset: position)
            }
            position += 1
            skipWhitespace()
            let value: JSONValue
            do {
                value = try readValue()
            } catch {
                throw error.inside(key: key)
            }
            members.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of line in an object") }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(JSONObject(uniqueMembers: members))
            case let byte:
                throw fail("unexpected \(describe(byte)); expected ',' or '}'")
            }
        }
    }

    mutating func readArray() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            do {
                elements.append(try readValue())
            } catch {
                throw error.inside(index: elements.count)
            }
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of line in an array") }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(elements)
            case let byte:
                throw fail("unexpected \(describe(byte)); expected ',' or ']'")
            }
        }
    }

    mutating func readNumber() throws(JSONSyntaxError) -> String {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw fail("invalid number: a digit must follow '-'", at: start)
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw fail("invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw fail("invalid number: a digit must follow '.'", at: start)
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw fail("invalid number: a digit must follow the exponent mark", at: start)
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position - start > 64 {
            throw fail("number longer than the limit of 64 characters", at: start)
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Reads a string literal; the cursor is on its opening quote.
    mutating func readString() throws(JSONSyntaxError) -> String {
        let start = position
        position += 1
        let contentStart = position
        // Fast path: no escapes. Validate UTF-8 as we go.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                try checkLength(position - contentStart, at: start)
                let text = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]), as: UTF8.self)
                position += 1
                return text
            } else if byte == UInt8(ascii: "\\") {
                return try readEscapedString(start: start, contentStart: contentStart)
            } else if byte < 0x20 {
                throw fail("control character (\(describe(byte))) in a string must be escaped")
            } else if byte < 0x80 {
                position += 1
            } else {
                try skipMultiByteScalar()
            }
        }
        throw fail("unterminated string", at: start)
    }

    func checkLength(_ length: Int, at start: Int) throws(JSONSyntaxError) {
        if length > limits.maxStringBytes {
            throw fail("string longer than the limit of \(limits.maxStringBytes) bytes", at: start)
        }
    }

    mutating func readEscapedString(start: Int, contentStart: Int) throws(JSONSyntaxError) -> String {
        var scalars: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                try checkLength(scalars.count, at: start)
                return String(decoding: scalars, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                position += 1
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "/"): scalars.append(0x2F)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try readUnicodeEscape()
                    scalars.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw fail("invalid escape '\\\(describe(escape))' in a string", at: position - 2)
                }
            } else if byte < 0x20 {
                throw fail("control character (\(describe(byte))) in a string must be escaped")
            } else if byte < 0x80 {
                scalars.append(byte)
                position += 1
            } else {
                let scalarStart = position
                try skipMultiByteScalar()
                scalars.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[scalarStart..<position]))
            }
            if scalars.count > limits.maxStringBytes { try checkLength(scalars.count, at: start) }
        }
        throw fail("unterminated string", at: start)
    }

    /// Reads the four hex digits after `\u` (and a second escape for a surrogate pair).
    mutating func readUnicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let escapeStart = position - 2
        let high = try readHex4()
        if (0xD800...0xDBFF).contains(high) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else {
                throw fail("lone surrogate escape in a string (not a Unicode character)", at: escapeStart)
            }
            position += 2
            let low = try readHex4()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw fail("lone surrogate escape in a string (not a Unicode character)", at: escapeStart)
            }
            let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw fail("invalid escape", at: escapeStart) }
            return scalar
        }
        guard let scalar = Unicode.Scalar(high) else {
            throw fail("lone surrogate escape in a string (not a Unicode character)", at: escapeStart)
        }
        return scalar
    }

    mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw fail("invalid \\u escape: four hex digits expected") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape: four hex digits expected")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// Checks one multi-byte UTF-8 sequence at the cursor (RFC 3629: no overlongs,
    /// no surrogates, nothing above U+10FFFF) and steps over it.
    mutating func skipMultiByteScalar() throws(JSONSyntaxError) {
        let lead = bytes[position]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upperBound = 0x9F
        case 0xF0:
            length = 4
            lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upperBound = 0x8F
        default:
            throw fail("invalid UTF-8 (\(describe(lead)))")
        }
        guard bytes.count - position >= length else { throw fail("invalid UTF-8 (truncated sequence)") }
        let second = bytes[position + 1]
        guard second >= lowerBound, second <= upperBound else {
            throw fail("invalid UTF-8 (\(describe(second)) after \(describe(lead)))")
        }
        for index in 2..<max(2, length) {
            let byte = bytes[position + index]
            guard byte & 0xC0 == 0x80 else { throw fail("invalid UTF-8 (\(describe(byte)))") }
        }
        position += length
    }
}

extension JSONSyntaxError {
    func inside(key: String) -> JSONSyntaxError {
        var copy = self
        copy.path = path.isEmpty ? key : (path.hasPrefix("[") ? key + path : key + "." + path)
        return copy
    }

    func inside(index: Int) -> JSONSyntaxError {
        var copy = self
        copy.path = path.isEmpty ? "[\(index)]" : (path.hasPrefix("[") ? "[\(index)]" + path : "[\(index)]." + path)
        return copy
    }
}
