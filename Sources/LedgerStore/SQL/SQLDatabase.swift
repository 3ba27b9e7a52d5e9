import LedgerDomain

/// A connection to the database a ledger lives in: what the log, the stored views and the
/// screening index need of it, whichever engine runs it (`SQLiteDatabase` for a file,
/// `ServerDatabase` on a PostgreSQL server). Owned by one thread at a time; not `Sendable`.
public protocol SQLDatabase: AnyObject {
    /// The SQL that differs on this engine.
    var dialect: any SQLDialect { get }
    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws
    /// Compiles one statement, to be bound, stepped and reset as many times as needed.
    func prepare(_ sql: String) throws -> any SQLStatement
    /// Compiles a statement whose rows may be too many to hold at once (a pass over the log):
    /// its rows are read as they come, not gathered first. Stepped inside a transaction.
    func prepareScan(_ sql: String) throws -> any SQLStatement
    /// Compiles a statement that changes `table` and returns no rows. An engine may hold its
    /// runs back and send them with the transaction's other writes, before its next read and
    /// its commit (a server, where each statement is a round trip); its values stay bound.
    func prepareWrite(_ sql: String, changing table: String) throws -> any SQLStatement
    /// Compiles the insert of one row (parameters `1…columns.count`, in the columns' order).
    /// An engine may hold its runs back as `prepareWrite` does, and send the held rows of one
    /// insert together (a server: one multi-row insert, its values bound).
    func prepareInsert(_ insert: RowInsert) throws -> any SQLStatement
    /// Runs `body` in a transaction (one that takes the write lock at once when `immediate`):
    /// commits when it returns, rolls back when it throws.
    func transaction<Result>(immediate: Bool, _ body: () throws -> Result) throws -> Result
    /// Abandons the open transaction and the writes held for it; a failure to do so is
    /// ignored (the transaction ends with the connection anyway).
    func rollback()
}

/// The insert of one row of `columns` into `table`, as the writers of the log and the views
/// declare it: the engine writes its SQL, one row or many.
public struct RowInsert: Hashable, Sendable {
    /// How a row whose key is already stored is met.
    public enum Conflict: Hashable, Sendable {
        /// The statement fails (a constraint error).
        case fail
        /// The row is left out; the stored one stays.
        case ignore
        /// The stored row with the same `key` columns is updated by `set`, an `UPDATE SET`
        /// list that names the row's values `excluded.column` (no value written in).
        case update(key: [String], set: String)
    }

    public var table: String
    public var columns: [String]
    public var conflict: Conflict

    public init(into table: String, columns: [String], conflict: Conflict = .fail) {
        self.table = table
        self.columns = columns
        self.conflict = conflict
    }

    /// The statement for `rows` rows, each parameter written by `placeholder` from its
    /// 1-based number (`?N` on SQLite, `$N` on a server).
    func sql(rows: Int, placeholder: (Int) -> String) -> String {
        var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        sql += SQLList.rows(rows, width: columns.count, placeholder: placeholder)
        switch conflict {
        case .fail: break
        case .ignore: sql += " ON CONFLICT DO NOTHING"
        case .update(let key, let set): sql += " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(set)"
        }
        return sql
    }

    /// The positions among `columns` of the key of an updating insert (empty otherwise): two
    /// rows with one key cannot be in one multi-row statement.
    var keyPositions: [Int] {
        guard case .update(let key, _) = conflict else { return [] }
        return key.compactMap { columns.firstIndex(of: $0) }
    }
}

extension SQLDatabase {
    /// The first column of the first row of `sql`, as an integer (nil without a row).
    public func integer(_ sql: String) throws -> Int64? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.int64(0) : nil
    }

    /// Runs `body` in a transaction that takes the write lock at once.
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try transaction(immediate: true, body)
    }
}

/// A compiled statement: parameters are 1-based, columns 0-based.
public protocol SQLStatement: AnyObject {
    /// The SQL it was compiled from, for error messages.
    var sql: String { get }
    /// Resets the statement and clears its bindings, ready for another use.
    func reset()
    /// Binds text (a NUL inside it is part of it).
    func bind(_ value: String, at index: Int32) throws
    /// Binds UTF-8 bytes as text.
    func bind(utf8 value: [UInt8], at index: Int32) throws
    /// Binds UTF-8 bytes as text without copying them: the caller keeps them alive and
    /// unchanged until the statement is stepped and reset.
    func bind(staticText buffer: UnsafeBufferPointer<UInt8>, at index: Int32) throws
    /// Binds bytes as a blob.
    func bind(blob value: [UInt8], at index: Int32) throws
    /// Binds an integer.
    func bind(_ value: Int64, at index: Int32) throws
    /// Steps once: true when a row is ready, false when done.
    @discardableResult func step() throws -> Bool
    /// A column of the current row as an integer.
    func int64(_ index: Int32) -> Int64
    /// A column of the current row as text ("" for NULL).
    func string(_ index: Int32) -> String
    /// A column of the current row as bytes (empty for NULL).
    func blob(_ index: Int32) -> [UInt8]
    /// Calls `body` with a text column's bytes, valid only during the call.
    func withText<Result>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result
    /// A text column's bytes, valid until the statement steps, resets or reads the column otherwise.
    func unsafeText(_ index: Int32) -> UnsafeBufferPointer<UInt8>
    /// Whether a column of the current row is NULL.
    func isNull(_ index: Int32) -> Bool
    /// The name of a column.
    func columnName(_ index: Int32) -> String
    /// How many columns a row has (on a server, known once a row has been read).
    var columnCount: Int32 { get }
    /// Adds a column of the current row to `digest`, with its type.
    func addColumn(_ index: Int32, to digest: inout ProjectionDigest)
}
