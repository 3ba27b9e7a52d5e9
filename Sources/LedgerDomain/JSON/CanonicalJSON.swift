/// The JSON Canonicalization Scheme (RFC 8785): members sorted by the UTF-16 code units
/// of their names, no white space, minimal string escapes and ECMAScript number forms.
///
/// These are the bytes the ledger hashes. For the values the ledger stores (ASCII keys,
/// integers only) they equal Python's `json.dumps(v, sort_keys=True,
/// separators=(",", ":"), ensure_ascii=False)`, so an auditor can re-check without us.
public enum CanonicalJSON {
    /// The canonical UTF-8 bytes of `value`.
    public static func bytes(of value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, to: &output)
        return output
    }

    /// The canonical text of `value`.
    public static func string(of value: JSONValue) -> String {
        String(decoding: bytes(of: value), as: UTF8.self)
    }

    /// Appends the canonical form of `value` to `output`.
    public static func write(_ value: JSONValue, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let lexical): output.append(contentsOf: canonicalNumber(lexical).utf8)
        case .string(let text): writeString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in sortedMembers(object).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Members in JCS order: by the UTF-16 code units of their names.
    static func sortedMembers(_ object: JSONObject) -> [JSONObject.Member] {
        let members = object.members
        if members.count < 2 { return members }
        var isSorted = true
        for index in 1..<members.count where !precedes(members[index - 1].key, members[index].key) {
            isSorted = false
            break
        }
        return isSorted ? members : members.sorted { precedes($0.key, $1.key) }
    }

    /// Whether `lhs` sorts before `rhs` by UTF-16 code units.
    ///
    /// UTF-8 byte order agrees with UTF-16 order except between U+E000…U+FFFF (lead bytes
    /// EE, EF) and characters beyond U+FFFF (lead bytes F0–F4); only then is UTF-16 consulted.
    @inline(__always)
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let a?, let b?):
                if a == b { continue }
                if a >= 0xEE || b >= 0xEE { return lhs.utf16.lexicographicallyPrecedes(rhs.utf16) }
                return a < b
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JCS string literal: only `"`, `\` and control characters are escaped.
    public static func writeString(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { writeString(utf8: $0, to: &output) }
    }

    /// Appends UTF-8 `bytes` as a JCS string literal.
    public static func writeString(utf8 bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Runs of bytes that need no escape are copied whole.
        var start = 0
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            if start < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
            writeEscape(byte, to: &output)
            start = index + 1
        }
        if start < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        output.append(UInt8(ascii: "\""))
    }

    private static func writeEscape(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(0x5C)
        switch byte {
        case 0x22: output.append(0x22)
        case 0x5C: output.append(0x5C)
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x09: output.append(UInt8(ascii: "t"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        default:
            // JCS (like ECMAScript) writes the other controls as \u00xx in lower case.
            output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    /// The ECMAScript form of a JSON number (RFC 8785 section 3.2.2.3).
    ///
    /// Integers within ±2^53 are written digit for digit; any other number goes through
    /// an IEEE 754 double, as JCS prescribes. The ledger's validation admits integers only,
    /// so stored events never take the double path; on it, the last digit can differ from
    /// ECMAScript's where two shortest forms both round-trip (Swift does not pick the closer).
    public static func canonicalNumber(_ lexical: String) -> String {
        if let integer = Int64(lexical), abs(integer) <= 9_007_199_254_740_992 {
            return String(integer)  // also turns "-0" into "0"
        }
        guard let double = Double(lexical), double.isFinite else { return lexical }
        return ecmaScriptString(double)
    }

    /// `Number.prototype.toString()` for a finite double, from Swift's shortest round-trip digits.
    static func ecmaScriptString(_ value: Double) -> String {
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        // Swift's description gives the shortest digits that round-trip, as ECMAScript requires.
        let text = String(describing: abs(value))
        var mantissa = text
        var exponent = 0
        if let eIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<eIndex])
            exponent = Int(text[text.index(after: eIndex)...]) ?? 0
        }
        var digits = ""
        var pointPosition: Int
        if let dot = mantissa.firstIndex(of: ".") {
            let integerPart = String(mantissa[..<dot])
            let fraction = String(mantissa[mantissa.index(after: dot)...])
            digits = integerPart + fraction
            pointPosition = integerPart.count
        } else {
            digits = mantissa
            pointPosition = mantissa.count
        }
        // Normalise: strip leading zeros (moving the point) and trailing zeros.
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        let k = digits.count
        let n = pointPosition + exponent  // value = 0.digits × 10^n
        if k <= n && n <= 21 {
            return sign + digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let index = digits.index(digits.startIndex, offsetBy: n)
            return sign + digits[..<index] + "." + digits[index...]
        }
        if -6 < n && n <= 0 {
            return sign + "0." + String(repeating: "0", count: -n) + digits
        }
        let e = n - 1
        let exponentText = e >= 0 ? "+\(e)" : "\(e)"
        if k == 1 { return sign + digits + "e" + exponentText }
        return sign + digits.prefix(1) + "." + digits.dropFirst() + "e" + exponentText
    }
}
