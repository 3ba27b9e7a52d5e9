/// PostgreSQL's ways of the SQL that differs between engines.
struct ServerDialect: SQLDialect {
    /// The schema the ledger's tables are in (the connection's current schema).
    var storedSchema: String
    var freshSchema: String { "pg_temp" }

    /// The append turn is the lock on the one row of `ledger_head`, waited for at most the
    /// busy timeout (then SQLSTATE 55P03, exit 75). Under READ COMMITTED each later statement
    /// sees what the writer before committed, so the head read after the lock is the real one.
    var beginWrite: String {
        """
        BEGIN ISOLATION LEVEL READ COMMITTED;
        SET LOCAL lock_timeout = '\(ServerSchema.busyTimeoutMilliseconds)ms';
        SELECT one FROM ledger_head WHERE one = 1 FOR UPDATE
        """
    }

    var lookAheadEvents: Int { 500 }
    var appendNotification: String? { "NOTIFY \(AppendSignal.channel)" }

    func rowNumber(orderedBy order: String) -> String {
        "row_number() OVER (ORDER BY \(order))"
    }

    /// The JSON text of `column` with each `\u0000` escape written `\u0001`: PostgreSQL's
    /// JSON functions refuse an object holding `\u0000` anywhere (SQLSTATE 22P05), and the
    /// members these read (ids, codes and integers) never hold a backslash, so what they
    /// give is the same. (`\\u0000`, an escaped backslash, stays valid JSON either way.)
    static func withoutNUL(_ column: String) -> String {
        "replace(\(column), '\\u0000', '\\u0001')"
    }

    func jsonText(_ column: String, _ member: String) -> String {
        "(\(Self.withoutNUL(column))::json ->> '\(member)')"
    }

    func jsonInteger(_ column: String, _ member: String) -> String {
        "(\(Self.withoutNUL(column))::json ->> '\(member)')::bigint"
    }

    func position(of needle: String, in haystack: String) -> String {
        "strpos(\(haystack), \(needle))"
    }

    func derivedTables(in database: any SQLDatabase) throws -> [DerivedTable] {
        let statement = try database.prepare(
            """
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ?1 AND c.relkind = 'r' AND c.relname NOT IN ('events', 'ledger_meta', 'ledger_head')
            ORDER BY c.relname COLLATE "C"
            """)
        try statement.bind(storedSchema, at: 1)
        var tables: [DerivedTable] = []
        while try statement.step() { tables.append(DerivedTable(name: statement.string(0), sql: "", key: [])) }
        statement.reset()
        let columns = try database.prepare(
            """
            SELECT a.attname::text,
                   coalesce((SELECT k.n FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                             WHERE k.attnum = a.attnum), 0)::bigint AS pk
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
            WHERE n.nspname = ?1 AND c.relname = ?2 AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY pk, a.attnum
            """)
        for index in tables.indices {
            columns.reset()
            try columns.bind(storedSchema, at: 1)
            try columns.bind(tables[index].name, at: 2)
            tables[index].key = try DerivedTable.keyColumns(from: columns)
        }
        return tables
    }

    func createFreshTable(_ table: DerivedTable, in database: any SQLDatabase) throws {
        try database.execute("DROP TABLE IF EXISTS pg_temp.\(table.name)")
        try database.execute(
            "CREATE TEMP TABLE \(table.name) (LIKE \(storedSchema).\(table.name) INCLUDING ALL)")
    }

    func secondaryIndexes(in database: any SQLDatabase) throws -> [(name: String, create: String)] {
        let statement = try database.prepare(
            """
            SELECT i.relname::text, pg_get_indexdef(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = ?1 AND t.relname NOT IN ('events', 'ledger_meta', 'ledger_head')
              AND NOT x.indisprimary AND NOT x.indisunique
            ORDER BY i.relname
            """)
        try statement.bind(storedSchema, at: 1)
        var indexes: [(name: String, create: String)] = []
        while try statement.step() { indexes.append((statement.string(0), statement.string(1))) }
        return indexes
    }
}
