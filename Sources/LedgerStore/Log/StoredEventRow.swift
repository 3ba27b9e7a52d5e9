import LedgerDomain

/// How stored events are read back from the `events` table.
enum StoredEventRow {
    /// The columns, in the order `read(_:)` expects.
    static let columns =
        "seq, id, type, stream, stream_version, occurred_on, source, data, recorded_at, recorded_by, prev_hash, hash"

    /// The stored event on the statement's current row (selected with `columns`).
    static func read(_ statement: any SQLStatement) -> StoredEvent {
        StoredEvent(
            seq: statement.int64(0), id: statement.string(1), type: statement.string(2),
            stream: statement.string(3), streamVersion: statement.int64(4), occurredOn: statement.string(5),
            sourceJSON: statement.string(6), dataJSON: statement.string(7), recordedAt: statement.string(8),
            recordedBy: statement.string(9), prevHash: StoredHash.hexString(statement.blob(10)),
            hash: StoredHash.hexString(statement.blob(11)))
    }
}
