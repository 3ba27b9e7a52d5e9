import CSQLite

/// What went wrong in the database underneath a ledger, whichever engine said so. Each
/// engine turns its own codes into a kind where it talks to its database (SQLite's result
/// codes in `SQLiteDatabase` and `SQLiteStatement`, the server's SQLSTATE in
/// `ServerConnection`), and throws it as `LedgerStoreError.database`: the one store error
/// type, which the CLI maps to exit codes in one place.
public struct DatabaseFailure: Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Another writer held the lock past the busy timeout (or a lock timeout, a deadlock).
        case busy
        /// A write asked of a read replica (a server's hot standby).
        case readReplica
        /// The storage underneath failed: disk full, an I/O error, a file that cannot be
        /// opened or written (read-only media), the server out of resources or going away.
        case io
        /// Not a database, or one whose pages are damaged.
        case corrupt
        /// The role may not do this (a reader appending, a writer rebuilding the views).
        case permissionDenied
        /// A key or a rule of the schema refused a write (a unique key, the log's guards).
        case conflict
        /// Anything else: SQL of ours that the engine refused, a bug.
        case other
    }

    public var kind: Kind
    /// The engine's own code: `SQLite 1811` (the extended result code), `SQLSTATE 42501`.
    public var code: String
    public var message: String
    /// The SQL that failed (SQLite; on a server, where it helps: never values).
    public var sql: String
    /// Whether a file could not be opened as asked, or its companion files not made (a
    /// read-only directory or medium).
    public var isCannotOpen = false

    public var description: String {
        sql.isEmpty ? "\(message) (\(code))" : "\(message) (\(code), in \(sql))"
    }
}

extension DatabaseFailure {
    /// A failure SQLite reported with its extended result code.
    init(sqliteCode code: Int32, message: String, sql: String = "") {
        let primary = code & 0xFF
        switch primary {
        case SQLITE_BUSY, SQLITE_LOCKED: kind = .busy
        case SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM: kind = .io
        case SQLITE_NOTADB, SQLITE_CORRUPT: kind = .corrupt
        case SQLITE_CONSTRAINT: kind = .conflict
        default: kind = .other
        }
        self.code = "SQLite \(code)"
        self.message = message
        self.sql = sql
        isCannotOpen = primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY
    }

    /// A failure a PostgreSQL server reported with its SQLSTATE.
    init(sqlState state: String, message: String, sql: String) {
        switch state {
        case "25006": kind = .readReplica
        case "55P03", "57014", "40P01", "40001": kind = .busy
        case "42501": kind = .permissionDenied
        case "XX001", "XX002": kind = .corrupt
        case _ where state.hasPrefix("53") || state.hasPrefix("58") || state.hasPrefix("08") || state.hasPrefix("57P"):
            kind = .io
        case _ where state.hasPrefix("23"): kind = .conflict
        default: kind = .other
        }
        code = "SQLSTATE \(state)"
        self.message = message
        self.sql = sql
    }

    /// The server's SQLSTATE, if a server reported it.
    public var sqlState: String? {
        code.hasPrefix("SQLSTATE ") ? String(code.dropFirst("SQLSTATE ".count)) : nil
    }
}
