/// Why a ledger cannot be used, or a command on it failed: the one error type of the store.
public enum LedgerStoreError: Error, Sendable {
    /// The database underneath failed, as its engine reported (`DatabaseFailure`).
    case database(DatabaseFailure)
    /// The database file does not exist (and the command may not create it).
    case databaseMissing(path: String)
    /// The file exists but is not a ledger: another SQLite database, or not SQLite at all.
    case notALedger(path: String, reason: String)
    /// The ledger was written by a newer version of this program.
    case newerSchema(path: String, version: Int64)
    /// A stored view row that cannot be read back: run `ledger replay`.
    case corruptView(stream: String)
    /// A copy's destination that is not empty and holds no prefix of the source's log.
    case notAPrefix(path: String, reason: String)
    /// A `postgresql://` location that cannot be read.
    case badServerURL(reason: String)
    /// The server cannot be reached, refuses the login, or has no such database; `server`
    /// names the host and database, never the password.
    case serverUnavailable(server: String, reason: String)
    /// A write asked of a read replica (a hot standby), or something only a primary can do.
    case readReplica(server: String, reason: String)
    /// The server went away or failed while a command was using it.
    case serverFailed(server: String, reason: String)
}
