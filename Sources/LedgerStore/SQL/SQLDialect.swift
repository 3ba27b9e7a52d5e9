/// The SQL that differs between the engines a ledger can live in: everything else is the same
/// statements on both. Each engine has its own, beside it (`SQLiteDialect`, `ServerDialect`).
public protocol SQLDialect {
    /// The schema that holds the stored views (`main`, or the server's current schema).
    var storedSchema: String { get }
    /// The schema of the temporary tables that shadow the stored views on this connection
    /// while a fresh replay is built beside them (`temp`, `pg_temp`).
    var freshSchema: String { get }
    /// Statements that open a writing transaction and take the append turn: the one writer
    /// at a time, waiting at most the busy timeout (contract section 7).
    var beginWrite: String { get }
    /// How many events a batch reads ahead for at once (`EventAppender.lookAhead`): 1 where a
    /// read costs no round trip (a file), more on a server, where each read is one.
    var lookAheadEvents: Int { get }
    /// What a batch that stored events runs before its COMMIT so that listeners hear of it
    /// (PostgreSQL's NOTIFY, delivered on commit); nil where no one can listen (a file).
    var appendNotification: String? { get }
    /// An expression for the integer key of each row an `INSERT … SELECT … ORDER BY order`
    /// adds to an emptied table: 1, 2, 3, … in that order.
    func rowNumber(orderedBy order: String) -> String
    /// An expression: the text member `member` of the JSON object in `column`.
    func jsonText(_ column: String, _ member: String) -> String
    /// An expression: the integer member `member` of the JSON object in `column`.
    func jsonInteger(_ column: String, _ member: String) -> String
    /// An expression: the 1-based position of `needle` in `haystack`, 0 when absent.
    func position(of needle: String, in haystack: String) -> String
    /// The derived tables of `schema` (every table but the log and the engine's own), in
    /// name order, with their key columns.
    func derivedTables(in database: any SQLDatabase) throws -> [DerivedTable]
    /// Creates, in `freshSchema`, an empty table shaped as the stored `table`.
    func createFreshTable(_ table: DerivedTable, in database: any SQLDatabase) throws
    /// The stored views' secondary indexes (not those of keys): names and the statements
    /// that create them again.
    func secondaryIndexes(in database: any SQLDatabase) throws -> [(name: String, create: String)]
}

/// A derived table: its name, its `CREATE TABLE` statement where the engine keeps it, and its
/// key columns.
public struct DerivedTable: Sendable {
    public var name: String
    public var sql: String
    public var key: [String]
}

extension DerivedTable {
    /// The key columns read from `statement`'s rows of (column name, its position in the
    /// primary key or 0), in key order; all the columns when the table has no primary key.
    static func keyColumns(from statement: any SQLStatement) throws -> [String] {
        var all: [String] = []
        var key: [String] = []
        while try statement.step() {
            all.append(statement.string(0))
            if statement.int64(1) > 0 { key.append(statement.string(0)) }
        }
        return key.isEmpty ? all : key
    }
}
