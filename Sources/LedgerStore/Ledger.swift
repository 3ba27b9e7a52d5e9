#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ledger file: the event log in SQLite, opened for reading or for appending.
public final class Ledger {
    /// The connection. Owned by this ledger.
    public let database: SQLiteDatabase
    /// The file's path.
    public let path: String
    /// The schema version (`PRAGMA user_version`) of the file.
    public private(set) var schemaVersion: Int64 = 0

    private init(database: SQLiteDatabase, path: String) {
        self.database = database
        self.path = path
    }

    /// Whether a file exists at `path`.
    public static func fileExists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Opens the ledger at `path` read-only. It must exist and be a ledger; nothing is created.
    ///
    /// The connection stays in one read transaction until it is closed, so every query of a
    /// command sees the same snapshot: whole batches only, and a head with its own views.
    public static func openForReading(path: String) throws -> Ledger {
        guard fileExists(path) else { throw LedgerStoreError.databaseMissing(path: path) }
        try refuseNonRegularFile(path)
        let database = try SQLiteDatabase(path: path, mode: .readOnly)
        let ledger = Ledger(database: database, path: path)
        try database.execute("BEGIN")
        let version = try ledger.checkIsLedger(allowEmpty: false)
        // Reports read many pages once: a larger cache and memory-mapped reads save copies.
        try database.execute("PRAGMA cache_size = -65536; PRAGMA mmap_size = 2147418112;")
        if version > Schema.latestVersion {
            throw LedgerStoreError.newerSchema(path: path, version: version)
        }
        // An older ledger is read as it is: what it lacks (the stored views) is folded from its log.
        ledger.schemaVersion = version
        return ledger
    }

    /// Opens the ledger at `path` for appending, creating an empty one if the file is missing,
    /// and brings its schema up to date.
    public static func openForWriting(path: String) throws -> Ledger {
        try refuseNonRegularFile(path)
        let database = try SQLiteDatabase(path: path, mode: .readWriteCreate)
        let ledger = Ledger(database: database, path: path)
        try ledger.configureWriter()
        try ledger.migrate()
        return ledger
    }

    /// A FIFO, a directory or a device is not a ledger, and opening a FIFO would block: such a
    /// path is refused before SQLite opens it.
    /// Whether two paths name one existing file (the same device and inode).
    public static func isSameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

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
            if (error as? SQLiteError)?.isNotADatabase == true {
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
        _ = try database.transaction(immediate: false) { try checkIsLedger(allowEmpty: true) }
        // WAL lets readers run reports while a writer appends; FULL keeps a committed batch
        // through a power cut, and a batch is one commit, so it costs little.
        try switchToWAL()
        try database.execute(
            """
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA cache_size = -65536;
            """)
    }

    /// Switches the file to WAL (it stays so). Switching a new file needs it to itself, and
    /// SQLite answers SQLITE_BUSY at once, without calling the busy handler, while another
    /// process has it open in a transaction (two processes creating one ledger: 18 of 100
    /// such races failed at once). So this waits here, within the same busy timeout.
    private func switchToWAL() throws {
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        while true {
            let failure: SQLiteError
            do {
                try database.execute("PRAGMA journal_mode = WAL")
                return
            } catch {
                failure = error
            }
            guard failure.isBusy else { throw failure }
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
                _ = try rebuildViewsInTransaction()
            }
        }
    }

    /// The number of events in the log.
    public func eventCount() throws -> Int64 {
        try database.integer("SELECT count(*) FROM events") ?? 0
    }

    /// The last event's `seq` and `hash`; `(0, genesis)` for an empty log.
    public func head() throws -> (seq: Int64, hash: String, recordedAt: String) {
        let statement = try database.prepare("SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1")
        guard try statement.step() else { return (0, String(repeating: "0", count: 64), "") }
        return (statement.int64(0), statement.string(1), statement.string(2))
    }
}
