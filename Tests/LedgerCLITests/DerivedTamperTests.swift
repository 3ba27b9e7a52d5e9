import Foundation
import LedgerStore
import LedgerTestSupport
import Testing

/// Every stored table but the log is derived from it: an edit of any column of any row,
/// a deleted row or an extra row must make `verify` fail, whatever table it is in.
@Suite struct DerivedTamperTests {
    struct Column {
        var table: String
        var name: String
    }

    /// The derived tables of a ledger file and their columns, read from the file itself, so
    /// that a table added later is covered without changing this test.
    func derivedColumns(_ path: String) throws -> (tables: [String: [String]], keys: [String: [String]]) {
        let database = try SQLiteDatabase(path: path, mode: .readOnly)
        let names = try database.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'events' AND name NOT LIKE 'sqlite_%'")
        var tables: [String: [String]] = [:]
        var keys: [String: [String]] = [:]
        while try names.step() {
            let table = names.string(0)
            let info = try database.prepare("SELECT name, pk FROM pragma_table_info('\(table)') ORDER BY cid")
            var columns: [String] = []
            var primary: [(Int64, String)] = []
            while try info.step() {
                columns.append(info.string(0))
                if info.int64(1) > 0 { primary.append((info.int64(1), info.string(0))) }
            }
            tables[table] = columns
            keys[table] = primary.isEmpty ? ["rowid"] : primary.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return (tables, keys)
    }

    /// A copy of the seeded ledger, changed by `sql`; true when `sql` changed a row.
    func tampered(_ sandbox: LedgerSandbox, _ name: String, _ sql: String) throws -> String? {
        let copy = sandbox.path(name)
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: sandbox.database, toPath: copy)
        let database = try SQLiteDatabase(path: copy, mode: .readWrite)
        do {
            try database.execute(sql)
        } catch {
            return nil  // a key collision: the caller tries another row
        }
        return database.changes > 0 ? copy : nil
    }

    func expectVerifyFails(_ sandbox: LedgerSandbox, _ copy: String, _ what: String) throws {
        let result = try sandbox.run(["verify", "--db", copy], db: false)
        #expect(result.status == 1, "verify did not catch: \(what): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: verify: "), "\(what): \(result.stderr)")
    }

    @Test func everyColumnOfEveryDerivedTableIsCovered() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        // Designations with identifiers and amendments, so the screening index has rows of each
        // kind, and a compliance report, so the obligations counts have rows.
        try sandbox.write(
            "more.ndjson",
            #"""
            {"id":"d-x","type":"designation.added","stream":"designation/x","occurred_on":"2020-01-01","source":{"publisher":"P"},"data":{"list":"L","entity":"Xavier Holdings","entity_type":"organization","aliases":["XH"],"identifiers":[{"kind":"eth_address","value":"0x1111111111111111111111111111111111111111"}]}}
            {"id":"d-x-a","type":"designation.amended","stream":"designation/x","occurred_on":"2021-01-01","source":{"publisher":"P"},"data":{"add_aliases":["Xav"]}}
            {"id":"d-x-c","type":"event.corrected","stream":"designation/x","occurred_on":"2021-02-01","source":{"publisher":"Q"},"data":{"target":"d-x-a","patch":{"add_aliases":["Xavi"]},"reason":"typo"}}
            {"id":"c-x","type":"compliance.reported","stream":"resolution/unsc-2397","occurred_on":"2020-03-01","source":{"publisher":"Test Panel","published_on":"2020-03-02"},"data":{"obligation":"repatriate-workers","party":"RU","status":"partial","summary":"Some workers remain"}}
            """#)
        #expect(try sandbox.run(["append", sandbox.path("more.ndjson")]).status == 0)
        #expect(try sandbox.run(["verify"]).status == 0)
        let (tables, keys) = try derivedColumns(sandbox.database)
        #expect(tables.count >= 3, "\(tables.keys)")
        var cases = 0
        for (table, columns) in tables.sorted(by: { $0.key < $1.key }) {
            let key = keys[table]!.joined(separator: ", ")
            let rows = try SQLiteDatabase(path: sandbox.database, mode: .readOnly).integer(
                "SELECT count(*) FROM \(table)")!
            #expect(rows > 0, "\(table) is empty")
            for column in columns {
                // A changed value of the same type: integers by one, text by a character, a blob
                // by a byte, NULL to 1.
                let changed = """
                    CASE typeof(\(column)) WHEN 'integer' THEN (CASE WHEN \(column) > 0 THEN \(column) - 1 ELSE \(column) + 1 END)
                    WHEN 'text' THEN \(column) || '~' WHEN 'blob' THEN CAST(\(column) || x'01' AS BLOB)
                    WHEN 'null' THEN 1 ELSE \(column) END
                    """
                var tried = 0
                for offset in [0, rows / 2, rows - 1] + Array(0..<rows) where tried < 3 {
                    let sql = """
                        UPDATE \(table) SET \(column) = \(changed)
                        WHERE (\(key)) = (SELECT \(key) FROM \(table) ORDER BY \(key) LIMIT 1 OFFSET \(offset))
                        """
                    guard let copy = try tampered(sandbox, "t.sqlite", sql) else { continue }
                    try expectVerifyFails(sandbox, copy, "\(table).\(column) of row \(offset)")
                    tried += 1
                    cases += 1
                }
                #expect(tried > 0, "no row of \(table) could be changed in \(column)")
            }
            for offset in [0, rows - 1] {
                let delete = """
                    DELETE FROM \(table) WHERE (\(key)) = (SELECT \(key) FROM \(table) ORDER BY \(key) LIMIT 1 OFFSET \(offset))
                    """
                let copy = try #require(try tampered(sandbox, "t.sqlite", delete))
                try expectVerifyFails(sandbox, copy, "row \(offset) of \(table) deleted")
                cases += 1
            }
            // An extra row: a copy of the first with every text value changed.
            let values = columns.map { "CASE typeof(\($0)) WHEN 'text' THEN \($0) || '~' ELSE \($0) END" }
            let insert = """
                INSERT INTO \(table) (\(columns.joined(separator: ", ")))
                SELECT \(values.joined(separator: ", ")) FROM \(table) ORDER BY \(key) LIMIT 1
                """
            if let copy = try tampered(sandbox, "t.sqlite", insert) {
                try expectVerifyFails(sandbox, copy, "an extra row in \(table)")
                cases += 1
            }
        }
        #expect(cases > 40)
    }

    @Test func anEditedAmountThatChangesTotalsIsCaught() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let columns = try derivedColumns(sandbox.database).tables
        // The totals at the log's head read the kept sums.
        let (table, _) = try #require(columns.first { $0.value.contains("amount_low") })
        let before = try sandbox.run(["report", "totals", "--as-of", "2023-06-01", "--format", "csv"]).stdout
        let copy = try #require(try tampered(sandbox, "t.sqlite", "UPDATE \(table) SET amount_low = amount_low + 1000"))
        let after = try sandbox.run(
            ["report", "totals", "--as-of", "2023-06-01", "--format", "csv", "--db", copy], db: false
        ).stdout
        #expect(before != after)
        try expectVerifyFails(sandbox, copy, "amount")
    }
}
