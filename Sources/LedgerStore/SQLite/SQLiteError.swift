import CSQLite

/// A failure reported by SQLite, with its extended result code and the SQL that failed.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code (`sqlite3_extended_errcode`).
    public var code: Int32
    public var message: String
    public var sql: String

    public init(code: Int32, message: String, sql: String = "") {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte of the extended one).
    public var primaryCode: Int32 { code & 0xFF }

    /// Whether another connection held the lock past the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// Whether the failure is of the storage underneath: disk full, I/O, read-only.
    public var isIO: Bool {
        [SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM].contains(primaryCode)
    }

    /// Whether the file could not be opened as asked, or its companion files not made (a
    /// read-only directory or medium).
    public var isCannotOpen: Bool { primaryCode == SQLITE_CANTOPEN || primaryCode == SQLITE_READONLY }

    /// Whether the file is not an SQLite database at all.
    public var isNotADatabase: Bool { primaryCode == SQLITE_NOTADB || primaryCode == SQLITE_CORRUPT }

    public var description: String {
        sql.isEmpty ? "SQLite error \(code): \(message)" : "SQLite error \(code): \(message) (in \(sql))"
    }
}
