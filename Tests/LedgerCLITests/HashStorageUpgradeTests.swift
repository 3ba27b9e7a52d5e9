import Foundation
import LedgerStore
import LedgerTestSupport
import Testing

/// Schema 11 stores the log's hashes and the Merkle tree's nodes as bytes. A ledger written
/// before it (hashes as 64 hex digits) is read as it is, and upgraded once by the first
/// command that writes: the same events, the same hashes, the same proofs.
@Suite struct HashStorageUpgradeTests {
    /// What a ledger shows of its hashes: the log, a checkpoint's root, a proof.
    func hashesShown(by sandbox: LedgerSandbox) throws -> [String] {
        let log = try sandbox.run(["log"])
        let checkpoint = try sandbox.run(["checkpoint"])
        let proof = try sandbox.run(["prove", "3", "--size", "10"])
        #expect(log.status == 0 && checkpoint.status == 0 && proof.status == 0, "\(proof.stderr)")
        return [log.stdout, checkpoint.stdout, proof.stdout]
    }

    /// Rewrites the ledger as schema 10 wrote it: the hashes as lowercase hex text, the
    /// Merkle tree's nodes (none kept here: the views are rebuilt on upgrade anyway) as text.
    func downgradeToSchema10(_ sandbox: LedgerSandbox) throws {
        if let server = sandbox.serverDatabase {
            try TestServer.run(
                """
                ALTER TABLE events ALTER COLUMN prev_hash TYPE text USING encode(prev_hash, 'hex'),
                    ALTER COLUMN hash TYPE text USING encode(hash, 'hex');
                DROP TABLE merkle_nodes;
                CREATE TABLE merkle_nodes (level bigint NOT NULL, start bigint NOT NULL,
                    hash text COLLATE "C" NOT NULL, PRIMARY KEY (level, start));
                UPDATE ledger_meta SET value = '10' WHERE key = 'schema_version';
                """, database: server)
            return
        }
        let database = try SQLiteDatabase(path: sandbox.database, mode: .readWrite)
        try database.execute(
            """
            CREATE TABLE events_as_hex (
                seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, stream TEXT NOT NULL,
                stream_version INTEGER NOT NULL, occurred_on TEXT NOT NULL, known_on TEXT NOT NULL,
                source TEXT NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL,
                prev_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream, stream_version));
            INSERT INTO events_as_hex SELECT seq, id, type, stream, stream_version, occurred_on, known_on, source,
                data, recorded_at, recorded_by, lower(hex(prev_hash)), lower(hex(hash)) FROM events;
            DROP TABLE events;
            ALTER TABLE events_as_hex RENAME TO events;
            CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be updated'); END;
            CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END;
            DROP TABLE merkle_nodes;
            CREATE TABLE merkle_nodes (level INTEGER NOT NULL, start INTEGER NOT NULL, hash TEXT NOT NULL,
                PRIMARY KEY (level, start)) WITHOUT ROWID;
            PRAGMA user_version = 10;
            """)
    }

    @Test(arguments: Backend.allCases) func aLedgerWithHexHashesIsReadAsItIsAndUpgradedOnce(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let before = try hashesShown(by: sandbox)
        #expect(try sandbox.rawQuery("SELECT DISTINCT length(hash) FROM events") == ["32"])

        try downgradeToSchema10(sandbox)
        #expect(try sandbox.rawQuery("SELECT DISTINCT length(hash) FROM events") == ["64"])
        // Read as it is: nothing written, the same answers.
        #expect(try hashesShown(by: sandbox) == before)
        let oldVerify = try sandbox.run(["verify"])
        #expect(oldVerify.status == 0, "\(oldVerify.stdout)\(oldVerify.stderr)")

        // The first write upgrades it, and says so once.
        let extra = ReportTests.golden.appendingPathComponent("extra.ndjson").path
        let upgrade = try sandbox.run(["append", extra])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(upgrade.stderr.contains("note: ") && upgrade.stderr.contains("upgraded once from schema 10 to 11"))
        #expect(try sandbox.rawQuery("SELECT DISTINCT length(hash) FROM events") == ["32"])
        #expect(try sandbox.rawQuery("SELECT DISTINCT length(prev_hash) FROM events") == ["32"])
        #expect(try sandbox.rawQuery("SELECT count(*) FROM merkle_nodes WHERE level < 2") == ["0"])
        let again = try sandbox.run(["append", extra])
        #expect(again.status == 0 && !again.stderr.contains("upgraded"), "\(again.stderr)")

        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains("projections ok"), "\(verify.stdout)\(verify.stderr)")
        // The seeds' events keep their hashes: the log begins as it did, the proofs are the same.
        let after = try sandbox.run(["log"]).stdout
        #expect(after.hasPrefix(before[0]))
        #expect(try sandbox.run(["prove", "3", "--size", "10"]).stdout == before[2])
    }

    @Test func aReaderHoldingTheFileDoesNotFailTheUpgrade() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        try downgradeToSchema10(sandbox)
        // A reader in a read transaction the whole time: in WAL mode the upgrade and the
        // vacuum after it write past it, and its snapshot stays the one it began with.
        let reader = try SQLiteDatabase(path: sandbox.database, mode: .readOnly)
        try reader.execute("BEGIN")
        #expect(try reader.integer("SELECT count(*) FROM events") ?? 0 > 0)
        let extra = ReportTests.golden.appendingPathComponent("extra.ndjson").path
        let upgrade = try sandbox.run(["append", extra])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(upgrade.stderr.contains("upgraded once from schema 10 to 11"))
        #expect(try reader.integer("SELECT length(hash) FROM events WHERE seq = 1") == 64)
        try reader.execute("COMMIT")
        #expect(try sandbox.rawQuery("PRAGMA user_version") == ["11"])
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    @Test func aHashRewrittenByHandIsReportedNotLostByTheUpgrade() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        try downgradeToSchema10(sandbox)
        try sandbox.tamper("UPDATE events SET hash = 'not a hash' WHERE seq = 4")
        // The tree cannot be built from a hash that is not one: the upgrade is refused, and
        // the file stays as it was, for verify to say why.
        let upgrade = try sandbox.run(["init"])
        #expect(upgrade.status != 0 && upgrade.stderr.hasPrefix("error: "), "\(upgrade.stderr)")
        #expect(try sandbox.rawQuery("PRAGMA user_version") == ["10"])
        #expect(try sandbox.rawQuery("SELECT typeof(hash), hash FROM events WHERE seq = 4") == ["text|not a hash"])
        let verify = try sandbox.run(["verify"])
        #expect(verify.status == 1, "\(verify.stdout)")
        #expect((verify.stdout + verify.stderr).contains("stored not a hash"), "\(verify.stdout)\(verify.stderr)")
    }
}
