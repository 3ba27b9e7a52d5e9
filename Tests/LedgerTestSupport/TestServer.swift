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

    /// The URL of database `name` on the test server.
    public static func url(database name: String) throws -> String {
        let url = try url()
        guard let slash = url.lastIndex(of: "/") else { throw Missing() }
        return url[...slash] + name
    }
}
