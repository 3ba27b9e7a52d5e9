/// Compiled statements kept for reuse by their SQL (as GRDB's `cachedStatement(sql:)`): each
/// comes back reset, ready to bind. Owned with its database by one thread at a time.
final class StatementCache {
    let database: any SQLDatabase
    private var statements: [String: any SQLStatement] = [:]
    private var writes: [String: any SQLStatement] = [:]
    private var inserts: [RowInsert: any SQLStatement] = [:]

    init(database: any SQLDatabase) {
        self.database = database
    }

    /// A statement that reads (`SQLDatabase.prepare`).
    func statement(_ sql: String) throws -> any SQLStatement {
        if let statement = statements[sql] {
            statement.reset()
            return statement
        }
        let statement = try database.prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// A statement that changes `table` and reads no other (`SQLDatabase.prepareWrite`).
    func write(_ sql: String, changing table: String) throws -> any SQLStatement {
        if let statement = writes[sql] {
            statement.reset()
            return statement
        }
        let statement = try database.prepareWrite(sql, changing: table)
        writes[sql] = statement
        return statement
    }

    /// The insert of one row (`SQLDatabase.prepareInsert`).
    func insert(_ insert: RowInsert) throws -> any SQLStatement {
        if let statement = inserts[insert] {
            statement.reset()
            return statement
        }
        let statement = try database.prepareInsert(insert)
        inserts[insert] = statement
        return statement
    }

    /// Resets every kept statement (before COMMIT: a reading statement left mid-way holds its
    /// read open).
    func reset() {
        for statement in statements.values { statement.reset() }
        for statement in writes.values { statement.reset() }
        for statement in inserts.values { statement.reset() }
    }
}
