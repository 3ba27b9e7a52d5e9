/// CSV as the contract wants it: RFC 4180, a header row, CRLF line ends, lists joined with
/// `;`, and text that a spreadsheet would run as a formula prefixed with `'`.
public enum CSVEncoding {
    /// One record, with its CRLF.
    public static func record(_ cells: [Cell]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    /// The header record.
    public static func header(_ columns: [String]) -> String {
        record(columns.map(Cell.text))
    }

    static func field(_ cell: Cell) -> String {
        switch cell {
        case .empty: return ""
        case .number(let number): return String(number)
        case .decimal(let number): return number
        case .bool(let flag): return flag ? "true" : "false"
        case .text(let text): return quoted(defused(text))
        case .list(let items): return quoted(defused(items.joined(separator: ";")))
        }
    }

    /// A cell that begins with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.
    static func defused(_ text: String) -> String {
        guard let first = text.utf8.first else { return text }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return "'" + text
        default: return text
        }
    }

    /// Quotes a field holding a comma, a double quote, CR or LF; doubles inner quotes.
    static func quoted(_ text: String) -> String {
        guard
            text.utf8.contains(where: {
                $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
            })
        else { return text }
        var result = "\""
        for character in text.unicodeScalars {
            if character == "\"" { result += "\"\"" } else { result.unicodeScalars.append(character) }
        }
        return result + "\""
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
            case .number(let number): bytes.append(contentsOf: String(number).utf8)
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
