import CSQLite
import LedgerDomain

/// A prepared statement, reused across rows; reset before each new use.
public final class SQLiteStatement: SQLStatement {
    let database: SQLiteDatabase
    let handle: OpaquePointer
    /// The SQL it was compiled from, for error messages.
    public let sql: String

    // SQLITE_TRANSIENT does not import into Swift.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(database: SQLiteDatabase, handle: OpaquePointer, sql: String) {
        self.database = database
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and clears its bindings, ready for another use.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private func check(_ code: Int32) throws(LedgerStoreError) {
        guard code == SQLITE_OK else { throw database.error(code, sql: sql) }
    }

    /// Binds text to parameter `index` (1-based), with its byte length: a NUL inside the
    /// text is stored as part of it, never taken for its end.
    public func bind(_ value: String, at index: Int32) throws(LedgerStoreError) {
        var text = value
        try check(text.withUTF8 { bindText($0, at: index) })
    }

    /// Binds UTF-8 bytes as text to parameter `index` (1-based).
    public func bind(utf8 value: [UInt8], at index: Int32) throws(LedgerStoreError) {
        try check(value.withUnsafeBufferPointer { bindText($0, at: index) })
    }

    /// Binds UTF-8 bytes as text without copying them (`SQLITE_STATIC`): the caller keeps
    /// them alive and unchanged until the statement is stepped and reset.
    public func bind(staticText buffer: UnsafeBufferPointer<UInt8>, at index: Int32) throws(LedgerStoreError) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else {
            try check(sqlite3_bind_text(handle, index, "", 0, Self.transient))
            return
        }
        try check(
            sqlite3_bind_text(
                handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(buffer.count), nil))
    }

    private func bindText(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int32) -> Int32 {
        guard let base = buffer.baseAddress, !buffer.isEmpty else {
            return sqlite3_bind_text(handle, index, "", 0, Self.transient)  // empty text, not NULL
        }
        return sqlite3_bind_text(
            handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(buffer.count),
            Self.transient)
    }

    /// Binds bytes as a blob to parameter `index` (1-based).
    public func bind(blob value: [UInt8], at index: Int32) throws(LedgerStoreError) {
        try check(
            value.withUnsafeBytes { buffer in
                sqlite3_bind_blob(
                    handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count),
                    Self.transient)
            })
    }

    /// Column `index` (0-based) of the current row as bytes (empty for NULL).
    public func blob(_ index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard let pointer = sqlite3_column_blob(handle, index), count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Binds an integer to parameter `index` (1-based).
    public func bind(_ value: Int64, at index: Int32) throws(LedgerStoreError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Steps once: true when a row is ready, false when done.
    @discardableResult
    public func step() throws(LedgerStoreError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Column `index` (0-based) of the current row as an integer.
    public func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// Column `index` (0-based) of the current row as text ("" for NULL).
    public func string(_ index: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Calls `body` with the bytes of column `index` (0-based) of the current row as text,
    /// without copying them: valid only during the call.
    public func withText<Result>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
        -> Result
    {
        let pointer = sqlite3_column_text(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    /// The bytes of column `index` (0-based) of the current row as text, without copying
    /// them: valid only until the statement steps, resets or reads the column as another type.
    public func unsafeText(_ index: Int32) -> UnsafeBufferPointer<UInt8> {
        let pointer = sqlite3_column_text(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return UnsafeBufferPointer(start: pointer, count: pointer == nil ? 0 : count)
    }

    /// The name of column `index` (0-based).
    public func columnName(_ index: Int32) -> String {
        sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
    }

    /// How many columns a row of this statement has.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Adds column `index` of the current row to `digest`, with its type.
    public func addColumn(_ index: Int32, to digest: inout ProjectionDigest) {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: digest.add(integer: sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: digest.add(real: sqlite3_column_double(handle, index))
        case SQLITE_NULL: digest.addNull()
        case SQLITE_BLOB:
            let pointer = sqlite3_column_blob(handle, index)
            let count = Int(sqlite3_column_bytes(handle, index))
            digest.add(text: UnsafeRawBufferPointer(start: pointer, count: count), isBlob: true)
        default:
            let pointer = sqlite3_column_text(handle, index)
            let count = Int(sqlite3_column_bytes(handle, index))
            digest.add(text: UnsafeRawBufferPointer(start: pointer, count: count))
        }
    }

    /// Whether column `index` of the current row is NULL.
    public func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }
}
