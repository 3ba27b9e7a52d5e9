import Foundation

/// The throwaway PostgreSQL server `make test` starts (`Tests/with-postgres`), as its
/// environment describes it. A server test that finds none fails, saying why: it never
/// passes without a server.
public enum TestServer {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "no test server: LEDGER_TEST_PG_URL is not set; run the tests with make test (Tests/with-postgres)"
        }
    }

    /// `postgresql://ledger_test@127.0.0.1:PORT/postgres`.
    public static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["LEDGER_TEST_PG_URL"] else { throw Missing() }
        return url
    }

    /// The superuser's password, for logins over TCP.
    public static func password() throws -> String {
        guard let password = ProcessInfo.processInfo.environment["LEDGER_TEST_PG_PASSWORD"] else { throw Missing() }
        return password
    }

    /// The directory of the server's Unix socket (trusted local logins).
    public static func socketDirectory() throws -> String {
        guard let directory = ProcessInfo.processInfo.environment["LEDGER_TEST_PG_SOCKET"] else { throw Missing() }
        return directory
    }

    /// The server's port.
    public static func port() throws -> Int {
        let url = try url()
        guard let colon = url.lastIndex(of: ":"), let slash = url.lastIndex(of: "/"),
            let port = Int(url[url.index(after: colon)..<slash])
        else { throw Missing() }
        return port
    }

    /// The URL of database `name` on the test server's hot standby (read-only).
    public static func standbyURL(database name: String) throws -> String {
        guard let url = ProcessInfo.processInfo.environment["LEDGER_TEST_PG_STANDBY_URL"],
            let slash = url.lastIndex(of: "/")
        else { throw Missing() }
        return url[...slash] + name
    }

    /// The URL of database `name` on the test server.
    public static func url(database name: String) throws -> String {
        let url = try url()
        guard let slash = url.lastIndex(of: "/") else { throw Missing() }
        return url[...slash] + name
    }

    /// Runs one statement as the test server's superuser, through `psql`.
    public static func run(_ sql: String, database: String = "postgres") throws {
        _ = try query(sql, database: database)
    }

    /// Runs SQL as the test server's superuser, through `psql`, and returns what it printed:
    /// one line per row, columns separated by `|`.
    public static func query(_ sql: String, database: String = "postgres") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(try port()), "-U",
            "ledger_test", "-d", database, "-c", sql,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = try password()
        process.environment = environment
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("psql-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errors = try FileHandle(forWritingTo: errorFile)
        let output = Pipe()
        process.standardError = errors
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try errors.close()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw Failed(sql: sql, message: message)
        }
        return printed
    }

    /// A statement `psql` could not run.
    public struct Failed: Error, CustomStringConvertible {
        public var sql: String
        public var message: String
        public var description: String { "psql: \(sql): \(message)" }
    }

    /// Creates an empty database on the test server.
    public static func createDatabase(_ name: String) throws {
        try run("CREATE DATABASE \(name)")
    }

    /// Drops a database of the test server, closing its connections.
    public static func dropDatabase(_ name: String) throws {
        try run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}
