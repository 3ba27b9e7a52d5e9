/// Why a ledger file cannot be used.
public enum LedgerStoreError: Error, Sendable {
    /// The database file does not exist (and the command may not create it).
    case databaseMissing(path: String)
    /// The file exists but is not a ledger: another SQLite database, or not SQLite at all.
    case notALedger(path: String, reason: String)
    /// The ledger was written by a newer version of this program.
    case newerSchema(path: String, version: Int64)
    /// A stored view row that cannot be read back: run `ledger replay`.
    case corruptView(stream: String)
}
