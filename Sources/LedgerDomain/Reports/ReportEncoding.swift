/// CSV as the contract wants it: RFC 4180, a header row, CRLF line ends, lists joined with
/// `;`, and text that a spreadsheet would run as a formula prefixed with `'`.
public enum CSVEncoding {
    /// One record, with its CRLF.
    public static func record(_ cells: [Cell]) -> String {
        var bytes: [UInt8] = []
        append(cells, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The header record.
    public static func header(_ columns: [String]) -> String {
        record(columns.map(Cell.text))
    }

    /// Writes one record, with its CRLF, at the end of `bytes`: by bytes, straight into an
    /// output buffer.
    public static func append(_ cells: [Cell], to bytes: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            switch cell {
            case .empty: break
            case .number(let number): appendDecimal(number, to: &bytes)
            case .decimal(let number): bytes.append(contentsOf: number.utf8)
            case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
            case .text(let text):
                let start = bytes.count
                bytes.append(contentsOf: text.utf8)
                finishField(from: start, in: &bytes)
            case .list(let items):
                let start = bytes.count
                for (position, item) in items.enumerated() {
                    if position > 0 { bytes.append(UInt8(ascii: ";")) }
                    bytes.append(contentsOf: item.utf8)
                }
                finishField(from: start, in: &bytes)
            }
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// Writes `value` in decimal, as `String(value)` spells it, without making the string.
    static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var count = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            count += 1
        }
        var index = bytes.count + count - 1
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        repeat {
            bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            index -= 1
        } while magnitude > 0
    }

    /// Defuses and quotes the text field written from `start` to the end of `bytes`: a field
    /// that begins with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`; one holding a
    /// comma, a double quote, CR or LF is quoted, its inner quotes doubled.
    static func finishField(from start: Int, in bytes: inout [UInt8]) {
        guard start < bytes.count else { return }
        switch bytes[start] {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            bytes.insert(UInt8(ascii: "'"), at: start)
        default:
            break
        }
        let needsQuotes = bytes.withUnsafeBufferPointer { buffer in
            var index = start
            while index < buffer.count {
                switch buffer[index] {
                case UInt8(ascii: ","), UInt8(ascii: "\""), 0x0A, 0x0D: return true
                default: index += 1
                }
            }
            return false
        }
        guard needsQuotes else { return }
        let field = Array(bytes[start...])
        bytes.removeSubrange(start...)
        bytes.append(UInt8(ascii: "\""))
        for byte in field {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// JSON as the contract wants it: an array of objects keyed by the CSV's column names, in
/// column order; lists are arrays, counts, money and years numbers, `active` a boolean, an
/// empty cell null.
public enum JSONReportEncoding {
    /// One row as a JSON object.
    public static func object(columns: [String], cells: [Cell]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, (column, cell)) in zip(columns, cells).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(column, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            switch cell {
            case .empty: bytes.append(contentsOf: "null".utf8)
            case .number(let number): CSVEncoding.appendDecimal(number, to: &bytes)
            case .decimal(let number): bytes.append(contentsOf: number.utf8)
            case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
            case .text(let text): CanonicalJSON.writeString(text, to: &bytes)
            case .list(let items):
                bytes.append(UInt8(ascii: "["))
                for (position, item) in items.enumerated() {
                    if position > 0 { bytes.append(UInt8(ascii: ",")) }
                    CanonicalJSON.writeString(item, to: &bytes)
                }
                bytes.append(UInt8(ascii: "]"))
            }
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Cell {
    /// The cell as plain text for a table: lists joined with `;`, empty as nothing.
    public var plainText: String {
        switch self {
        case .empty: ""
        case .number(let number): String(number)
        case .decimal(let number): number
        case .bool(let flag): flag ? "true" : "false"
        case .text(let text): text
        case .list(let items): items.joined(separator: ";")
        }
    }
}
