/// Compiled statements kept for reuse by their SQL (as GRDB's `cachedStatement(sql:)`): each
/// comes back reset, ready to bind. Owned with its database by one thread at a time.
final class StatementCache {
    let database: any SQLDatabase

    /// What a statement was compiled for: how it is compiled again is part of its key.
    private enum Key: Hashable {
        case read(String)
        case write(String, table: String)
        case insert(RowInsert)
    }

    private var statements: [Key: any SQLStatement] = [:]

    init(database: any SQLDatabase) {
        self.database = database
    }

    /// A statement that reads (`SQLDatabase.prepare`).
    func statement(_ sql: String) throws -> any SQLStatement {
        try cached(.read(sql))
    }

    /// A statement that changes `table` and reads no other (`SQLDatabase.prepareWrite`).
    func write(_ sql: String, changing table: String) throws -> any SQLStatement {
        try cached(.write(sql, table: table))
    }

    /// The insert of one row (`SQLDatabase.prepareInsert`).
    func insert(_ insert: RowInsert) throws -> any SQLStatement {
        try cached(.insert(insert))
    }

    private func cached(_ key: Key) throws -> any SQLStatement {
        if let statement = statements[key] {
            statement.reset()
            return statement
        }
        let statement: any SQLStatement
        switch key {
        case .read(let sql): statement = try database.prepare(sql)
        case .write(let sql, let table): statement = try database.prepareWrite(sql, changing: table)
        case .insert(let insert): statement = try database.prepareInsert(insert)
        }
        statements[key] = statement
        return statement
    }

    /// Resets every kept statement (before COMMIT: a reading statement left mid-way holds its
    /// read open).
    func reset() {
        for statement in statements.values { statement.reset() }
    }
}
