import Foundation
import LedgerDomain
import LedgerTestSupport
import PostgresNIO
import Testing

@testable import LedgerStore

@Suite struct ServerAddressTests {
    let environment = ["USER": "alice"]

    @Test func readsEveryPartOfAURL() throws {
        let address = try ServerAddress(url: "postgresql://bob:s%40cret@db.example.org:6543/ledger", environment: [:])
        #expect(address.user == "bob")
        #expect(address.password == "s@cret")
        #expect(address.host == "db.example.org")
        #expect(address.port == 6543)
        #expect(address.database == "ledger")
        #expect(address.socketPath == nil)
        #expect(address.description == "db.example.org:6543 database ledger")
    }

    @Test func fillsInWhatTheURLLeavesOut() throws {
        let address = try ServerAddress(
            url: "postgres://db/ledger", environment: ["USER": "alice", "PGPASSWORD": "from-env"])
        #expect(address.user == "alice")
        #expect(address.password == "from-env")
        #expect(address.port == 5432)
        let named = try ServerAddress(url: "postgres://db/ledger", environment: ["PGUSER": "carol", "USER": "alice"])
        #expect(named.user == "carol")
        #expect(named.password == nil)
    }

    @Test func readsASocketDirectoryAndAnIPv6Host() throws {
        let socket = try ServerAddress(url: "postgresql:///ledger?host=/run/postgresql", environment: environment)
        #expect(socket.host == nil)
        #expect(socket.socketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(socket.description == "/run/postgresql/.s.PGSQL.5432 database ledger")
        let v6 = try ServerAddress(url: "postgresql://u@[::1]:5433/ledger", environment: [:])
        #expect(v6.host == "::1")
        #expect(v6.port == 5433)
        #expect(v6.description == "[::1]:5433 database ledger")
    }

    @Test(arguments: [
        "postgresql://db", "postgresql://db/", "postgresql://db:0/ledger", "postgresql://db:port/ledger",
        "postgresql://db/ledger?sslmode=require", "postgresql://db/ledger?host=relative", "postgresql:///ledger",
        "postgresql://u%zz@db/ledger", "mysql://db/ledger",
    ])
    func refusesAMalformedURL(url: String) {
        #expect(throws: LedgerStoreError.self) { try ServerAddress(url: url, environment: environment) }
    }

    @Test func neverShowsThePassword() throws {
        let address = try ServerAddress(url: "postgresql://bob:hunter2@db/ledger", environment: [:])
        #expect(!address.description.contains("hunter2"))
        #expect(!String(describing: address.description).contains("bob:"))
    }
}

@Suite struct ScriptTests {
    /// A script is split at the semicolons between statements, not at those inside quotes
    /// or a function's dollar-quoted body.
    @Test func aScriptIsSplitBetweenStatements() {
        let script = """
            CREATE TABLE a (x text DEFAULT ';');
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no; never'; END $$;
            SELECT "odd;name" FROM a;  
            """
        let statements = ServerConnection.statements(in: script).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(
            statements == [
                "CREATE TABLE a (x text DEFAULT ';')",
                "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no; never'; END $$",
                "SELECT \"odd;name\" FROM a",
            ])
    }
}

/// Against the throwaway server `make test` starts.
@Suite struct ServerConnectionTests {
    func address(database: String = "postgres", password: String? = nil) throws -> ServerAddress {
        var address = try ServerAddress(url: try TestServer.url(database: database), environment: [:])
        address.password = try password ?? TestServer.password()
        return address
    }

    @Test func connectsAndRoundTripsParameters() throws {
        let connection = try ServerConnection(try address())
        let text = "Lazarus 김정은 \u{1F600} \"quoted\""
        let rows = try connection.query("SELECT \(text)::text, \(Int64(9_007_199_254_740_991))::bigint")
        let (echo, number) = try #require(rows.first).decode((String, Int64).self)
        #expect(echo == text)
        #expect(number == 9_007_199_254_740_991)
    }

    @Test func streamsALargeResultThroughACursor() throws {
        let connection = try ServerConnection(try address())
        var seen: [Int64] = []
        try connection.transaction {
            try connection.forEachRow(
                of: "SELECT n::bigint FROM generate_series(1, 10001) AS n ORDER BY n", batchSize: 1_000
            ) { row in
                seen.append(try row.decode(Int64.self))
            }
        }
        #expect(seen == Array(1...10_001))
    }

    @Test func aTransactionThatThrowsLeavesNothing() throws {
        let connection = try ServerConnection(try address())
        try connection.execute("CREATE TEMPORARY TABLE t (n bigint)")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                throw Stop()
            }
        }
        let count = try #require(try connection.query("SELECT count(*)::bigint FROM t").first).decode(Int64.self)
        #expect(count == 0)
    }

    @Test func aServerErrorKeepsItsSQLState() throws {
        let connection = try ServerConnection(try address())
        #expect {
            _ = try connection.query("SELECT * FROM no_such_table")
        } throws: { error in
            sqlState(of: error) == "42P01"
        }
    }

    @Test func aWrongPasswordIsRefusedWithoutShowingIt() throws {
        let refused = try address(password: "not-the-password")
        #expect {
            _ = try ServerConnection(refused)
        } throws: { error in
            guard case LedgerStoreError.serverUnavailable(let server, let reason) = error else { return false }
            return reason.contains("login refused") && !server.contains("not-the-password")
                && !reason.contains("not-the-password")
        }
    }

    @Test func aMissingDatabaseIsNamed() throws {
        #expect {
            _ = try ServerConnection(try address(database: "no_such_ledger"))
        } throws: { error in
            guard case LedgerStoreError.serverUnavailable(let server, let reason) = error else { return false }
            return reason == "no such database" && server.hasSuffix("database no_such_ledger")
        }
    }

    @Test func aServerThatIsNotThereCannotBeReached() throws {
        // Nothing listens on loopback's port 1: the connection is refused at once.
        var address = try address()
        address.port = 1
        #expect {
            _ = try ServerConnection(address, connectTimeout: 2)
        } throws: { error in
            guard case LedgerStoreError.serverUnavailable(_, let reason) = error else { return false }
            return reason.hasPrefix("cannot connect")
        }
    }

    @Test func connectsThroughTheSocketDirectory() throws {
        let url = "postgresql://ledger_test@/postgres?host=\(try TestServer.socketDirectory())"
        var address = try ServerAddress(url: url, environment: [:])
        address.port = try TestServer.port()
        let connection = try ServerConnection(address)
        let one = try #require(try connection.query("SELECT 1::bigint").first).decode(Int64.self)
        #expect(one == 1)
    }
}

/// The same SQL, through `SQLDatabase`, on SQLite and on the server.
@Suite struct ServerDatabaseTests {
    /// Parameters are numbered anew in order of first use, each standing for its SQLite
    /// number; one the SQL never uses is not sent at all.
    @Test func parametersAreWrittenTheServersWay() {
        let swapped = ServerDatabase.translated("SELECT a FROM t WHERE b = ?2 AND c = ?1 OR d = ?2")
        #expect(swapped.sql == "SELECT a FROM t WHERE b = $1 AND c = $2 OR d = $1")
        #expect(swapped.parameters == [2, 1])
        #expect(ServerDatabase.serverSQL("WHERE s = ? AND t = ?") == "WHERE s = $1 AND t = $2")
        let quoted = ServerDatabase.translated("SELECT '?1', \"?\" FROM t WHERE x = ?3")
        #expect(quoted.sql == "SELECT '?1', \"?\" FROM t WHERE x = $1")
        #expect(quoted.parameters == [3])
    }

    /// Rows written and read through the protocol give the same digest on both engines,
    /// NULLs, empty texts, other scripts and 64-bit integers included.
    @Test func bothEnginesGiveTheSameDigest() throws {
        let directory = try TemporaryDirectory()
        let file = try SQLiteDatabase(path: directory.path("d.sqlite"), mode: .readWriteCreate)
        let server = try testServerDatabase()
        try server.execute("CREATE TEMPORARY TABLE t (k bigint PRIMARY KEY, name text, amount bigint)")
        try file.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, name TEXT, amount INTEGER)")
        let rows: [(Int64, String?, Int64?)] = [
            (1, "Lazarus Group", 100), (2, nil, 9_007_199_254_740_991), (3, "", nil), (4, "김정은 \u{1F600}", -5),
            (5, "O'Brien \\ $ledger$ ; $1 ?2 '' \\x00", 7),
        ]
        func digest(_ database: any SQLDatabase) throws -> String {
            try database.transaction(immediate: false) {
                let insert = try database.prepare("INSERT INTO t (k, name, amount) VALUES (?1, ?2, ?3)")
                for (key, name, amount) in rows {
                    insert.reset()
                    try insert.bind(key, at: 1)
                    if let name { try insert.bind(name, at: 2) }
                    if let amount { try insert.bind(amount, at: 3) }
                    try insert.step()
                }
                insert.reset()
            }
            let select = try database.prepare("SELECT k, name, amount FROM t WHERE k >= ?1 ORDER BY k")
            try select.bind(Int64(1), at: 1)
            var digest = ProjectionDigest()
            digest.beginTable("t")
            var names: [String] = []
            while try select.step() {
                digest.beginRow()
                for column in Int32(0)..<3 { select.addColumn(column, to: &digest) }
                names.append(select.string(1))
            }
            #expect(names == ["Lazarus Group", "", "", "김정은 \u{1F600}", "O'Brien \\ $ledger$ ; $1 ?2 '' \\x00"])
            return digest.finalize()
        }
        #expect(try digest(server) == digest(file))
    }
}

/// Writes held back and sent together (`ServerConnection.hold`) do what they would have done
/// one by one: in order, with their values bound, rows of one insert joined only where no
/// held statement between changes their table and no read comes between.
@Suite struct HeldWriteTests {
    @Test func heldWritesKeepTheirOrderAndTheirValues() throws {
        let server = try testServerDatabase()
        try server.execute("CREATE TEMPORARY TABLE alpha (k bigint PRIMARY KEY, v text, b bytea)")
        try server.execute("CREATE TEMPORARY TABLE beta (k bigint PRIMARY KEY, n bigint)")
        try server.transaction(immediate: false) {
            let insert = try server.prepareInsert(RowInsert(into: "alpha", columns: ["k", "v", "b"]))
            let update = try server.prepareWrite("UPDATE alpha SET v = v || '+' WHERE k <= ?1", changing: "alpha")
            // It reads another table than it changes: not a held write.
            let copy = try server.prepare("INSERT INTO beta (k, n) VALUES (?1, (SELECT count(*) FROM alpha))")
            for k in Int64(1)...6 {
                insert.reset()
                try insert.bind(k, at: 1)
                try insert.bind("v\(k)'", at: 2)
                try insert.bind(blob: [0, 0x27, 0x5C, UInt8(k)], at: 3)
                try insert.step()
                if k == 3 {
                    update.reset()
                    try update.bind(Int64(2), at: 1)
                    try update.step()
                }
                copy.reset()
                try copy.bind(k, at: 1)
                try copy.step()
            }
        }
        let rows = try server.prepare("SELECT k, v, encode(b, 'hex') FROM alpha ORDER BY k")
        var seen: [String] = []
        while try rows.step() { seen.append("\(rows.int64(0)) \(rows.string(1)) \(rows.string(2))") }
        #expect(
            seen == [
                "1 v1'+ 00275c01", "2 v2'+ 00275c02", "3 v3' 00275c03", "4 v4' 00275c04", "5 v5' 00275c05",
                "6 v6' 00275c06",
            ])
        // Each copy saw the rows inserted before it, and none after.
        let counts = try server.prepare("SELECT n FROM beta ORDER BY k")
        var seenCounts: [Int64] = []
        while try counts.step() { seenCounts.append(counts.int64(0)) }
        #expect(seenCounts == [1, 2, 3, 4, 5, 6])
    }

    /// Rows of an updating insert that share a key go in separate statements, in order; many
    /// rows are cut into statements the server accepts; hostile text stays a bound value.
    @Test func heldRowsUpdateInOrderAndKeepHostileTextAsValues() throws {
        let server = try testServerDatabase()
        try server.execute("CREATE TEMPORARY TABLE tally (k text PRIMARY KEY, n bigint)")
        try server.execute("CREATE TEMPORARY TABLE many (k bigint PRIMARY KEY, v text)")
        let hostile = "O'Brien \\ $ledger$ ; $1 ?2 '' \\x00 ');DROP TABLE many;--"
        try server.transaction(immediate: false) {
            let add = try server.prepareInsert(
                RowInsert(
                    into: "tally", columns: ["k", "n"], conflict: .update(key: ["k"], set: "n = tally.n + excluded.n")))
            for (key, n) in [("a", 1), (hostile, 2), ("a", 10), ("b", 5), ("a", 100)] {
                add.reset()
                try add.bind(key, at: 1)
                try add.bind(Int64(n), at: 2)
                try add.step()
            }
            let row = try server.prepareInsert(RowInsert(into: "many", columns: ["k", "v"]))
            for k in Int64(1)...2_500 {
                row.reset()
                try row.bind(k, at: 1)
                try row.bind(hostile + String(k), at: 2)
                try row.step()
            }
        }
        let tally = try server.prepare("SELECT k, n FROM tally ORDER BY n")
        var seen: [String] = []
        while try tally.step() { seen.append("\(tally.string(0))=\(tally.int64(1))") }
        #expect(seen == ["\(hostile)=2", "b=5", "a=111"])
        let many = try server.prepare("SELECT count(*), min(v), max(k) FROM many WHERE v LIKE 'O''Brien%'")
        #expect(try many.step())
        #expect(many.int64(0) == 2_500)
        #expect(many.string(1) == hostile + "1")
        #expect(many.int64(2) == 2_500)
    }

    /// A held write that fails names its own statement, and its transaction leaves nothing.
    @Test func aFailedHeldWriteNamesItsStatementAndLeavesNothing() throws {
        let server = try testServerDatabase()
        try server.execute("CREATE TEMPORARY TABLE gamma (k bigint PRIMARY KEY)")
        #expect {
            try server.transaction(immediate: false) {
                let row = try server.prepareInsert(RowInsert(into: "gamma", columns: ["k"]))
                for k: Int64 in [1, 2, 2] {
                    row.reset()
                    try row.bind(k, at: 1)
                    try row.step()
                }
                _ = try server.integer("SELECT count(*) FROM gamma")
            }
        } throws: { error in
            guard case LedgerStoreError.database(let failure) = error else { return false }
            return failure.sqlState == "23505" && failure.sql.contains("INSERT INTO gamma")
        }
        #expect(try server.integer("SELECT count(*) FROM gamma") == 0)
    }
}

/// The ledger's tables on a fresh database of the throwaway server.
@Suite struct ServerSchemaTests {
    /// Runs `body` on a new, empty database, dropped afterwards.
    func withFreshDatabase(_ body: (ServerConnection) throws -> Void) throws {
        var admin = try ServerAddress(url: try TestServer.url(database: "postgres"), environment: [:])
        admin.password = try TestServer.password()
        let name = "ledger_\(UInt64.random(in: 0..<UInt64.max))"
        let server = try ServerConnection(admin)
        try server.execute("CREATE DATABASE \(name)")
        defer { try? server.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        var address = admin
        address.database = name
        try body(try ServerConnection(address))
    }

    @Test func creatingTheSchemaTwiceChangesNothing() throws {
        try withFreshDatabase { connection in
            try ServerSchema.create(on: connection)
            try connection.execute(
                """
                INSERT INTO events VALUES (1, 'e', 't', 's/x', 1, '2020-01-01', '2020-01-01', '{}', '{}', 'r', 'b', 'p', 'h')
                """)
            try ServerSchema.create(on: connection)
            let rows = try connection.query(
                "SELECT (SELECT count(*) FROM events)::bigint, (SELECT value FROM ledger_meta WHERE key = 'schema_version')"
            )
            let (events, version) = try #require(rows.first).decode((Int64, String).self)
            #expect(events == 1)
            #expect(version == String(Schema.latestVersion))
            let turns = try #require(try connection.query("SELECT count(*)::bigint FROM ledger_head").first)
            #expect(try turns.decode(Int64.self) == 1)
        }
    }

    /// The server refuses to change the log whoever asks: the test's role is a superuser.
    @Test func theServerRefusesToChangeTheLog() throws {
        try withFreshDatabase { connection in
            try ServerSchema.create(on: connection)
            try connection.execute(
                """
                INSERT INTO events VALUES (1, 'e', 't', 's/x', 1, '2020-01-01', '2020-01-01', '{}', '{}', 'r', 'b', 'p', 'h')
                """)
            for change in ["UPDATE events SET data = '{\"x\":1}'", "DELETE FROM events", "TRUNCATE events"] {
                #expect("\(change)") {
                    try connection.execute(change)
                } throws: { error in
                    sqlState(of: error) == "42501"
                }
            }
            let count = try #require(try connection.query("SELECT count(*)::bigint FROM events").first)
            #expect(try count.decode(Int64.self) == 1)
        }
    }
}

/// The SQLSTATE of a failure a server reported (as the store's one error type).
func sqlState(of error: any Error) -> String? {
    guard case LedgerStoreError.database(let failure) = error else { return nil }
    return failure.sqlState
}

/// A connection to the test server's maintenance database, as a ledger's store uses it.
func testServerDatabase() throws -> ServerDatabase {
    var address = try ServerAddress(url: try TestServer.url(database: "postgres"), environment: [:])
    address.password = try TestServer.password()
    return try ServerDatabase(try ServerConnection(address))
}
