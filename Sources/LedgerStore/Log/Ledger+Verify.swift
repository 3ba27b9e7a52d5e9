import Dispatch
import LedgerDomain

/// The first fault `verify` found in the log.
public struct ChainFault: Sendable, Equatable {
    /// The first bad `seq`.
    public var seq: Int64
    public var reason: String
}

/// What `verify` found: how many events it checked, the head, and the first fault if any.
public struct ChainReport: Sendable {
    public var eventCount: Int64
    public var headSeq: Int64
    public var headHash: String
    public var fault: ChainFault?
}

/// What `verify` found in the chain and, when the file has them, in the stored views.
public struct VerifyReport: Sendable {
    public var chain: ChainReport
    /// Nil when the chain has a fault (the views are then not reported) or the file has no views.
    public var views: (fault: ViewFault?, digest: String)?
}

/// The chain pass, run on its own connection and thread while the views are rebuilt.
private final class ChainPass: @unchecked Sendable {
    let ledger: Ledger
    let expect: (seq: Int64, hash: String)?
    var result: Result<ChainReport, any Error> = .failure(CancellationError())

    init(ledger: Ledger, expect: (seq: Int64, hash: String)?) {
        self.ledger = ledger
        self.expect = expect
    }

    func run() {
        result = Result { try ledger.verifyChain(expect: expect) }
    }
}

private struct CancellationError: Error {}

extension Ledger {
    /// Checks the chain and the stored views at once: the chain pass on a second read-only
    /// connection and thread, the fresh replay and the digests on this one (2 cores). Both
    /// read transactions start at the same head, so they see the same ledger.
    public func verify(expect: (seq: Int64, hash: String)? = nil) throws -> VerifyReport {
        guard hasViews else { return VerifyReport(chain: try verifyChain(expect: expect), views: nil) }
        var second = try Ledger.openForReading(path: location)
        var attempts = 0
        // An append may commit between the two opens: open again until both see one head.
        while try second.log.head() != log.head() {
            attempts += 1
            if attempts == 10 {
                let chain = try verifyChain(expect: expect)
                return VerifyReport(chain: chain, views: chain.fault == nil ? try views.verify() : nil)
            }
            second = try Ledger.openForReading(path: location)
        }
        let pass = ChainPass(ledger: second, expect: expect)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { pass.run() }
        let stored = Result { try views.verify() }
        group.wait()
        let chain = try pass.result.get()
        if chain.fault != nil { return VerifyReport(chain: chain, views: nil) }
        return VerifyReport(chain: chain, views: try stored.get())
    }

    /// Checks the whole hash chain in one pass: `seq` without gaps, each `prev_hash` equal to
    /// the previous `hash`, each `hash` equal to the SHA-256 of the event's canonical JSON,
    /// stream versions without gaps and `known_on` as the source says. With `expect`, event
    /// `expect.seq` must still exist and carry `expect.hash`: this catches a truncated log.
    public func verifyChain(expect: (seq: Int64, hash: String)? = nil) throws -> ChainReport {
        // Columns are hashed from SQLite's own bytes into one reused record; a `String` is
        // made only of each stream name (to count its versions) and for a fault's message.
        let statement = try database.prepareScan("SELECT \(StoredEventRow.columns), known_on FROM events ORDER BY seq")
        var checker = ChainChecker()
        var expectedFound = false
        func report(_ fault: ChainFault?) -> ChainReport {
            ChainReport(
                eventCount: checker.count, headSeq: checker.headSeq, headHash: checker.headHash, fault: fault)
        }
        while try statement.step() {
            let row = StoredRow(statement: statement)
            let seq = row.columns.seq
            let hash = row.hash
            if let fault = checker.check(row, of: statement) {
                return report(fault)
            }
            if let expect, expect.seq == seq {
                expectedFound = true
                if !hash.elementsEqual(expect.hash.utf8) {
                    return report(
                        ChainFault(
                            seq: seq,
                            reason:
                                "hash \(String(decoding: hash, as: UTF8.self)) differs from the expected \(expect.hash): history was rewritten"
                        ))
                }
            }
            checker.advance(hash: hash)
        }
        if let expect, !expectedFound {
            return report(
                ChainFault(
                    seq: expect.seq,
                    reason: "event \(expect.seq) is not in the log (head is \(checker.headSeq)): the log was truncated")
            )
        }
        return report(nil)
    }

    /// Whether the stored `known_on` is the one the event's own fields give: its source's
    /// `published_on`, else its `occurred_on`. The canonical source is read without parsing
    /// when it is plainly laid out, else whole.
    static func knownOnMatches(_ knownOn: UnsafeBufferPointer<UInt8>, _ stored: StoredColumns) -> Bool {
        switch Source.publishedOn(inCanonical: stored.source) {
        case .some(.some(let published)): return knownOn.elementsEqual(published)
        case .some(.none): return knownOn.elementsEqual(stored.occurredOn)
        case .none:
            // An unreadable source is the hash check's to report.
            guard case .object(let source)? = try? StrictJSONReader().read(stored.source) else { return true }
            if case .string(let published)? = source["published_on"] { return knownOn.elementsEqual(published.utf8) }
            return knownOn.elementsEqual(stored.occurredOn)
        }
    }

    /// The `known_on` an event's own fields give, or nil if its source cannot be read.
    static func knownOn(of event: StoredEvent) -> String? {
        guard case .object(let source)? = try? StrictJSONReader().read(event.sourceJSON) else { return nil }
        if case .string(let published)? = source["published_on"] { return published }
        return event.occurredOn
    }
}

/// The chain's rules, checked one stored event at a time in `seq` order: no gap, each
/// `prev_hash` the hash before it, each hash that of the event's canonical record, stream
/// versions counting up, `known_on` the one the event gives. `verify` and `copy` share it.
struct ChainChecker {
    private(set) var headSeq: Int64 = 0
    private var previousHash = Array(HashChain.genesis.utf8)
    private var streamVersions: [String: Int64] = [:]
    private var record = CanonicalRecord()
    private(set) var count: Int64 = 0

    /// The hash of the last event checked (the genesis value before any).
    var headHash: String { String(decoding: previousHash, as: UTF8.self) }

    /// The first rule the event breaks, or nil; the event is not counted until `advance`.
    mutating func check(_ row: StoredRow, of statement: any SQLStatement) -> ChainFault? {
        let hash = row.hash
        let knownOn = row.knownOn
        let seq = row.columns.seq
        if seq != headSeq + 1 {
            let reason =
                seq > headSeq + 1
                ? "seq jumps from \(headSeq) to \(seq): events are missing"
                : "seq \(seq) is out of order after \(headSeq)"
            return ChainFault(seq: seq, reason: reason)
        }
        if row.prevHash != previousHash {
            return ChainFault(
                seq: seq,
                reason:
                    "prev_hash \(String(decoding: row.prevHash, as: UTF8.self)) does not equal the hash of event \(headSeq)"
            )
        }
        row.prevHash.withUnsafeBufferPointer { prevHash in
            var columns = row.columns
            columns.prevHash = prevHash
            record.write(columns)
        }
        let stored = row.columns
        let computed = record.hashHex()
        if !hash.elementsEqual(computed) {
            return ChainFault(
                seq: seq,
                reason:
                    "hash mismatch: stored \(String(decoding: hash, as: UTF8.self)), computed \(String(decoding: computed, as: UTF8.self))"
            )
        }
        let stream = String(decoding: stored.stream, as: UTF8.self)
        let version = (streamVersions[stream] ?? 0) + 1
        if stored.streamVersion != version {
            return ChainFault(
                seq: seq, reason: "stream_version \(stored.streamVersion) of \(stream) should be \(version)")
        }
        if !Ledger.knownOnMatches(knownOn, stored) {
            let expected = Ledger.knownOn(of: StoredEventRow.read(statement)) ?? "unreadable source"
            return ChainFault(
                seq: seq,
                reason: "known_on \(String(decoding: knownOn, as: UTF8.self)) does not match the event (\(expected))")
        }
        streamVersions[stream] = version
        return nil
    }

    /// Counts the event just checked: `hash` (hex) is the chain's head now.
    mutating func advance(hash: [UInt8]) {
        headSeq += 1
        previousHash = hash
        count += 1
    }
}

/// One row of `events` as the chain check reads it: the text columns' bytes as the
/// statement holds them (valid until it steps), the hashes as hex (`StoredHash`), and the
/// `known_on` after them.
struct StoredRow {
    /// The columns; `prevHash` is empty here: it is `prevHash` below.
    var columns: StoredColumns
    var prevHash: [UInt8]
    var hash: [UInt8]
    var knownOn: UnsafeBufferPointer<UInt8>

    init(statement: any SQLStatement) {
        prevHash = StoredHash.hex(statement.blob(10))
        hash = StoredHash.hex(statement.blob(11))
        columns = StoredColumns(
            seq: statement.int64(0), id: statement.unsafeText(1), type: statement.unsafeText(2),
            stream: statement.unsafeText(3), streamVersion: statement.int64(4),
            occurredOn: statement.unsafeText(5), source: statement.unsafeText(6), data: statement.unsafeText(7),
            recordedAt: statement.unsafeText(8), recordedBy: statement.unsafeText(9),
            prevHash: UnsafeBufferPointer(start: nil, count: 0))
        knownOn = statement.unsafeText(12)
    }
}
