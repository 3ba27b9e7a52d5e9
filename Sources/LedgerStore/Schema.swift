/// The ledger's SQLite schema, as a list of migrations keyed on `PRAGMA user_version`.
///
/// Migration `i` takes a ledger from version `i` to `i + 1`. A released migration is never
/// edited: later issues append new ones, so that a user's existing ledger file keeps working.
enum Schema {
    /// `PRAGMA application_id` of a ledger file: "LDGR".
    static let applicationID: Int64 = 0x4C44_4752

    static let migrations: [String] = [
        // 1: the append-only event log.
        """
        CREATE TABLE events (
            seq            INTEGER PRIMARY KEY,
            id             TEXT    NOT NULL UNIQUE,
            type           TEXT    NOT NULL,
            stream         TEXT    NOT NULL,
            stream_version INTEGER NOT NULL,
            occurred_on    TEXT    NOT NULL,
            known_on       TEXT    NOT NULL,
            source         TEXT    NOT NULL,
            data           TEXT    NOT NULL,
            recorded_at    TEXT    NOT NULL,
            recorded_by    TEXT    NOT NULL,
            prev_hash      TEXT    NOT NULL,
            hash           TEXT    NOT NULL,
            UNIQUE (stream, stream_version)
        );
        CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be updated'); END;
        CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END;
        """
    ]

    /// The schema version this program writes.
    static var latestVersion: Int64 { Int64(migrations.count) }
}
