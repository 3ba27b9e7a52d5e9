import Foundation

/// The records of a CSV file (RFC 4180), read strictly and in fixed-size chunks, so that a
/// file of any size streams through in bounded memory.
///
/// Written here rather than taken from a package: the CSV readers on this machine either
/// accept an unterminated quote by reading to the end of the file and keep stray characters
/// after a closing quote (yaslab/CSV.swift), or load the whole file into one string
/// (SwiftCSV), and neither tells the line a record starts on, which every error must name.
public struct CSVRecords {
    /// The file's name in errors.
    public let name: String
    private let input: SnapshotInput
    /// Whether a field that is not UTF-8 is refused (else read as Latin-1).
    private let strictUTF8: Bool

    /// The longest field accepted.
    static let maxFieldBytes = 1 << 20

    /// What a whole read found besides the records.
    public struct Ending: Sendable {
        /// How many records there were.
        public var records = 0
        /// Whether the file ended with a Ctrl-Z line (0x1A, MS-DOS's end of file), as OFAC's
        /// files do: a download cut short lacks it.
        public var hasEndMark = false
    }

    public init(_ input: SnapshotInput, strictUTF8: Bool = false) {
        name = input.path
        self.input = input
        self.strictUTF8 = strictUTF8
    }

    /// Calls `body` with each record's fields and the line it starts on. A UTF-8 byte order
    /// mark at the start, blank lines and a final Ctrl-Z line are skipped; a malformed record
    /// throws, naming its line.
    @discardableResult
    public func forEach(_ body: (_ fields: [String], _ line: Int) throws -> Void) throws -> Ending {
        var ending = Ending()
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var wasQuoted = false
        var afterClosingQuote = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var sawControlZ = false
        var crAfterQuote = false

        func invalid(_ reason: String, at line: Int) -> ImportError {
            .invalid(file: name, line: line, field: "", reason: reason)
        }
        func endField() throws {
            if strictUTF8 && String(validating: field, as: UTF8.self) == nil {
                throw invalid("a field that is not UTF-8", at: line)
            }
            fields.append(Self.decode(field))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
            afterClosingQuote = false
        }
        func endRecord() throws {
            try endField()
            defer {
                fields.removeAll(keepingCapacity: true)
                recordLine = line
            }
            if fields.count == 1 && fields[0].isEmpty { return }  // a blank line
            if fields.count == 1 && fields[0] == "\u{1A}" {
                sawControlZ = true
                return
            }
            if sawControlZ { throw invalid("a record after the end-of-file mark (Ctrl-Z)", at: recordLine) }
            ending.records += 1
            try body(fields, recordLine)
        }

        var isFirstChunk = true
        try input.forEachChunk { chunk in
            var bytes = chunk[...]
            if isFirstChunk {
                isFirstChunk = false
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            }
            for byte in bytes {
                if inQuotes {
                    if byte == UInt8(ascii: "\"") {
                        inQuotes = false
                        afterClosingQuote = true
                    } else {
                        if byte == UInt8(ascii: "\n") { line += 1 }
                        field.append(byte)
                        if field.count > Self.maxFieldBytes { throw invalid("a field longer than 1 MiB", at: line) }
                    }
                    continue
                }
                if crAfterQuote && byte != UInt8(ascii: "\n") {
                    throw invalid(
                        "a character after a closing quote (a quote inside a field is written \"\")", at: line)
                }
                if afterClosingQuote && byte == UInt8(ascii: "\"") {
                    // `""` inside a quoted field: one quote.
                    field.append(byte)
                    inQuotes = true
                    afterClosingQuote = false
                    continue
                }
                switch byte {
                case UInt8(ascii: ","):
                    try endField()
                case UInt8(ascii: "\n"):
                    // CRLF or LF ends the record; the CR of an unquoted field's CRLF is dropped.
                    if !afterClosingQuote && field.last == UInt8(ascii: "\r") { field.removeLast() }
                    crAfterQuote = false
                    line += 1
                    try endRecord()
                case UInt8(ascii: "\r") where afterClosingQuote:
                    crAfterQuote = true
                case UInt8(ascii: "\""):
                    guard field.isEmpty && !wasQuoted else {
                        throw invalid("a quote inside an unquoted field", at: line)
                    }
                    inQuotes = true
                    wasQuoted = true
                    quoteLine = line
                default:
                    if field.count >= Self.maxFieldBytes { throw invalid("a field longer than 1 MiB", at: line) }
                    if afterClosingQuote {
                        throw invalid(
                            "a character after a closing quote (a quote inside a field is written \"\")", at: line)
                    }
                    field.append(byte)
                }
            }
        }
        try input.finish()
        if inQuotes { throw invalid("a quoted field is not closed (it runs to the end of the file)", at: quoteLine) }
        if field.last == UInt8(ascii: "\r") { field.removeLast() }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { try endRecord() }
        ending.hasEndMark = sawControlZ
        return ending
    }

    /// A field's text: UTF-8, or where the bytes are not UTF-8, Latin-1 (older exports).
    static func decode(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}
