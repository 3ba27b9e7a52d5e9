import Foundation
import LedgerDomain
import NIOCore
import PostgresNIO

/// A value bound to a statement on a server.
enum ServerValue: Hashable {
    case text(String)
    case integer(Int64)
    case bytes([UInt8])
    case null

    func append(to bindings: inout PostgresBindings) {
        switch self {
        case .text(let text): bindings.append(text)
        case .integer(let integer): bindings.append(integer)
        case .bytes(let bytes): bindings.append(ByteBuffer(bytes: bytes))
        case .null: bindings.appendNull()
        }
    }

    /// Roughly how many bytes it sends.
    var size: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .bytes(let bytes): bytes.count
        case .integer, .null: 8
        }
    }
}

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
        ServerStatement(connection: connection, sql: sql, mode: .rows)
    }

    func prepareScan(_ sql: String) throws -> any SQLStatement {
        ServerStatement(connection: connection, sql: sql, mode: .scan)
    }

    func prepareWrite(_ sql: String, changing table: String) throws -> any SQLStatement {
        ServerStatement(connection: connection, sql: sql, mode: .held(table: table))
    }

    func prepareInsert(_ insert: RowInsert) throws -> any SQLStatement {
        ServerStatement(connection: connection, sql: insert.sql(rows: 1) { "?\($0)" }, mode: .heldRow(insert))
    }

    func rollback() {
        connection.rollback()
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
/// it, bound, when it steps; its rows are then read one by one. A write is held by the
/// connection and sent with the others (`ServerConnection.hold`).
final class ServerStatement: SQLStatement {
    /// How a statement is sent, and its rows read.
    enum Mode {
        /// At its first step; all its rows at once.
        case rows
        /// Through a cursor, a batch of rows at a time (`prepareScan`).
        case scan
        /// Held, with the other writes, as a statement changing `table`.
        case held(table: String)
        /// Held, with the other rows of the same insert.
        case heldRow(RowInsert)
    }

    let sql: String
    private let serverSQL: String
    /// The SQLite parameter number behind each `$k`.
    private let parameters: [Int32]
    private let connection: ServerConnection
    private let mode: Mode
    /// The open cursor of a scan, and whether its last batch was the end.
    private var cursor: String?
    private var isLastBatch = false
    static let scanBatch = 1_000
    private var values: [Int32: ServerValue] = [:]
    private var rows: [PostgresRandomAccessRow]?
    private var position = -1
    /// The text of the current row's columns that `unsafeText` gave out: kept, and freed,
    /// when the statement steps or resets.
    private var texts: [Int32: UnsafeMutableBufferPointer<UInt8>] = [:]

    init(connection: ServerConnection, sql: String, mode: Mode) {
        self.connection = connection
        self.sql = sql
        self.mode = mode
        (serverSQL, parameters) = ServerDatabase.translated(sql)
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

    /// The bound values in the order of the server's `$k` (an unbound one NULL).
    private var boundValues: [ServerValue] {
        parameters.map { values[$0] ?? .null }
    }

    @discardableResult
    func step() throws -> Bool {
        freeTexts()
        switch mode {
        case .held(let table):
            try connection.hold(.statement(table: table, sql: serverSQL, values: boundValues))
            return false
        case .heldRow(let insert):
            try connection.hold(.row(insert, values: boundValues))
            return false
        case .rows, .scan:
            break
        }
        if rows == nil {
            var bindings = PostgresBindings()
            for value in boundValues { value.append(to: &bindings) }
            if case .scan = mode {
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
