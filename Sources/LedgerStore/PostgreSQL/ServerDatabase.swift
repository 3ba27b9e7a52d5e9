import Foundation
import LedgerDomain
import NIOCore
import PostgresNIO

/// A PostgreSQL connection as the log, the views and the screening index use a database
/// (`SQLDatabase`): the same SQL, its SQLite-style `?N` parameters written `$N`.
final class ServerDatabase: SQLDatabase {
    let connection: ServerConnection
    let dialect: any SQLDialect

    init(_ connection: ServerConnection) throws {
        self.connection = connection
        let schema = try connection.text("SELECT current_schema()::text")
        dialect = ServerDialect(storedSchema: schema ?? "public")
    }

    func execute(_ sql: String) throws {
        try connection.execute(sql)
    }

    func prepare(_ sql: String) throws -> any SQLStatement {
        ServerStatement(connection: connection, sql: sql, isScan: false)
    }

    func prepareScan(_ sql: String) throws -> any SQLStatement {
        ServerStatement(connection: connection, sql: sql, isScan: true)
    }

    /// A transaction; `immediate` takes the append turn first (`ServerDialect.beginWrite`).
    func transaction<Result>(immediate: Bool, _ body: () throws -> Result) throws -> Result {
        try connection.transaction(immediate ? dialect.beginWrite : "BEGIN", body)
    }

    /// `sql` with SQLite's parameters (`?N`, and `?` for the next one) written as
    /// PostgreSQL's `$N`; string literals and quoted names are left as they are.
    static func serverSQL(_ sql: String) -> String {
        translated(sql).sql
    }

    /// `sql` cut at its parameters: the text around them (one more piece than parameters) and
    /// the SQLite number of each parameter in turn (`?N`, and `?` for the one after the
    /// highest so far); string literals and quoted names are left whole.
    static func pieces(_ sql: String) -> (texts: [String], slots: [Int32]) {
        let bytes = Array(sql.utf8)
        var texts: [String] = []
        var slots: [Int32] = []
        var current: [UInt8] = []
        var index = 0
        var highest: Int32 = 0
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if let open = quote {
                current.append(byte)
                if byte == open { quote = nil }
                continue
            }
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
                current.append(byte)
                continue
            }
            guard byte == UInt8(ascii: "?") else {
                current.append(byte)
                continue
            }
            var number: Int32 = 0
            var digits = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                number = number * 10 + Int32(bytes[index] - 0x30)
                digits += 1
                index += 1
            }
            if digits == 0 { number = highest + 1 }
            highest = max(highest, number)
            texts.append(String(decoding: current, as: UTF8.self))
            current.removeAll()
            slots.append(number)
        }
        texts.append(String(decoding: current, as: UTF8.self))
        return (texts, slots)
    }

    /// The translated SQL and, for each of its `$k` in turn, the SQLite parameter number it
    /// stands for. Parameters are numbered anew in order of first use, so one that the SQL
    /// never uses is not sent (the server could not tell its type); unbound ones are NULL.
    static func translated(_ sql: String) -> (sql: String, parameters: [Int32]) {
        let (texts, slots) = pieces(sql)
        var parameters: [Int32] = []
        var output = texts[0]
        for (index, number) in slots.enumerated() {
            let position: Int
            if let known = parameters.firstIndex(of: number) {
                position = known + 1
            } else {
                parameters.append(number)
                position = parameters.count
            }
            output += "$\(position)" + texts[index + 1]
        }
        return (output, parameters)
    }
}

/// One statement on a server: its parameters are gathered as they are bound and sent with
/// it when it first steps; its rows are then read one by one.
final class ServerStatement: SQLStatement {
    let sql: String
    private let serverSQL: String
    /// The SQLite parameter number behind each `$k`.
    private let parameters: [Int32]
    private let connection: ServerConnection
    /// Whether rows are read through a cursor, a batch at a time (`prepareScan`).
    private let isScan: Bool
    /// Whether it writes and returns nothing, so that it can be held back and sent with other
    /// writes (`ServerConnection.deferWrite`).
    private let isDeferrable: Bool
    /// The statement cut at its parameters, for writing values in.
    private let pieces: (texts: [String], slots: [Int32])
    /// For a plain `INSERT INTO table (…) VALUES (…)`: the table and the length of the text
    /// before its row, so that held rows of one table can travel as one insert.
    private let insertTable: String?
    private let insertHeadLength: Int
    /// The open cursor of a scan, and whether its last batch was the end.
    private var cursor: String?
    private var isLastBatch = false
    static let scanBatch = 1_000
    private enum Value {
        case text(String)
        case integer(Int64)
        case bytes([UInt8])
    }
    private var values: [Int32: Value] = [:]
    private var rows: [PostgresRandomAccessRow]?
    private var position = -1
    /// The text of the current row's columns that `unsafeText` gave out: kept, and freed,
    /// when the statement steps or resets.
    private var texts: [Int32: UnsafeMutableBufferPointer<UInt8>] = [:]

    init(connection: ServerConnection, sql: String, isScan: Bool) {
        self.connection = connection
        self.sql = sql
        self.isScan = isScan
        (serverSQL, parameters) = ServerDatabase.translated(sql)
        let head = sql.drop { $0.isWhitespace }.prefix(6).uppercased()
        isDeferrable =
            !isScan && ["INSERT", "UPDATE", "DELETE"].contains(head) && !sql.uppercased().contains("RETURNING")
        pieces = isDeferrable ? ServerDatabase.pieces(sql) : ([], [])
        (insertTable, insertHeadLength) = isDeferrable ? Self.plainInsert(pieces.texts) : (nil, 0)
    }

    deinit {
        freeTexts()
    }

    func reset() {
        values.removeAll(keepingCapacity: true)
        rows = nil
        position = -1
        freeTexts()
        closeCursor()
    }

    private func closeCursor() {
        guard let name = cursor else { return }
        cursor = nil
        // In a transaction that failed the cursor is gone with it: nothing to close.
        try? connection.execute("CLOSE \(name)")
    }

    private func freeTexts() {
        for buffer in texts.values { buffer.deallocate() }
        texts.removeAll(keepingCapacity: true)
    }

    func bind(_ value: String, at index: Int32) throws { values[index] = .text(value) }

    func bind(utf8 value: [UInt8], at index: Int32) throws {
        values[index] = .text(String(decoding: value, as: UTF8.self))
    }

    func bind(staticText buffer: UnsafeBufferPointer<UInt8>, at index: Int32) throws {
        values[index] = .text(String(decoding: buffer, as: UTF8.self))
    }

    func bind(blob value: [UInt8], at index: Int32) throws { values[index] = .bytes(value) }

    func bind(_ value: Int64, at index: Int32) throws { values[index] = .integer(value) }

    @discardableResult
    func step() throws -> Bool {
        freeTexts()
        if isDeferrable {
            try connection.deferWrite(
                HeldWrite(sql: withValuesWrittenIn(), insertTable: insertTable, headLength: insertHeadLength))
            return false
        }
        if rows == nil {
            var bindings = PostgresBindings()
            for number in parameters {
                switch values[number] {
                case .text(let text)?: bindings.append(text)
                case .integer(let integer)?: bindings.append(integer)
                case .bytes(let bytes)?: bindings.append(ByteBuffer(bytes: bytes))
                case nil: bindings.appendNull()
                }
            }
            if isScan {
                let name = connection.nextCursorName()
                _ = try connection.query(
                    PostgresQuery(unsafeSQL: "DECLARE \(name) NO SCROLL CURSOR FOR " + serverSQL, binds: bindings))
                cursor = name
                try fetch()
            } else {
                rows = try connection.query(PostgresQuery(unsafeSQL: serverSQL, binds: bindings)).map {
                    $0.makeRandomAccess()
                }
                isLastBatch = true
            }
        }
        position += 1
        if position >= (rows?.count ?? 0), !isLastBatch {
            try fetch()
            position = 0
        }
        return position < (rows?.count ?? 0)
    }

    /// The statement with each parameter written in as a literal: text quoted (with
    /// `standard_conforming_strings`, doubling `'` is the only escape), integers as digits,
    /// bytes as a hex `bytea`, an unbound parameter as NULL.
    private func withValuesWrittenIn() -> String {
        var output = pieces.texts[0]
        for (index, slot) in pieces.slots.enumerated() {
            switch values[slot] {
            case .text(let text)?:
                output += "'"
                output += text.contains("'") ? text.replacingOccurrences(of: "'", with: "''") : text
                output += "'"
            case .integer(let integer)?: output += String(integer)
            case .bytes(let bytes)?:
                output += "'\\x"
                for byte in bytes {
                    output.unicodeScalars.append(Self.hexDigits[Int(byte >> 4)])
                    output.unicodeScalars.append(Self.hexDigits[Int(byte & 0x0F)])
                }
                output += "'::bytea"
            case nil: output += "NULL"
            }
            output += pieces.texts[index + 1]
        }
        return output
    }

    /// The table and the length of the text before the row, when the statement is a plain
    /// `INSERT INTO table (…) VALUES (…)` (no conflict clause, no query, one row).
    static func plainInsert(_ texts: [String]) -> (String?, Int) {
        guard let first = texts.first, let last = texts.last else { return (nil, 0) }
        let words = first.split(whereSeparator: { $0.isWhitespace })
        guard words.count >= 3, words[0].uppercased() == "INSERT", words[1].uppercased() == "INTO",
            let values = first.range(of: "VALUES"),
            first[values.upperBound...].trimmingCharacters(in: .whitespaces) == "("
                || first[values.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("("),
            last.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(")")
        else { return (nil, 0) }
        let all = texts.joined(separator: "?").uppercased()
        guard !all.contains("ON CONFLICT"), !all.contains("SELECT"), !all.contains("),") else { return (nil, 0) }
        let table = words[2].split(separator: "(")[0]
        return (String(table), first.distance(from: first.startIndex, to: values.upperBound) + 1)
    }

    private static let hexDigits: [Unicode.Scalar] = Array("0123456789abcdef".unicodeScalars)

    /// Reads the scan's next batch of rows.
    private func fetch() throws {
        guard let name = cursor else { return }
        let batch = try connection.query(
            PostgresQuery(unsafeSQL: "FETCH FORWARD \(Self.scanBatch) FROM \(name)"))
        rows = batch.map { $0.makeRandomAccess() }
        isLastBatch = batch.count < Self.scanBatch
        if isLastBatch { closeCursor() }
    }

    private func cell(_ index: Int32) -> PostgresCell? {
        guard let rows, position >= 0, position < rows.count else { return nil }
        return rows[position][Int(index)]
    }

    func int64(_ index: Int32) -> Int64 {
        guard let cell = cell(index), cell.bytes != nil else { return 0 }
        if cell.dataType == .numeric {
            // `sum` of bigints is numeric on a server; the counts it adds are whole.
            guard let value = try? cell.decode(Decimal.self) else { return 0 }
            return NSDecimalNumber(decimal: value).int64Value
        }
        return (try? cell.decode(Int64.self)) ?? 0
    }

    func string(_ index: Int32) -> String {
        guard let cell = cell(index), cell.bytes != nil else { return "" }
        switch cell.dataType {
        case .int2, .int4, .int8, .numeric: return String(int64(index))
        default: return (try? cell.decode(String.self)) ?? ""
        }
    }

    func blob(_ index: Int32) -> [UInt8] {
        guard var bytes = cell(index)?.bytes else { return [] }
        return bytes.readBytes(length: bytes.readableBytes) ?? []
    }

    func withText<Result>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(unsafeText(index))
    }

    func unsafeText(_ index: Int32) -> UnsafeBufferPointer<UInt8> {
        if let buffer = texts[index] { return UnsafeBufferPointer(buffer) }
        let bytes = Array(string(index).utf8)
        let allocated = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = allocated.initialize(from: bytes)
        // Its base address is what `deallocate` frees; its count is the text's.
        let buffer = UnsafeMutableBufferPointer(start: allocated.baseAddress, count: bytes.count)
        texts[index] = buffer
        return UnsafeBufferPointer(buffer)
    }

    func isNull(_ index: Int32) -> Bool {
        cell(index)?.bytes == nil
    }

    func columnName(_ index: Int32) -> String {
        cell(index)?.columnName ?? ""
    }

    var columnCount: Int32 {
        guard let rows, let first = rows.first else { return 0 }
        return Int32(first.count)
    }

    func addColumn(_ index: Int32, to digest: inout ProjectionDigest) {
        guard let cell = cell(index), cell.bytes != nil else {
            digest.addNull()
            return
        }
        switch cell.dataType {
        case .int2, .int4, .int8: digest.add(integer: int64(index))
        case .float4, .float8: digest.add(real: (try? cell.decode(Double.self)) ?? 0)
        case .bytea:
            let bytes = blob(index)
            bytes.withUnsafeBytes { digest.add(text: $0, isBlob: true) }
        default:
            digest.add(text: UnsafeRawBufferPointer(unsafeText(index)))
        }
    }
}
