import LedgerDomain

/// What `Ledger.copy(from:)` did.
public struct CopySummary: Sendable {
    /// Events the destination held already: a prefix of the source's log.
    public var present: Int64
    /// Events copied.
    public var copied: Int64
    /// The destination's head afterwards.
    public var headSeq: Int64
    public var headHash: String
    /// Where the source's chain breaks: the events before it were copied, none after.
    public var fault: ChainFault?
}

extension Ledger {
    /// Copies into this ledger, verbatim (same `seq`, `recorded_at`, `recorded_by`, hashes),
    /// the events of `source` it does not hold yet, checking the source's chain from its first
    /// event as it goes, then rebuilds the views; one transaction (contract section 7).
    ///
    /// This ledger must be empty or hold a prefix of the source's log (its head's hash equal to
    /// the source's at that `seq`); otherwise nothing is copied. A source whose chain breaks is
    /// copied up to the event before the break, which the summary names.
    /// With `upTo`, only the source's events 1…`upTo` are copied.
    public func copy(from source: Ledger, upTo: Int64 = .max, progress: (Int64) -> Void = { _ in }) throws
        -> CopySummary
    {
        try database.transaction {
            let present = try log.head()
            let read = try source.database.prepareScan(
                "SELECT \(StoredEventRow.columns), known_on FROM events WHERE seq <= ?1 ORDER BY seq")
            try read.bind(upTo, at: 1)
            let insert = try database.prepareInsert(
                RowInsert(
                    into: "events",
                    columns: [
                        "seq", "id", "type", "stream", "stream_version", "occurred_on", "source", "data",
                        "recorded_at", "recorded_by", "prev_hash", "hash", "known_on",
                    ]))
            var checker = ChainChecker()
            var copied: Int64 = 0
            var fault: ChainFault?
            while try read.step() {
                let row = StoredRow(statement: read)
                let (stored, hash) = (row.columns, row.hash)
                if let broken = checker.check(row, of: read) {
                    fault = broken
                    break
                }
                if stored.seq == present.seq, !hash.elementsEqual(present.hash.utf8) {
                    throw LedgerStoreError.notAPrefix(
                        path: path,
                        reason: "its event \(present.seq) differs from the source's (another history)")
                }
                if stored.seq > present.seq {
                    // Every column as the source stores it: the bytes are bound without a copy
                    // and read by the destination before the source steps again.
                    // Column k of the source is parameter k + 1.
                    insert.reset()
                    try insert.bind(stored.seq, at: 1)
                    try insert.bind(stored.streamVersion, at: 5)
                    for column: Int32 in [1, 2, 3, 5, 6, 7, 8, 9, 12] {
                        try insert.bind(staticText: read.unsafeText(column), at: column + 1)
                    }
                    // The hashes as this ledger stores them (`StoredHash`), whatever the source's schema.
                    try insert.bind(blob: StoredHash.stored(hex: row.prevHash), at: 11)
                    try insert.bind(blob: StoredHash.stored(hex: hash), at: 12)
                    try insert.step()
                    insert.reset()
                    copied += 1
                    progress(stored.seq)
                }
                checker.advance(hash: hash)
            }
            read.reset()
            if fault == nil, checker.headSeq < present.seq {
                throw LedgerStoreError.notAPrefix(
                    path: path, reason: "it holds \(present.seq) events, the source only \(checker.headSeq)")
            }
            if fault != nil, checker.headSeq < present.seq {
                // The source breaks inside what the destination holds: nothing to copy.
                return CopySummary(
                    present: present.seq, copied: 0, headSeq: present.seq, headHash: present.hash, fault: fault)
            }
            if copied > 0 { _ = try views.rebuildInTransaction() }
            let after = try log.head()
            return CopySummary(
                present: present.seq, copied: copied, headSeq: after.seq, headHash: after.hash, fault: fault)
        }
    }
}
