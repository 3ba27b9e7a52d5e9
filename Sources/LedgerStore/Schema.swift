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
        """,
        // 2: the stored views. Each row is one version of one event's part in its entity:
        // the event as it counts (its data with counted corrections applied), valid from
        // `from_date` up to (not including) `to_date`, as the log stood from `from_seq` up to
        // (not including) `to_seq`; open ends are '9999-99-99' and 9223372036854775807. A
        // retraction has no rows; it ends the rows of what it retracts. `sort1` is the
        // `occurred_on` of the stream's creating event; `amount` (a theft's) and `actor` (an
        // attribution's) serve the actors and totals reports. The views are derived, so
        // unlike the log they may be rewritten (`ledger replay`). The report index carries the
        // validity bounds, so a report skips other days' and seqs' rows inside the index.
        """
        CREATE TABLE event_versions (
            seq         INTEGER NOT NULL,
            from_seq    INTEGER NOT NULL,
            from_date   TEXT    NOT NULL,
            to_date     TEXT    NOT NULL,
            to_seq      INTEGER NOT NULL,
            stream      TEXT    NOT NULL,
            kind        TEXT    NOT NULL,
            sort1       TEXT    NOT NULL,
            type        TEXT    NOT NULL,
            id          TEXT    NOT NULL,
            occurred_on TEXT    NOT NULL,
            known_on    TEXT    NOT NULL,
            publisher   TEXT    NOT NULL,
            data        TEXT    NOT NULL,
            amount      INTEGER,
            actor       TEXT,
            PRIMARY KEY (seq, from_seq, from_date)
        ) WITHOUT ROWID;
        CREATE INDEX event_versions_report
            ON event_versions (kind, sort1, stream, seq, from_date, to_date, from_seq, to_seq, type, amount, actor);
        CREATE INDEX event_versions_stream ON event_versions (stream, seq, from_date, to_date, from_seq, to_seq);
        """,
        // 3: the screening index: every name, alias (as padded trigrams of its normalised
        // form) and identifier a designation ever carried, to find candidates fast. The
        // match itself is always judged on the designation as of the asked day. The counts
        // let a query look up its rarest trigrams first.
        """
        CREATE TABLE screen_trigrams (
            trigram TEXT NOT NULL,
            stream  TEXT NOT NULL,
            PRIMARY KEY (trigram, stream)
        ) WITHOUT ROWID;
        CREATE TABLE screen_trigram_counts (
            trigram TEXT    NOT NULL PRIMARY KEY,
            streams INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE screen_identifiers (
            key    TEXT NOT NULL,
            stream TEXT NOT NULL,
            PRIMARY KEY (key, stream)
        ) WITHOUT ROWID;
        """,
        // 4: narrow, typed views in place of `event_versions` and the text-keyed screening
        // index. `streams` gives every stream an integer key in the order of its first event,
        // with its kind and `sort_day` (its creating event's `occurred_on`). A `versions` row
        // is one version of one event's part in its entity (see migration 2 for the meaning
        // of the bounds), with days as integers YYYYMMDD (open end 99999999), kinds and types
        // as the small integers of `ViewCodes`, a theft's `amount` and an attribution's
        // `actor_id`. `data` holds the event's data as corrected, and only where a correction
        // made it differ from the log's: an uncorrected event's data lives once, in the log.
        // The screening index keeps, per trigram and bucket of 1,024 stream ids, the sorted
        // designations having that trigram in a name they ever carried (`stream_ids`: each the
        // offset in its bucket, 2 bytes little-endian), so a batch writes a few rows per
        // trigram instead of a row per posting; `screen_names` holds each designation's
        // trigrams indexed so far (sorted, one per line), `screen_trigram_counts` how many
        // designations have each trigram. The key leads with `seq, to_seq`, so an event's open
        // versions are found without reading the closed ones, however often it was corrected.
        """
        DROP TABLE event_versions;
        DROP TABLE screen_trigrams;
        DROP TABLE screen_trigram_counts;
        DROP TABLE screen_identifiers;
        CREATE TABLE streams (
            stream_id INTEGER PRIMARY KEY,
            name      TEXT    NOT NULL UNIQUE,
            kind      INTEGER NOT NULL,
            sort_day  INTEGER NOT NULL
        );
        CREATE TABLE versions (
            seq       INTEGER NOT NULL,
            from_seq  INTEGER NOT NULL,
            from_day  INTEGER NOT NULL,
            to_day    INTEGER NOT NULL,
            to_seq    INTEGER NOT NULL,
            stream_id INTEGER NOT NULL,
            kind      INTEGER NOT NULL,
            sort_day  INTEGER NOT NULL,
            type      INTEGER NOT NULL,
            amount    INTEGER,
            actor_id  INTEGER,
            data      TEXT,
            PRIMARY KEY (seq, to_seq, from_seq, from_day)
        ) WITHOUT ROWID;
        CREATE INDEX versions_report
            ON versions (kind, sort_day, stream_id, seq, from_day, to_day, from_seq, to_seq, type, amount, actor_id);
        CREATE TABLE screen_postings (
            trigram    TEXT    NOT NULL,
            bucket     INTEGER NOT NULL,
            stream_ids BLOB    NOT NULL,
            PRIMARY KEY (trigram, bucket)
        ) WITHOUT ROWID;
        CREATE TABLE screen_trigram_counts (
            trigram TEXT    NOT NULL PRIMARY KEY,
            streams INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE screen_names (
            stream_id INTEGER PRIMARY KEY,
            trigrams  TEXT    NOT NULL
        );
        CREATE TABLE screen_identifiers (
            key       TEXT    NOT NULL,
            stream_id INTEGER NOT NULL,
            PRIMARY KEY (key, stream_id)
        ) WITHOUT ROWID;
        """,
        // 5: the totals and actors tallies and the obligations counts kept ready at the log's head.
        // (`IncidentTallyTable`, `ComplianceCountTable`).
        // `incident_sums` adds up, per tally (`scope` 0: a year of occurrence, `key` the year;
        // 1: an actor, `key` its stream id) and per year and per day a change takes effect
        // (`level` 0, 2: `bucket` YYYY, YYYYMMDD), how the incidents, attributed
        // incidents and amount change; the amount exactly, as `amount_high * 2^62 + amount_low`.
        // `actor_incidents` holds the days `[from_day, to_day)` on which an incident counts
        // for an actor, by actor and the incident's `occurred_on`. `compliance_sums` adds up by
        // the same years and days how many compliance reports count per resolution, obligation and
        // status (`ComplianceCountTable`). `figure_versions` repeats each version of each
        // figure report with its metric, period, value, `known_on` and publisher (`FigureTable`).
        """
        CREATE TABLE incident_sums (
            scope       INTEGER NOT NULL,
            level       INTEGER NOT NULL,
            bucket      INTEGER NOT NULL,
            key         INTEGER NOT NULL,
            incidents   INTEGER NOT NULL,
            attributed  INTEGER NOT NULL,
            amount_high INTEGER NOT NULL,
            amount_low  INTEGER NOT NULL,
            PRIMARY KEY (scope, level, bucket, key)
        ) WITHOUT ROWID;
        CREATE TABLE actor_incidents (
            actor_id     INTEGER NOT NULL,
            occurred_day INTEGER NOT NULL,
            stream_id    INTEGER NOT NULL,
            from_day     INTEGER NOT NULL,
            to_day       INTEGER NOT NULL,
            PRIMARY KEY (actor_id, occurred_day, stream_id, from_day)
        ) WITHOUT ROWID;
        CREATE TABLE figure_versions (
            seq       INTEGER NOT NULL,
            to_seq    INTEGER NOT NULL,
            from_seq  INTEGER NOT NULL,
            from_day  INTEGER NOT NULL,
            to_day    INTEGER NOT NULL,
            sort_day  INTEGER NOT NULL,
            metric    TEXT    NOT NULL,
            period    INTEGER NOT NULL,
            value     INTEGER NOT NULL,
            known_on  TEXT    NOT NULL,
            publisher TEXT    NOT NULL,
            PRIMARY KEY (seq, to_seq, from_seq, from_day)
        ) WITHOUT ROWID;
        CREATE TABLE compliance_sums (
            level      INTEGER NOT NULL,
            bucket     INTEGER NOT NULL,
            stream_id  INTEGER NOT NULL,
            obligation TEXT    NOT NULL,
            status     TEXT    NOT NULL,
            reports    INTEGER NOT NULL,
            PRIMARY KEY (level, bucket, stream_id, obligation, status)
        ) WITHOUT ROWID;
        """,
        // 6: the screening index holds what a designation's versions say, typed, so that
        // screening reads no event data: one row per term of each version of each
        // designation event, with the version's bounds (as in `versions`). `role` 0 is the
        // entry (`value` the entity, `detail` the list), 1 an alias, 2 an identifier added and
        // 3 one removed (`detail` its kind), 4 the removal (`value` its `occurred_on`); names
        // carry their normalised form and their words sorted (`ScreeningIndex`). The
        // trigrams a designation has in the postings are those of the names of its terms, so
        // `screen_names` goes.
        """
        DROP TABLE IF EXISTS screen_names;
        CREATE TABLE designation_terms (
            stream_id     INTEGER NOT NULL,
            seq           INTEGER NOT NULL,
            to_seq        INTEGER NOT NULL,
            from_seq      INTEGER NOT NULL,
            from_day      INTEGER NOT NULL,
            to_day        INTEGER NOT NULL,
            position      INTEGER NOT NULL,
            role          INTEGER NOT NULL,
            value         TEXT    NOT NULL,
            detail        TEXT,
            normalized    TEXT,
            sorted_tokens TEXT,
            PRIMARY KEY (stream_id, seq, to_seq, from_seq, from_day, position)
        ) WITHOUT ROWID;
        """,
        // 7: names are normalised as contract section 11 says (compatibility forms, invisible
        // characters, look-alikes, other scripts transliterated) and indexed under their
        // romanisation keys too; identifiers canonically (bech32 in one case): the tables
        // stay, the screening index is rebuilt (`viewsVersion`), with the other views.
        "SELECT 1;",
        // 8: the log as a Merkle tree (contract section 9): the root of every complete
        // subtree of two leaves or more (`2^level` leaves from leaf `start`, 0-based),
        // lowercase hex, written as the log grows and rebuilt with the other views; any proof
        // is made from these rows and the events' hashes (the leaves).
        """
        CREATE TABLE merkle_nodes (
            level INTEGER NOT NULL,
            start INTEGER NOT NULL,
            hash  TEXT    NOT NULL,
            PRIMARY KEY (level, start)
        ) WITHOUT ROWID;
        """,
        // 9: every designation whose name or alias is the query's, normalised or with its
        // words sorted, is found by these indexes, whatever the count of others sharing its
        // words (contract section 11); free text holding U+0000 is stored as `StoredText`
        // writes it, the same on both engines: the views are rebuilt (`viewsVersion`).
        """
        CREATE INDEX designation_terms_normalized ON designation_terms (normalized, stream_id);
        CREATE INDEX designation_terms_sorted ON designation_terms (sorted_tokens, stream_id);
        """,
        // 10: the totals report reads, per period, the figure known last by a look-up in this
        // index instead of every figure version of the metric (`FigureTable.latest`); the
        // views stay as they are.
        """
        CREATE INDEX IF NOT EXISTS figure_versions_latest ON figure_versions (metric, period, known_on, seq);
        """,
        // 11: hashes are stored as their 32 bytes (`StoredHash`), not as 64 hex digits: the
        // log is copied once into a table whose `prev_hash` and `hash` are blobs
        // (`ledger_hash_bytes` turns hex into bytes and keeps anything else as it is), with
        // the same columns, keys and guards as migration 1 gave it. The Merkle tree keeps its
        // nodes as bytes too, from level 2 up: a level-1 node is two leaves' hash, made from
        // the log when asked (`MerkleTable`); the views are rebuilt (`viewsVersion`).
        """
        CREATE TABLE events_hashed_as_bytes (
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
            prev_hash      BLOB    NOT NULL,
            hash           BLOB    NOT NULL,
            UNIQUE (stream, stream_version)
        );
        INSERT INTO events_hashed_as_bytes
            SELECT seq, id, type, stream, stream_version, occurred_on, known_on, source, data, recorded_at,
                   recorded_by, ledger_hash_bytes(prev_hash), ledger_hash_bytes(hash)
            FROM events ORDER BY seq;
        DROP TABLE events;
        ALTER TABLE events_hashed_as_bytes RENAME TO events;
        \(FileGuards.creation)
        DROP TABLE IF EXISTS merkle_nodes;
        CREATE TABLE merkle_nodes (
            level INTEGER NOT NULL,
            start INTEGER NOT NULL,
            hash  BLOB    NOT NULL,
            PRIMARY KEY (level, start)
        ) WITHOUT ROWID;
        """,
    ]

    /// The schema from which the log stores its hashes as bytes (migration 11).
    static let hashesAsBytesVersion: Int64 = 11

    /// The schema version from which the stored views are those this program reads (the
    /// narrow ones of migration 4, the tallies of migration 5, the designation terms of 6 and
    /// the names normalised by section 11 of 7, the names' indexes and stored text of 9, the
    /// Merkle tree as bytes of 11).
    static let viewsVersion: Int64 = 11

    /// The open end of a valid-time range.
    static let openDay: Int64 = 99_999_999
    /// The open end of a transaction-time range.
    static let openSeq = Int64.max

    /// The schema version this program writes.
    static var latestVersion: Int64 { Int64(migrations.count) }
}
