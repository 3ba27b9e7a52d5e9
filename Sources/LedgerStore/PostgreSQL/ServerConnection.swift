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

/// A write held back to be sent with others (`ServerConnection.hold`), its values bound.
enum HeldWrite {
    /// A statement that changes `table`, its SQL written for the server.
    case statement(table: String, sql: String, values: [ServerValue])
    /// One row of an insert.
    case row(RowInsert, values: [ServerValue])

    /// Roughly how many bytes its values send.
    var size: Int {
        switch self {
        case .statement(_, _, let values), .row(_, let values): values.reduce(0) { $0 + $1.size }
        }
    }
}

/// One connection to a PostgreSQL server, used synchronously: each call waits on the
/// calling thread for the server's answer while NIO's shared event loop does the I/O. Owned
/// by one thread at a time; not `Sendable`.
final class ServerConnection {
    let address: ServerAddress
    private let connection: PostgresConnection
    private let logger = Logger(label: "ledger.postgresql") { _ in SwiftLogNoOpLogHandler() }
    private var cursors = 0
    /// Writes held back to be sent together (`hold`), in the order they were made.
    private var heldWrites: [HeldWrite] = []
    private var heldBytes = 0
    /// How many held writes, or how many bytes of their values, are sent at once at most.
    static let heldWriteLimit = 5_000
    static let heldByteLimit = 8 << 20
    /// The rows one multi-row insert carries at most (a statement binds 65,535 values at most).
    static let rowsPerInsert = 1_000
    /// The SQL of each multi-row insert sent so far, by insert and row count.
    private var insertSQL: [RowInsert: [Int: String]] = [:]

    /// Connects and logs in; a server that cannot be reached, a refused login or a missing
    /// database is `LedgerStoreError.serverUnavailable`, naming host and database only.
    init(_ address: ServerAddress, connectTimeout: Int64 = 5) throws(LedgerStoreError) {
        self.address = address
        let configuration = Self.configuration(address, connectTimeout: connectTimeout)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        do {
            connection = try PostgresConnection.connect(
                on: eventLoop, configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            throw .serverUnavailable(server: address.description, reason: Self.connectFailure(error, address))
        }
    }

    /// How postgres-nio reaches `address`.
    static func configuration(_ address: ServerAddress, connectTimeout: Int64) -> PostgresConnection.Configuration {
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
        return configuration
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

    /// Runs statements that return nothing and bind no values; several may be given,
    /// separated by `;` (a schema script), each sent on its own.
    func execute(_ sql: String) throws {
        for statement in Self.statements(in: sql) {
            _ = try query(PostgresQuery(unsafeSQL: statement))
        }
    }

    /// Holds back a write, to be sent with the others held, before the next statement that is
    /// not held, or the commit. Each statement on a server costs a round trip; held ones are
    /// sent one after another without waiting for each answer, and the rows of one insert
    /// travel as one statement.
    func hold(_ write: HeldWrite) throws {
        heldWrites.append(write)
        heldBytes += write.size
        if heldWrites.count >= Self.heldWriteLimit || heldBytes >= Self.heldByteLimit {
            try flushWrites()
        }
    }

    /// One statement to send: a held statement, or the rows held for one insert.
    private struct Outgoing {
        var insert: RowInsert?
        var sql: String
        var rows: [[ServerValue]]
        /// The keys of its rows, for an updating insert: a row whose key is among them starts
        /// another statement.
        var keys: Set<[ServerValue]> = []
    }

    /// Sends the held writes, in order, each with its values bound. The rows of one insert
    /// become one multi-row insert at the place of its first row: a later row joins it only
    /// while no held statement that changes the same table came between, so every statement
    /// sees what it would have seen in the order they were made. The statements are queued on
    /// the connection at once and their answers awaited after; the first failure is thrown,
    /// naming its statement.
    func flushWrites() throws {
        guard !heldWrites.isEmpty else { return }
        let writes = heldWrites
        heldWrites.removeAll(keepingCapacity: true)
        heldBytes = 0
        var outgoing: [Outgoing] = []
        var openInsert: [String: Int] = [:]  // table → the outgoing insert rows may still join
        for write in writes {
            switch write {
            case .statement(let table, let sql, let values):
                openInsert[table] = nil
                outgoing.append(Outgoing(insert: nil, sql: sql, rows: [values]))
            case .row(let insert, let values):
                let positions = insert.keyPositions
                let key = positions.map { values[$0] }
                if let index = openInsert[insert.table], outgoing[index].insert == insert,
                    positions.isEmpty || !outgoing[index].keys.contains(key)
                {
                    outgoing[index].rows.append(values)
                    if !positions.isEmpty { outgoing[index].keys.insert(key) }
                } else {
                    openInsert[insert.table] = outgoing.count
                    outgoing.append(
                        Outgoing(insert: insert, sql: "", rows: [values], keys: positions.isEmpty ? [] : [key]))
                }
            }
        }
        var answers: [(future: EventLoopFuture<PostgresQueryResult>, sql: String)] = []
        for statement in outgoing {
            guard let insert = statement.insert else {
                var bindings = PostgresBindings(capacity: statement.rows[0].count)
                for value in statement.rows[0] { value.append(to: &bindings) }
                answers.append(
                    (
                        connection.query(PostgresQuery(unsafeSQL: statement.sql, binds: bindings), logger: logger),
                        statement.sql
                    ))
                continue
            }
            let perStatement = max(1, min(Self.rowsPerInsert, Int(UInt16.max) / max(insert.columns.count, 1)))
            for start in stride(from: 0, to: statement.rows.count, by: perStatement) {
                let rows = statement.rows[start..<min(start + perStatement, statement.rows.count)]
                var bindings = PostgresBindings(capacity: rows.count * insert.columns.count)
                for row in rows {
                    for value in row { value.append(to: &bindings) }
                }
                let sql = multiRowSQL(insert, rows: rows.count)
                answers.append((connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger), sql))
            }
        }
        var firstFailure: (any Error)?
        for answer in answers {
            do {
                _ = try self.answer(to: answer.future)
            } catch {
                if firstFailure == nil { firstFailure = failure(error, sql: answer.sql) }
            }
        }
        if let firstFailure { throw firstFailure }
    }

    /// The SQL of `insert` for `rows` rows, `$1…` numbered row after row.
    private func multiRowSQL(_ insert: RowInsert, rows: Int) -> String {
        if let known = insertSQL[insert]?[rows] { return known }
        let sql = insert.sql(rows: rows) { "$\($0)" }
        insertSQL[insert, default: [:]][rows] = sql
        return sql
    }

    /// Abandons the transaction: the held writes are forgotten, not sent.
    func rollback() {
        heldWrites.removeAll(keepingCapacity: true)
        heldBytes = 0
        try? execute("ROLLBACK")
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
            rollback()
            throw error
        }
    }
}
