import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The connection closed before the server answered.
struct ConnectionLost: Error {}

/// Which of two answers came first; both are delivered on one event loop.
private final class FirstAnswer: @unchecked Sendable {
    // @unchecked: `take` is only called on the event loop the query runs on.
    private var isTaken = false

    /// True the first time only.
    func take() -> Bool {
        if isTaken { return false }
        isTaken = true
        return true
    }
}

/// A write held back to be sent with others (`ServerConnection.deferWrite`).
struct HeldWrite {
    /// The statement with its values written in.
    var sql: String
    /// For a plain `INSERT INTO table (…) VALUES (…)`: the table, and how many bytes of `sql`
    /// come before the row (`INSERT … VALUES `), so that rows of one table can be joined.
    var insertTable: String?
    var headLength = 0
}

/// One connection to a PostgreSQL server, used synchronously: each call waits on the
/// calling thread for the server's answer while NIO's shared event loop does the I/O. Owned
/// by one thread at a time; not `Sendable`.
final class ServerConnection {
    let address: ServerAddress
    private let connection: PostgresConnection
    private let logger = Logger(label: "ledger.postgresql") { _ in SwiftLogNoOpLogHandler() }
    private var cursors = 0
    /// Writes held back to be sent together (`deferWrite`), their values written in.
    private var pendingWrites: [HeldWrite] = []
    private var pendingBytes = 0
    /// How many held writes, or how many bytes of them, are sent at once at most.
    static let pendingStatements = 5_000
    static let pendingByteLimit = 8 << 20

    /// Connects and logs in; a server that cannot be reached, a refused login or a missing
    /// database is `LedgerStoreError.serverUnavailable`, naming host and database only.
    init(_ address: ServerAddress, connectTimeout: Int64 = 5) throws(LedgerStoreError) {
        self.address = address
        var configuration: PostgresConnection.Configuration
        if let socketPath = address.socketPath {
            configuration = .init(
                unixSocketPath: socketPath, username: address.user, password: address.password,
                database: address.database)
        } else {
            configuration = .init(
                host: address.host ?? "localhost", port: address.port, username: address.user,
                password: address.password, database: address.database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(connectTimeout)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        do {
            connection = try PostgresConnection.connect(
                on: eventLoop, configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            throw .serverUnavailable(server: address.description, reason: Self.connectFailure(error, address))
        }
        // Held writes carry their text as literals: '' is the only escape they use.
        do {
            _ = try connection.query("SET standard_conforming_strings = on", logger: logger).wait()
        } catch {
            throw .serverFailed(server: address.description, reason: "\(error)")
        }
    }

    /// Waits for `future`, or for the connection to close, whichever comes first: a query
    /// sent as the server ends the connection is otherwise never answered (seen with
    /// `pg_terminate_backend` during a batch), and the command would wait for ever.
    private func answer<Value: Sendable>(to future: EventLoopFuture<Value>) throws -> Value {
        let loop = future.eventLoop
        let promise = loop.makePromise(of: Value.self)
        let first = FirstAnswer()
        future.whenComplete { result in
            if first.take() { promise.completeWith(result) }
        }
        connection.closeFuture.hop(to: loop).whenComplete { _ in
            if first.take() { promise.fail(ConnectionLost()) }
        }
        return try promise.futureResult.wait()
    }

    deinit {
        if connection.isClosed { return }
        try? connection.close().wait()
    }

    /// Why connecting failed, in a user's words (never the password).
    static func connectFailure(_ error: any Error, _ address: ServerAddress) -> String {
        guard let error = error as? PSQLError else { return "cannot connect: \(error)" }
        if let state = error.serverInfo?[.sqlState] {
            switch state {
            case "28P01", "28000": return "login refused for user \(address.user)"
            case "3D000": return "no such database"
            default: return "refused: \(error.serverInfo?[.message] ?? state) (SQLSTATE \(state))"
            }
        }
        if error.code == .authMechanismRequiresPassword {
            return "login refused for user \(address.user): the server asks for a password (give it in $PGPASSWORD)"
        }
        if let underlying = error.underlying { return "cannot connect: \(underlying)" }
        return "cannot connect: \(error.code)"
    }

    /// Turns a failure of `sql` into the store's error: a server-reported one keeps its
    /// SQLSTATE; a lost connection is `serverFailed`.
    private func failure(_ error: any Error, sql: String) -> any Error {
        if error is ConnectionLost {
            return LedgerStoreError.serverFailed(server: address.description, reason: "the connection was lost")
        }
        guard let error = error as? PSQLError else {
            return LedgerStoreError.serverFailed(server: address.description, reason: "\(error)")
        }
        if let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? ""
            if state.hasPrefix("57P") || state.hasPrefix("08") {
                return LedgerStoreError.serverFailed(
                    server: address.description, reason: "the server ended the connection: \(message)")
            }
            return LedgerStoreError.database(DatabaseFailure(sqlState: state, message: message, sql: sql))
        }
        let reason: String
        switch error.code {
        case .serverClosedConnection, .uncleanShutdown, .connectionError, .clientClosedConnection:
            reason = "the connection was lost"
        default:
            reason = "\(error.code)"
        }
        return LedgerStoreError.serverFailed(server: address.description, reason: reason)
    }

    /// A cursor name not used before on this connection.
    func nextCursorName() -> String {
        cursors += 1
        return "ledger_scan_\(cursors)"
    }

    /// Runs statements that return nothing; several may be given, separated by `;`, each
    /// sent on its own. A `ROLLBACK` drops the held writes instead of sending them.
    func execute(_ sql: String) throws {
        for statement in Self.statements(in: sql) {
            if statement.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() == "ROLLBACK" {
                discardWrites()
            }
            _ = try query(PostgresQuery(unsafeSQL: statement))
        }
    }

    /// Holds back a statement that returns nothing (its values written in as literals), to be
    /// sent with the others held in one round trip, before the next statement that is not
    /// held, or the commit. Each statement on a server costs a round trip and a parse; a
    /// batch's many small inserts and updates so cost one of each per flush instead.
    func deferWrite(_ write: HeldWrite) throws {
        pendingWrites.append(write)
        pendingBytes += write.sql.utf8.count
        if pendingWrites.count >= Self.pendingStatements || pendingBytes >= Self.pendingByteLimit {
            try flushWrites()
        }
    }

    /// Sends the held writes as one anonymous code block (`DO`): one statement, so one round
    /// trip, and a failure keeps its SQLSTATE. Plain inserts into one table with the same
    /// columns become one multi-row insert, at the place of the first: a later one moves
    /// up only past statements that do not name that table, so every statement sees what it
    /// would have seen in the original order.
    func flushWrites() throws {
        guard !pendingWrites.isEmpty else { return }
        let writes = pendingWrites
        pendingWrites.removeAll(keepingCapacity: true)
        pendingBytes = 0
        var statements: [String] = []
        var groups: [Int: [Substring]] = [:]  // statement index → the rows added to its insert
        var open: [String: (index: Int, head: Substring)] = [:]
        for write in writes {
            if let table = write.insertTable {
                let head = write.sql.prefix(write.headLength)
                if let group = open[table], group.head == head {
                    groups[group.index, default: []].append(write.sql.dropFirst(write.headLength))
                    continue
                }
                open[table] = (statements.count, head)
            } else {
                for table in open.keys where write.sql.contains(table) { open[table] = nil }
            }
            statements.append(write.sql)
        }
        for (index, rows) in groups {
            statements[index] += ", " + rows.joined(separator: ", ")
        }
        let sql: String
        if statements.count == 1 {
            sql = statements[0]
        } else {
            var tag = "$ledger$"
            while statements.contains(where: { $0.contains(tag) }) { tag = "$ledger" + String(tag.dropFirst()) }
            sql = "DO \(tag) BEGIN\n" + statements.joined(separator: ";\n") + ";\nEND \(tag)"
        }
        do {
            _ = try answer(to: connection.query(PostgresQuery(unsafeSQL: sql), logger: logger))
        } catch {
            throw failure(error, sql: "\(writes.count) held writes")
        }
    }

    /// Forgets the held writes (the transaction is being rolled back).
    func discardWrites() {
        pendingWrites.removeAll(keepingCapacity: true)
        pendingBytes = 0
    }

    /// The statements of a script, split at the `;` outside quotes, quoted names and
    /// dollar-quoted bodies (`$$ … $$`, as a function's).
    static func statements(in sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        var statements: [String] = []
        var start = 0
        var index = 0
        func flush(upTo end: Int) {
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            if text.contains(where: { !$0.isWhitespace }) { statements.append(text) }
        }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                let quote = bytes[index]
                index += 1
                while index < bytes.count, bytes[index] != quote { index += 1 }
                index += 1
            case UInt8(ascii: "$"):
                // A dollar quote: $tag$ … $tag$ (the tag may be empty).
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "$"),
                    bytes[end] == UInt8(ascii: "_")
                        || (bytes[end] | 0x20 >= UInt8(ascii: "a") && bytes[end] | 0x20 <= UInt8(ascii: "z"))
                {
                    end += 1
                }
                guard end < bytes.count, bytes[end] == UInt8(ascii: "$") else {
                    index += 1
                    continue
                }
                let tag = Array(bytes[index...end])
                index = end + 1
                while index < bytes.count, !bytes[index...].starts(with: tag) { index += 1 }
                index += tag.count
            case UInt8(ascii: ";"):
                flush(upTo: index)
                index += 1
                start = index
            default:
                index += 1
            }
        }
        if start < bytes.count { flush(upTo: bytes.count) }
        return statements
    }

    /// Runs one statement with parameters and returns all its rows (after the held writes).
    func query(_ query: PostgresQuery) throws -> [PostgresRow] {
        try flushWrites()
        do {
            return Array(try answer(to: connection.query(query, logger: logger)).rows)
        } catch {
            throw failure(error, sql: query.sql)
        }
    }

    /// The first column of the first row of `sql` as a Boolean; nil without a row.
    func bool(_ sql: String) throws -> Bool? {
        try query(PostgresQuery(unsafeSQL: sql)).first.map { try $0.decode(Bool.self) }
    }

    /// The first column of the first row of `sql` as text; nil without a row.
    func text(_ sql: String) throws -> String? {
        try query(PostgresQuery(unsafeSQL: sql)).first.map { try $0.decode(String.self) }
    }

    /// The first column of the first row of `sql` as an integer; nil without a row.
    func integer(_ sql: String) throws -> Int64? {
        try query(PostgresQuery(unsafeSQL: sql)).first.map { try $0.decode(Int64.self) }
    }

    /// Reads the rows of `query` in batches of `batchSize` through a cursor, inside the
    /// current transaction, so a large result never sits in memory whole.
    func forEachRow(of query: PostgresQuery, batchSize: Int = 2_000, _ body: (PostgresRow) throws -> Void) throws {
        var declaration = query
        declaration.sql = "DECLARE ledger_cursor NO SCROLL CURSOR FOR " + query.sql
        _ = try self.query(declaration)
        do {
            while true {
                let rows = try self.query(PostgresQuery(unsafeSQL: "FETCH FORWARD \(batchSize) FROM ledger_cursor"))
                for row in rows { try body(row) }
                if rows.count < batchSize { break }
            }
        } catch {
            try? execute("CLOSE ledger_cursor")
            throw error
        }
        try execute("CLOSE ledger_cursor")
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    func transaction<Result>(_ begin: String = "BEGIN", _ body: () throws -> Result) throws -> Result {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            discardWrites()
            try? execute("ROLLBACK")
            throw error
        }
    }
}
