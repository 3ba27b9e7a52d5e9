import Testing

@testable import LedgerStore

/// Both engines throw the store's one error type, their codes mapped to the same kinds where
/// they talk to their database; the CLI maps the kinds once.
@Suite struct DatabaseFailureTests {
    @Test(
        arguments: [
            (Int32(5), DatabaseFailure.Kind.busy),  // SQLITE_BUSY
            (6, .busy),  // SQLITE_LOCKED
            (13, .io),  // SQLITE_FULL
            (10 | (3 << 8), .io),  // SQLITE_IOERR_WRITE
            (8, .io),  // SQLITE_READONLY
            (14, .io),  // SQLITE_CANTOPEN
            (26, .corrupt),  // SQLITE_NOTADB
            (11, .corrupt),  // SQLITE_CORRUPT
            (19 | (8 << 8), .conflict),  // SQLITE_CONSTRAINT_UNIQUE
            (1, .other),  // SQLITE_ERROR
        ] as [(Int32, DatabaseFailure.Kind)])
    func sqliteCodesMapToKinds(code: Int32, kind: DatabaseFailure.Kind) {
        let failure = DatabaseFailure(sqliteCode: code, message: "m")
        #expect(failure.kind == kind)
        #expect(failure.code == "SQLite \(code)")
        #expect(failure.sqlState == nil)
    }

    @Test(arguments: [
        ("55P03", DatabaseFailure.Kind.busy), ("40P01", .busy), ("57014", .busy), ("40001", .busy),
        ("25006", .readReplica), ("42501", .permissionDenied), ("53100", .io), ("58030", .io),
        ("08006", .io), ("57P01", .io), ("XX001", .corrupt), ("23505", .conflict), ("42P01", .other),
    ])
    func serverStatesMapToKinds(state: String, kind: DatabaseFailure.Kind) {
        let failure = DatabaseFailure(sqlState: state, message: "m", sql: "")
        #expect(failure.kind == kind)
        #expect(failure.sqlState == state)
    }

    @Test func aFileThatCannotBeOpenedSaysSo() {
        #expect(DatabaseFailure(sqliteCode: 14, message: "").isCannotOpen)
        #expect(DatabaseFailure(sqliteCode: 8, message: "").isCannotOpen)
        #expect(!DatabaseFailure(sqliteCode: 10, message: "").isCannotOpen)
    }

    @Test func sqliteThrowsTheStoresError() throws {
        let database = try SQLiteDatabase(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
        try database.execute("INSERT INTO t VALUES (1)")
        #expect {
            try database.execute("INSERT INTO t VALUES (1)")
        } throws: { error in
            guard case LedgerStoreError.database(let failure) = error else { return false }
            return failure.kind == .conflict && failure.sql == "INSERT INTO t VALUES (1)"
        }
        #expect {
            _ = try database.prepare("SELECT * FROM no_such_table")
        } throws: { error in
            guard case LedgerStoreError.database(let failure) = error else { return false }
            return failure.kind == .other && failure.message.contains("no_such_table")
        }
    }
}
