/// Where a ledger on a PostgreSQL server is (contract section 7):
/// `postgresql://[user[:password]@]host[:port]/dbname`, `postgres://` too, `?host=/dir` for a
/// Unix socket directory, the password also from `$PGPASSWORD`.
public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    /// Never printed: `description` leaves it out.
    public var password: String?
    /// A host name or address; nil when the socket directory is given instead.
    public var host: String?
    /// The directory of the server's Unix socket (`?host=/dir`).
    public var socketDirectory: String?
    public var port: Int
    public var database: String

    /// Whether `location` (a `--db` value) names a server rather than a file.
    public static func isServerURL(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// Reads a server URL; `environment` gives `PGPASSWORD`, and `PGUSER` or `USER` when the
    /// URL names no user.
    public init(url: String, environment: [String: String]) throws(LedgerStoreError) {
        func refuse(_ reason: String) -> LedgerStoreError {
            .badServerURL(reason: reason)
        }
        guard Self.isServerURL(url) else { throw refuse("must start with postgresql:// or postgres://") }
        var rest = String(url.dropFirst(url.hasPrefix("postgresql://") ? 13 : 11))
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = String(rest[..<mark])
        }
        guard let slash = rest.firstIndex(of: "/") else { throw refuse("names no database (…/dbname)") }
        let authority = String(rest[..<slash])
        guard let database = Self.percentDecoded(String(rest[rest.index(after: slash)...])), !database.isEmpty
        else { throw refuse("names no database (…/dbname)") }
        self.database = database

        var hostPort = authority
        var user: String?
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            let credentials = String(authority[..<at])
            hostPort = String(authority[authority.index(after: at)...])
            if let colon = credentials.firstIndex(of: ":") {
                user = Self.percentDecoded(String(credentials[..<colon]))
                password = Self.percentDecoded(String(credentials[credentials.index(after: colon)...]))
            } else {
                user = Self.percentDecoded(credentials)
            }
            guard user != nil, !(user ?? "").isEmpty else { throw refuse("has an empty or badly escaped user") }
        }
        var port = 5432
        var host = hostPort
        if hostPort.hasPrefix("[") {
            // An IPv6 address: [::1]:5432.
            guard let close = hostPort.firstIndex(of: "]") else { throw refuse("has an unclosed [ in its host") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { hostPort = String(after) } else { hostPort = "" }
            if let portText = hostPort.first == ":" ? String(hostPort.dropFirst()) : nil {
                guard let number = Int(portText), (1...65_535).contains(number) else {
                    throw refuse("has a port that is not a number from 1 to 65535")
                }
                port = number
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let number = Int(hostPort[hostPort.index(after: colon)...]), (1...65_535).contains(number) else {
                throw refuse("has a port that is not a number from 1 to 65535")
            }
            port = number
        }
        var socketDirectory: String?
        for parameter in query.split(separator: "&") where !parameter.isEmpty {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, let value = Self.percentDecoded(pair[1]) else {
                throw refuse("has a malformed parameter \"\(parameter)\"")
            }
            switch pair[0] {
            case "host":
                guard value.hasPrefix("/") else { throw refuse("?host= must be a socket directory, /…") }
                socketDirectory = value
            default:
                throw refuse("has an unknown parameter \"\(pair[0])\" (only host=/dir)")
            }
        }
        if socketDirectory == nil && host.isEmpty { throw refuse("names no host (or ?host=/dir)") }
        self.host = host.isEmpty ? nil : host
        self.socketDirectory = socketDirectory
        self.port = port
        guard let resolvedUser = user ?? environment["PGUSER"] ?? environment["USER"], !resolvedUser.isEmpty else {
            throw refuse("names no user, and neither PGUSER nor USER is set")
        }
        self.user = resolvedUser
        self.password = password ?? environment["PGPASSWORD"]
    }

    /// `host:port/database` (or the socket directory): what messages name, never the password.
    public var description: String {
        if let socketDirectory { return "\(socketDirectory)/.s.PGSQL.\(port) database \(database)" }
        let shownHost = (host ?? "").contains(":") ? "[\(host ?? "")]" : (host ?? "")
        return "\(shownHost):\(port) database \(database)"
    }

    /// The path of the server's Unix socket, when connecting through one.
    var socketPath: String? {
        socketDirectory.map { "\($0)/.s.PGSQL.\(port)" }
    }

    /// `text` with its %XX escapes decoded; nil when an escape is malformed or not UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
