import LedgerDomain

/// The ledger's tables on a PostgreSQL server: the same tables, columns and keys as the
/// SQLite file at its latest schema (`Schema`), so that the same SQL runs on both and the
/// views digest the same, with the server's own types (`bigint`, `text` compared by bytes,
/// `bytea`), its own guard of the log, and the row that serialises appends: a writer holds
/// the lock on `ledger_head`'s one row from reading the log's head to its commit.
enum ServerSchema {
    /// The schema version this program writes on a server (that of the SQLite file's views).
    static var version: Int64 { Schema.latestVersion }

    /// How long a writer waits for its turn (the contract's busy timeout), in milliseconds.
    static let busyTimeoutMilliseconds = 5_000

    /// The schema version of the ledger in the connection's database; nil when it holds none.
    static func version(on connection: ServerConnection) throws -> Int64? {
        guard try connection.bool("SELECT to_regclass('ledger_meta') IS NOT NULL") == true else { return nil }
        return try connection.text("SELECT value FROM ledger_meta WHERE key = 'schema_version'").flatMap { Int64($0) }
    }

    /// Serialises concurrent `init`s: two `CREATE TABLE IF NOT EXISTS` at once can collide.
    static let initLock: Int64 = 0x4C45_4447_4552  // "LEDGER"

    /// Creates whatever is missing, in one transaction; running it again changes nothing. A
    /// database that holds other tables but no ledger is refused: the ledger wants its own.
    static func create(on connection: ServerConnection) throws {
        try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock(\(initLock))")
            // Another process may have created it while this one waited: then nothing is run
            // again (its DDL would lock tables that writers are already appending to).
            if try version(on: connection) != nil { return }
            let others = try connection.integer(
                """
                SELECT count(*)::bigint FROM pg_tables WHERE schemaname = current_schema()
                AND to_regclass('ledger_meta') IS NULL
                """)
            if let others, others > 0 {
                throw LedgerStoreError.notALedger(
                    path: connection.address.description,
                    reason: "a database with \(others) tables of some other application; give the ledger its own")
            }
            try connection.execute(tables)
            try connection.execute(guardOfTheLog)
            try connection.execute(
                """
                INSERT INTO ledger_meta (key, value) VALUES ('schema_version', '\(version)')
                ON CONFLICT (key) DO NOTHING;
                INSERT INTO ledger_head (one) VALUES (1) ON CONFLICT (one) DO NOTHING;
                """)
        }
    }

    /// The tables; text that is sorted or compared is compared by bytes (`COLLATE "C"`), as
    /// SQLite compares it.
    static let tables = """
        CREATE TABLE IF NOT EXISTS ledger_meta (
            key   text COLLATE "C" PRIMARY KEY,
            value text NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ledger_head (
            one integer PRIMARY KEY CHECK (one = 1)
        );
        CREATE TABLE IF NOT EXISTS events (
            seq            bigint PRIMARY KEY,
            id             text COLLATE "C" NOT NULL UNIQUE,
            type           text COLLATE "C" NOT NULL,
            stream         text COLLATE "C" NOT NULL,
            stream_version bigint NOT NULL,
            occurred_on    text COLLATE "C" NOT NULL,
            known_on       text COLLATE "C" NOT NULL,
            source         text NOT NULL,
            data           text NOT NULL,
            recorded_at    text COLLATE "C" NOT NULL,
            recorded_by    text NOT NULL,
            prev_hash      bytea NOT NULL,
            hash           bytea NOT NULL,
            UNIQUE (stream, stream_version)
        );
        CREATE TABLE IF NOT EXISTS streams (
            stream_id bigint PRIMARY KEY,
            name      text COLLATE "C" NOT NULL UNIQUE,
            kind      bigint NOT NULL,
            sort_day  bigint NOT NULL
        );
        CREATE TABLE IF NOT EXISTS versions (
            seq       bigint NOT NULL,
            from_seq  bigint NOT NULL,
            from_day  bigint NOT NULL,
            to_day    bigint NOT NULL,
            to_seq    bigint NOT NULL,
            stream_id bigint NOT NULL,
            kind      bigint NOT NULL,
            sort_day  bigint NOT NULL,
            type      bigint NOT NULL,
            amount    bigint,
            actor_id  bigint,
            data      text,
            PRIMARY KEY (seq, to_seq, from_seq, from_day)
        );
        CREATE INDEX IF NOT EXISTS versions_report
            ON versions (kind, sort_day, stream_id, seq, from_day, to_day, from_seq, to_seq, type, amount, actor_id);
        CREATE TABLE IF NOT EXISTS screen_postings (
            trigram    text COLLATE "C" NOT NULL,
            bucket     bigint NOT NULL,
            stream_ids bytea  NOT NULL,
            PRIMARY KEY (trigram, bucket)
        );
        CREATE TABLE IF NOT EXISTS screen_trigram_counts (
            trigram text COLLATE "C" NOT NULL PRIMARY KEY,
            streams bigint NOT NULL
        );
        CREATE TABLE IF NOT EXISTS screen_identifiers (
            key       text COLLATE "C" NOT NULL,
            stream_id bigint NOT NULL,
            PRIMARY KEY (key, stream_id)
        );
        CREATE TABLE IF NOT EXISTS incident_sums (
            scope       bigint NOT NULL,
            level       bigint NOT NULL,
            bucket      bigint NOT NULL,
            key         bigint NOT NULL,
            incidents   bigint NOT NULL,
            attributed  bigint NOT NULL,
            amount_high bigint NOT NULL,
            amount_low  bigint NOT NULL,
            PRIMARY KEY (scope, level, bucket, key)
        );
        CREATE TABLE IF NOT EXISTS actor_incidents (
            actor_id     bigint NOT NULL,
            occurred_day bigint NOT NULL,
            stream_id    bigint NOT NULL,
            from_day     bigint NOT NULL,
            to_day       bigint NOT NULL,
            PRIMARY KEY (actor_id, occurred_day, stream_id, from_day)
        );
        CREATE TABLE IF NOT EXISTS figure_versions (
            seq       bigint NOT NULL,
            to_seq    bigint NOT NULL,
            from_seq  bigint NOT NULL,
            from_day  bigint NOT NULL,
            to_day    bigint NOT NULL,
            sort_day  bigint NOT NULL,
            metric    text COLLATE "C" NOT NULL,
            period    bigint NOT NULL,
            value     bigint NOT NULL,
            known_on  text COLLATE "C" NOT NULL,
            publisher text COLLATE "C" NOT NULL,
            PRIMARY KEY (seq, to_seq, from_seq, from_day)
        );
        CREATE TABLE IF NOT EXISTS compliance_sums (
            level      bigint NOT NULL,
            bucket     bigint NOT NULL,
            stream_id  bigint NOT NULL,
            obligation text COLLATE "C" NOT NULL,
            status     text COLLATE "C" NOT NULL,
            reports    bigint NOT NULL,
            PRIMARY KEY (level, bucket, stream_id, obligation, status)
        );
        CREATE TABLE IF NOT EXISTS merkle_nodes (
            level bigint NOT NULL,
            start bigint NOT NULL,
            hash  bytea NOT NULL,
            PRIMARY KEY (level, start)
        );
        CREATE TABLE IF NOT EXISTS designation_terms (
            stream_id     bigint NOT NULL,
            seq           bigint NOT NULL,
            to_seq        bigint NOT NULL,
            from_seq      bigint NOT NULL,
            from_day      bigint NOT NULL,
            to_day        bigint NOT NULL,
            position      bigint NOT NULL,
            role          bigint NOT NULL,
            value         text COLLATE "C" NOT NULL,
            detail        text COLLATE "C",
            normalized    text COLLATE "C",
            sorted_tokens text COLLATE "C",
            PRIMARY KEY (stream_id, seq, to_seq, from_seq, from_day, position)
        );
        CREATE INDEX IF NOT EXISTS designation_terms_normalized ON designation_terms (normalized, stream_id);
        CREATE INDEX IF NOT EXISTS designation_terms_sorted ON designation_terms (sorted_tokens, stream_id);
        CREATE INDEX IF NOT EXISTS figure_versions_latest ON figure_versions (metric, period, known_on, seq);
        """

    /// What schema 11 changed in tables that already exist (a file's migration 11): the
    /// log's hashes become their bytes (hex that is not a hash is kept as its text, for
    /// `verify` to report), and the Merkle tree, rebuilt with the views, keeps bytes too.
    /// Changing a column's type rewrites the table without firing the log's guards.
    static let hashesAsBytes = """
        ALTER TABLE events
            ALTER COLUMN prev_hash TYPE bytea USING (CASE WHEN prev_hash ~ '^[0-9a-f]{64}$'
                THEN decode(prev_hash, 'hex') ELSE convert_to(prev_hash, 'UTF8') END),
            ALTER COLUMN hash TYPE bytea USING (CASE WHEN hash ~ '^[0-9a-f]{64}$'
                THEN decode(hash, 'hex') ELSE convert_to(hash, 'UTF8') END);
        DROP TABLE IF EXISTS merkle_nodes;
        """

    /// The triggers that guard the log.
    static let guardTriggers = ["events_refuse_update", "events_refuse_delete", "events_refuse_truncate"]

    /// The server itself refuses to change or remove the log, whoever asks: a trigger on
    /// every row updated or deleted, and one on `TRUNCATE`. (The tables' owner, and a
    /// superuser, can still disable or drop them: `verify` reports a guard that is not in
    /// place, and a checkpoint kept elsewhere shows a log cut at its end.)
    static let guardOfTheLog = """
        CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the event log is append-only: % of events is refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$;
        CREATE OR REPLACE TRIGGER events_refuse_update BEFORE UPDATE ON events
            FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
        CREATE OR REPLACE TRIGGER events_refuse_delete BEFORE DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
        CREATE OR REPLACE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
        """
}
