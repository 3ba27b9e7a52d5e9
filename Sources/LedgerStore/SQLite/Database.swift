import CSQLite

/// One SQLite connection. Owned by one task at a time; not `Sendable`.
public final class SQLiteDatabase: SQLDatabase {
    /// How a connection is opened.
    public enum Mode: Sendable {
        /// Read-only; the file must exist.
        case readOnly
        /// Read-write; the file must exist.
        case readWrite
        /// Read-write, creating the file if missing.
        case readWriteCreate
        /// Read-only on a file that nothing can change (read-only media): no `-wal` or
        /// `-shm` is looked for or made beside it.
        case readOnlyImmutable
    }

    let handle: OpaquePointer
    /// The path the connection was opened on.
    public let path: String

    /// Opens `path`. Extended result codes are on; `busyTimeout` is in milliseconds.
    /// How long a writer waits for another one's lock, in milliseconds (the contract's 5 s).
    public static let defaultBusyTimeout: Int32 = 5_000

    public init(path: String, mode: Mode, busyTimeout: Int32 = defaultBusyTimeout) throws(LedgerStoreError) {
        var flags: Int32 = SQLITE_OPEN_NOMUTEX
        var name = path
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnlyImmutable:
            flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
            name = "file:" + Self.uriPath(path) + "?immutable=1"
        }
        var pointer: OpaquePointer?
        let code = sqlite3_open_v2(name, &pointer, flags, nil)
        guard code == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            let extended = pointer.map { sqlite3_extended_errcode($0) } ?? code
            sqlite3_close_v2(pointer)
            throw LedgerStoreError.database(DatabaseFailure(sqliteCode: extended, message: message))
        }
        handle = pointer
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeout)
        if mode == .readWrite || mode == .readWriteCreate { Self.addHashBytesFunction(to: pointer) }
    }

    /// `ledger_hash_bytes(x)`, for migration 11: the 32 bytes that `x`'s 64 lowercase hex
    /// digits spell (`StoredHash`), or `x` as it is when it is anything else.
    private static func addHashBytesFunction(to handle: OpaquePointer) {
        let function: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
            context, _, arguments in
            guard let argument = arguments?[0] else { return sqlite3_result_null(context) }
            let count = Int(sqlite3_value_bytes(argument))
            if sqlite3_value_type(argument) == SQLITE_TEXT, count == 64, let text = sqlite3_value_text(argument),
                let bytes = StoredHash.bytes(hex: UnsafeBufferPointer(start: text, count: count))
            {
                return sqlite3_result_blob(context, bytes, 32, SQLiteStatement.transient)
            }
            sqlite3_result_value(context, argument)
        }
        sqlite3_create_function_v2(
            handle, "ledger_hash_bytes", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, function, nil, nil, nil)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// `path` as the path of a `file:` URI: every byte but unreserved ones and `/` escaped.
    static func uriPath(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = String(byte, radix: 16, uppercase: true)
                result += "%" + (byte < 16 ? "0" : "") + digits
            }
        }
        return result
    }

    /// The failure just reported on this connection, as the store's error.
    func error(_ code: Int32, sql: String = "") -> LedgerStoreError {
        .database(
            DatabaseFailure(
                sqliteCode: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql
            ))
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(LedgerStoreError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, sql: sql) }
    }

    /// Compiles one statement.
    public func prepare(_ sql: String) throws(LedgerStoreError) -> any SQLStatement {
        var pointer: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &pointer, nil)
        guard code == SQLITE_OK, let pointer else { throw error(code, sql: sql) }
        return SQLiteStatement(database: self, handle: pointer, sql: sql)
    }

    public var dialect: any SQLDialect { SQLiteDialect() }

    /// A file writes as it goes: the same as `prepare`.
    public func prepareWrite(_ sql: String, changing table: String) throws -> any SQLStatement {
        try prepare(sql)
    }

    /// `INSERT INTO table (columns) VALUES (?1, …)`, written as it goes.
    public func prepareInsert(_ insert: RowInsert) throws -> any SQLStatement {
        try prepare(insert.sql(rows: 1) { "?\($0)" })
    }

    public func rollback() {
        try? execute("ROLLBACK")
    }

    /// SQLite steps through the rows as they are read: the same as `prepare`.
    public func prepareScan(_ sql: String) throws -> any SQLStatement {
        try prepare(sql)
    }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE` when `immediate`, taking the write
    /// lock at once): commits when it returns, rolls back when it throws.
    public func transaction<Result>(immediate: Bool, _ body: () throws -> Result) throws -> Result {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            rollback()
            throw error
        }
    }

    /// How many rows the last INSERT, UPDATE or DELETE changed.
    public var changes: Int32 { sqlite3_changes(handle) }

}
