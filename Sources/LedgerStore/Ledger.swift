#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ledger: the event log and its stored views, in an SQLite file (the embedded default) or
/// in a database on a PostgreSQL server (contract section 7), opened for reading or for
/// appending. Everything above the connection is the same on both.
public final class Ledger {
    /// The connection. Owned by this ledger.
    public let database: any SQLDatabase
    /// Where the ledger lives, as messages name it: the file's path, or the server's host and
    /// database (never a password).
    public let path: String
    /// The `--db` value it was opened from, to open a second connection to the same ledger.
    let location: String
    /// The schema version of the ledger (`PRAGMA user_version` of a file).
    public private(set) var schemaVersion: Int64 = 0
    /// The schema a ledger holding events was at when this opening brought it up to date
    /// (rewriting what a migration changes, rebuilding the views); nil when it was current.
    public private(set) var upgradedFrom: Int64?
    /// Whether the ledger is a read replica: a server in recovery (a hot standby), which
    /// answers reads and refuses every write.
    public private(set) var isReadReplica = false
    /// The guards of the log that opening it for writing found missing, switched off or
    /// changed, and restored.
    public private(set) var restoredGuards: [LogGuard] = []
    /// What the last batch appended on this connection kept of its streams (`EventAppender`).
    var keptStreams: KeptStreams?

    private init(database: any SQLDatabase, path: String, location: String) {
        self.database = database
        self.path = path
        self.location = location
    }

    /// Whether a file exists at `path`.
    public static func fileExists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether a non-empty `-wal` lies beside the file at `path`: pages not yet in the file.
    static func hasWriteAheadLog(_ path: String) -> Bool {
        var info = stat()
        return stat(path + "-wal", &info) == 0 && info.st_size > 0
    }

    /// Whether `location` (a `--db` value) names a ledger on a server rather than a file.
    public static func isOnServer(_ location: String) -> Bool {
        ServerAddress.isServerURL(location)
    }

    /// Opens the ledger at `location` (a file's path or a server URL) read-only. It must exist
    /// and be a ledger; nothing is created.
    ///
    /// The connection stays in one read transaction until it is closed, so every query of a
    /// command sees the same snapshot: whole batches only, and a head with its own views.
    /// `withScratch` lets a server connection create temporary tables (a fresh replay beside
    /// the stored views); otherwise a server transaction is also declared read-only, so that
    /// nothing a reader runs can write.
    public static func openForReading(path location: String, withScratch: Bool = false) throws -> Ledger {
        if isOnServer(location) {
            return try openServer(location, forWriting: false, withScratch: withScratch)
        }
        let path = location
        guard fileExists(path) else { throw LedgerStoreError.databaseMissing(path: path) }
        try refuseNonRegularFile(path)
        var ledger = Ledger(database: try SQLiteDatabase(path: path, mode: .readOnly), path: path, location: path)
        let version: Int64
        do {
            try ledger.database.execute("BEGIN")
            version = try ledger.checkIsLedger(allowEmpty: false)
        } catch LedgerStoreError.database(let failure) where failure.isCannotOpen && !hasWriteAheadLog(path) {
            // The file alone where nothing may be created beside it (read-only media, a
            // directory the reader cannot write): with no -wal to read, it is read as it is.
            ledger = Ledger(
                database: try SQLiteDatabase(path: path, mode: .readOnlyImmutable), path: path, location: path)
            try ledger.database.execute("BEGIN")
            version = try ledger.checkIsLedger(allowEmpty: false)
        }
        let database = ledger.database
        // Reports read many pages once: a larger cache and memory-mapped reads save copies.
        try database.execute("PRAGMA cache_size = -65536; PRAGMA mmap_size = 2147418112;")
        if version > Schema.latestVersion {
            throw LedgerStoreError.newerSchema(path: path, version: version)
        }
        // An older ledger is read as it is: what it lacks (the stored views) is folded from its log.
        ledger.schemaVersion = version
        return ledger
    }

    /// Ends a reader's snapshot and begins the next, so that what was appended since is
    /// seen: a long-lived reader (the service) renews it before each request, which then
    /// reads one snapshot throughout, as a command does.
    public func renewSnapshot() throws {
        try database.execute("COMMIT")
        try database.execute(
            Ledger.isOnServer(location) ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
    }

    /// Opens the ledger at `location` for appending, creating an empty one if the file (or the
    /// server database's ledger tables) is missing, and brings its schema up to date.
    public static func openForWriting(path location: String) throws -> Ledger {
        if isOnServer(location) {
            return try openServer(location, forWriting: true, withScratch: false)
        }
        let path = location
        try refuseNonRegularFile(path)
        let database = try SQLiteDatabase(path: path, mode: .readWriteCreate)
        let ledger = Ledger(database: database, path: path, location: path)
        try ledger.configureWriter()
        try ledger.migrate()
        if let from = ledger.upgradedFrom, from < Schema.hashesAsBytesVersion {
            // The log was copied whole: the old copy's pages go back to the file system
            // (outside a transaction, as SQLite requires; readers of the WAL file do not stop
            // it). The upgrade is committed already: if the disk has no room for the copy
            // VACUUM makes, the file is left larger, and the command does not fail.
            try? database.execute("VACUUM")
        }
        ledger.restoredGuards = try ledger.restoreLogGuards()
        return ledger
    }

    /// Opens the ledger at `location` for a dry run: read-only when it exists, else an empty
    /// ledger in memory, so that nothing is created or written anywhere (a file, or the tables
    /// of a server database).
    public static func openForDryRun(path location: String) throws -> Ledger {
        if isOnServer(location) {
            return try openServer(location, forWriting: false, withScratch: false, emptyIfUninitialised: true)
        }
        if fileExists(location) { return try openForReading(path: location) }
        return try inMemory(named: location)
    }

    /// An empty ledger in memory, at the latest schema, named `path` in messages.
    static func inMemory(named path: String) throws -> Ledger {
        let ledger = Ledger(
            database: try SQLiteDatabase(path: ":memory:", mode: .readWriteCreate), path: path, location: ":memory:")
        try ledger.migrate()
        return ledger
    }

    /// Opens a ledger on a server. A reader's connection stays in one REPEATABLE READ
    /// transaction (one snapshot for the whole command); a writer's takes a transaction per
    /// batch, and the tables are created when the database has none yet.
    private static func openServer(
        _ location: String, forWriting: Bool, withScratch: Bool, emptyIfUninitialised: Bool = false
    ) throws -> Ledger {
        let address = try ServerAddress(url: location, environment: processEnvironment())
        let database = try ServerDatabase(try ServerConnection(address))
        let ledger = Ledger(database: database, path: address.description, location: location)
        let connection = database.connection
        ledger.isReadReplica = try connection.bool("SELECT pg_is_in_recovery()") ?? false
        if !forWriting {
            let readOnly = withScratch ? "" : " READ ONLY"
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ\(readOnly)")
        }
        var version = try ServerSchema.version(on: connection)
        if version == nil, forWriting {
            guard !ledger.isReadReplica else {
                throw LedgerStoreError.readReplica(
                    server: ledger.path, reason: "it holds no ledger, and a read replica cannot create one")
            }
            try ServerSchema.create(on: connection)
            version = try ServerSchema.version(on: connection)
        }
        if version == nil && emptyIfUninitialised { return try inMemory(named: ledger.path) }
        guard let version else {
            throw LedgerStoreError.notALedger(
                path: ledger.path, reason: "a database without a ledger, not initialised: run ledger init")
        }
        if version > Schema.latestVersion {
            throw LedgerStoreError.newerSchema(path: ledger.path, version: version)
        }
        ledger.schemaVersion = version
        if forWriting && !ledger.isReadReplica { ledger.restoredGuards = try ledger.restoreLogGuards() }
        if forWriting && version < Schema.latestVersion && !ledger.isReadReplica {
            // Views of an earlier schema (same tables): rebuilt once, as a file's are.
            try ledger.database.transaction {
                if version < Schema.hashesAsBytesVersion { try connection.execute(ServerSchema.hashesAsBytes) }
                // Tables a later schema added (every statement of `tables` is IF NOT EXISTS).
                try connection.execute(ServerSchema.tables)
                ledger.schemaVersion = Schema.latestVersion
                ledger.upgradedFrom = version
                _ = try ledger.views.rebuildInTransaction()
                let version = try ledger.database.prepare(
                    "UPDATE ledger_meta SET value = ?1 WHERE key = 'schema_version'")
                try version.bind(String(Schema.latestVersion), at: 1)
                try version.step()
            }
        }
        return ledger
    }

    /// What a server URL may take from the environment: `PGPASSWORD`, `PGUSER`, `USER`.
    static func processEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        for name in ["PGPASSWORD", "PGUSER", "USER"] {
            if let value = getenv(name), let text = String(validatingCString: value), !text.isEmpty {
                environment[name] = text
            }
        }
        return environment
    }

    /// Whether two `--db` values name one ledger: the same file (device and inode), or the same
    /// database on the same server.
    public static func isSameLedger(_ first: String, _ second: String) -> Bool {
        if isOnServer(first) || isOnServer(second) {
            let environment = processEnvironment()
            guard let a = try? ServerAddress(url: first, environment: environment),
                let b = try? ServerAddress(url: second, environment: environment)
            else { return false }
            return a.description == b.description
        }
        return isFileOrCompanion(second, of: first) || isFileOrCompanion(first, of: second)
    }

    /// The files SQLite keeps beside a ledger file, by the suffix of their names.
    static let companionSuffixes = ["-wal", "-shm", "-journal"]

    /// Whether `path` is the ledger file `ledger` or one of the files SQLite keeps beside it
    /// (`-wal`, `-shm`, `-journal`), under any name: the same device and inode for a file
    /// that exists, the same directory and name for one that does not (yet).
    public static func isFileOrCompanion(_ path: String, of ledger: String) -> Bool {
        let ledgerFiles = [ledger] + companionSuffixes.map { ledger + $0 }
        var info = stat()
        if stat(path, &info) == 0 {
            return ledgerFiles.contains { file in
                var other = stat()
                return stat(file, &other) == 0 && other.st_dev == info.st_dev && other.st_ino == info.st_ino
            }
        }
        guard let directory = realPath(directoryPart(of: path)), let ledgerFile = realPath(ledger) else {
            return false
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return ([ledgerFile] + companionSuffixes.map { ledgerFile + $0 }).contains(directory + "/" + name)
    }

    /// `path` with every link resolved; nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The directory part of `path`: `a/b` → `a`, `b` → `.`, `/b` → `/`.
    static func directoryPart(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether two paths name one existing file (the same device and inode).
    public static func isSameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// A FIFO, a directory or a device is not a ledger, and opening a FIFO would block: such a
    /// path is refused before SQLite opens it.
    static func refuseNonRegularFile(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let what: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: what = "a directory"
        case S_IFIFO: what = "a FIFO"
        case S_IFCHR, S_IFBLK: what = "a device"
        case S_IFSOCK: what = "a socket"
        default: what = "not a regular file"
        }
        throw LedgerStoreError.notALedger(path: path, reason: "\(what), not a ledger file")
    }

    /// Refuses files that are not ledgers; returns the schema version. Both reads belong to
    /// one transaction (the caller's), so a ledger being created by another process is seen
    /// either empty or whole.
    @discardableResult
    private func checkIsLedger(allowEmpty: Bool) throws -> Int64 {
        let applicationID: Int64
        let tableCount: Int64
        do {
            applicationID = try database.integer("PRAGMA application_id") ?? 0
            tableCount = try database.integer("SELECT count(*) FROM sqlite_master") ?? 0
        } catch {
            if case LedgerStoreError.database(let failure) = error, failure.kind == .corrupt {
                throw LedgerStoreError.notALedger(path: path, reason: "not an SQLite database")
            }
            throw error
        }
        if applicationID == Schema.applicationID {
            return try database.integer("PRAGMA user_version") ?? 0
        }
        if applicationID == 0 && tableCount == 0 && allowEmpty { return 0 }
        if applicationID == 0 && tableCount == 0 {
            throw LedgerStoreError.notALedger(path: path, reason: "an empty database, not initialised: run ledger init")
        }
        throw LedgerStoreError.notALedger(path: path, reason: "an SQLite database of some other application")
    }

    private func configureWriter() throws {
        guard let database = database as? SQLiteDatabase else { return }
        _ = try database.transaction(immediate: false) { try checkIsLedger(allowEmpty: true) }
        // WAL lets readers run reports while a writer appends; FULL keeps a committed batch
        // through a power cut, and a batch is one commit, so it costs little. A writer's page
        // cache is 48 MiB: with 64, a batch of a million events peaked at 139 MiB, over the
        // 128 MB a writer may take (issue 26); with 48, 121 MiB, at no rate this machine can tell.
        try switchToWAL()
        try database.execute(
            """
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA cache_size = -49152;
            PRAGMA journal_size_limit = \(Self.walSizeLimit);
            """)
    }

    /// The size a file's `-wal` is cut back to once its pages are in the file: a large batch
    /// leaves no file of its own size behind.
    static let walSizeLimit = 16 << 20

    /// Lets a file's `-wal` grow to `pages` pages before a commit copies them into the file
    /// (SQLite's default is 1,000, 4 MiB, which a batch of a thousand events passes: each such
    /// batch would then pay a checkpoint, with its writes and fsync, of its own). A long-lived
    /// writer taking many small batches (the service) sets more; nothing on a server.
    public func checkpointEvery(pages: Int) {
        guard let database = database as? SQLiteDatabase else { return }
        try? database.execute("PRAGMA wal_autocheckpoint = \(pages)")
    }

    /// Empties a file's `-wal` into the file and truncates it, when no reader holds it (else
    /// it is left for a later write); nothing on a server.
    public func truncateWriteAheadLog() {
        guard let database = database as? SQLiteDatabase else { return }
        try? database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Switches the file to WAL (it stays so). Switching a new file needs it to itself, and
    /// SQLite answers SQLITE_BUSY at once, without calling the busy handler, while another
    /// process has it open in a transaction (two processes creating one ledger: 18 of 100
    /// such races failed at once). So this waits here, within the same busy timeout.
    private func switchToWAL() throws {
        guard let database = database as? SQLiteDatabase else { return }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        while true {
            let failure: LedgerStoreError
            do {
                try database.execute("PRAGMA journal_mode = WAL")
                return
            } catch {
                failure = error
            }
            guard case .database(let reported) = failure, reported.kind == .busy else { throw failure }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let waited = Int64(now.tv_sec - start.tv_sec) * 1_000 + Int64(now.tv_nsec - start.tv_nsec) / 1_000_000
            guard waited < Int64(SQLiteDatabase.defaultBusyTimeout) else { throw failure }
            usleep(5_000)
        }
    }

    /// Brings the file to the latest schema in one transaction: all pending migrations, then,
    /// when they replaced the stored views, a rebuild of the views from the log.
    private func migrate() throws {
        try database.transaction {
            var version = try database.integer("PRAGMA user_version") ?? 0
            if version > Schema.latestVersion {
                throw LedgerStoreError.newerSchema(path: path, version: version)
            }
            let start = version
            if version == Schema.latestVersion {
                schemaVersion = version
                return  // nothing written: no commit to sync
            }
            if version == 0 {
                // Checked again under the write lock: another process may have created
                // something here since the first look.
                try checkIsLedger(allowEmpty: true)
                try database.execute("PRAGMA application_id = \(Schema.applicationID)")
            }
            while version < Schema.latestVersion {
                try database.execute(Schema.migrations[Int(version)])
                version += 1
            }
            try database.execute("PRAGMA user_version = \(version)")
            schemaVersion = version
            if start < Schema.viewsVersion {
                _ = try views.rebuildInTransaction()
            }
            if start > 0, try log.eventCount() > 0 { upgradedFrom = start }
        }
    }
}
