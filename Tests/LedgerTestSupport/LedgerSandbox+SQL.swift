import Foundation
import LedgerStore

extension LedgerSandbox {
    /// The rows of `sql`, run straight on the ledger's database behind the ledger's back
    /// (SQLite for a file, `psql` for a server), each row's columns joined by `|`.
    public func rawQuery(_ sql: String) throws -> [String] {
        if let serverDatabase {
            return try TestServer.query(sql, database: serverDatabase).split(separator: "\n").map(String.init)
        }
        guard FileManager.default.fileExists(atPath: database) else { return [] }
        let statement = try SQLiteDatabase(path: database, mode: .readOnly).prepare(sql)
        var rows: [String] = []
        while try statement.step() {
            rows.append((0..<statement.columnCount).map { statement.string($0) }.joined(separator: "|"))
        }
        return rows
    }

    /// Runs `sql` on the ledger's database as an attacker who holds the file, or owns the
    /// server's tables, would: the guards of the log (its triggers) removed first, and put
    /// back afterwards, as a careful attacker leaves them (`verify` reports a missing guard;
    /// `LogGuardTests` tests that).
    public func tamper(_ sql: String) throws {
        if let serverDatabase {
            try TestServer.run(
                "ALTER TABLE events DISABLE TRIGGER USER; " + sql + "; ALTER TABLE events ENABLE TRIGGER USER;",
                database: serverDatabase)
            return
        }
        let file = try SQLiteDatabase(path: database, mode: .readWrite)
        let triggers = try rawQuery("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")
        try file.execute("DROP TRIGGER events_refuse_update; DROP TRIGGER events_refuse_delete; " + sql)
        for trigger in triggers { try file.execute(trigger) }
    }

    /// How many events the log holds (0 when there is no ledger yet).
    public func storedCount() throws -> Int {
        if serverDatabase != nil {
            let exists = try rawQuery("SELECT to_regclass('events') IS NOT NULL").first == "t"
            guard exists else { return 0 }
        }
        return try rawQuery("SELECT count(*) FROM events").first.flatMap { Int($0) } ?? 0
    }

    /// The stored events' ids, in `seq` order.
    public func storedIDs() throws -> [String] {
        try rawQuery("SELECT id FROM events ORDER BY seq")
    }
}
