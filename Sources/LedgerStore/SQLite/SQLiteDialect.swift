/// SQLite's ways of the SQL that differs between engines.
struct SQLiteDialect: SQLDialect {
    var storedSchema: String { "main" }
    var freshSchema: String { "temp" }
    var beginWrite: String { "BEGIN IMMEDIATE" }
    var lookAheadEvents: Int { 1 }
    var appendNotification: String? { nil }

    /// NULL: an `INTEGER PRIMARY KEY` takes the next rowid, in the order of the insert,
    /// without the window function's sort.
    func rowNumber(orderedBy order: String) -> String {
        "NULL"
    }

    func jsonText(_ column: String, _ member: String) -> String {
        "json_extract(\(column), '$.\(member)')"
    }

    func jsonInteger(_ column: String, _ member: String) -> String {
        "json_extract(\(column), '$.\(member)')"
    }

    func position(of needle: String, in haystack: String) -> String {
        "instr(\(haystack), \(needle))"
    }

    func derivedTables(in database: any SQLDatabase) throws -> [DerivedTable] {
        let statement = try database.prepare(
            """
            SELECT name, sql FROM main.sqlite_master
            WHERE type = 'table' AND name <> 'events' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """)
        var tables: [DerivedTable] = []
        while try statement.step() {
            tables.append(DerivedTable(name: statement.string(0), sql: statement.string(1), key: []))
        }
        for index in tables.indices {
            let columns = try database.prepare(
                "SELECT name, pk FROM pragma_table_info(?1, 'main') ORDER BY pk, cid")
            try columns.bind(tables[index].name, at: 1)
            tables[index].key = try DerivedTable.keyColumns(from: columns)
        }
        return tables
    }

    func createFreshTable(_ table: DerivedTable, in database: any SQLDatabase) throws {
        // SQLite keeps the statement as it was written: our migrations' `CREATE TABLE name (…`.
        guard table.sql.hasPrefix("CREATE TABLE ") else { throw LedgerStoreError.corruptView(stream: table.name) }
        try database.execute("DROP TABLE IF EXISTS temp.\(table.name)")
        try database.execute("CREATE TEMP TABLE " + table.sql.dropFirst("CREATE TABLE ".count))
    }

    func secondaryIndexes(in database: any SQLDatabase) throws -> [(name: String, create: String)] {
        let statement = try database.prepare(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name <> 'events'"
        )
        var indexes: [(name: String, create: String)] = []
        while try statement.step() { indexes.append((statement.string(0), statement.string(1))) }
        return indexes
    }
}
