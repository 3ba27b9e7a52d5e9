import LedgerDomain

/// The log's Merkle tree as stored (`merkle_nodes`): the roots of its complete subtrees of
/// four leaves or more, as bytes, written as events are appended (in the batch's transaction)
/// and by a rebuild, and read to make proofs without a pass over the log. A leaf is not
/// stored, nor a node of two leaves: each is made from its events' `hash`, a row or two of
/// the log away (which halves what the tree takes on disk).
final class MerkleTable {
    private let database: any SQLDatabase
    private let schema: String
    private(set) var frontier: MerkleFrontier
    private var insert: (any SQLStatement)?
    private var find: (any SQLStatement)?
    private var leaf: (any SQLStatement)?

    /// The lowest level stored; those below are made from the log.
    static let lowestStoredLevel = 2

    /// The tree of the first `size` events, as stored in `schema`.
    init(database: any SQLDatabase, schema: String, size: Int64) throws {
        self.database = database
        self.schema = schema
        frontier = MerkleFrontier()
        let spans = MerkleFrontier.spans(ofSize: Int(size))
        var subtrees: [MerkleTree.Hash] = []
        for span in spans {
            guard let hash = try node(level: span.level, start: span.start) else {
                throw LedgerStoreError.corruptView(stream: "merkle_nodes (\(span.level), \(span.start))")
            }
            subtrees.append(hash)
        }
        frontier = MerkleFrontier(size: Int(size), subtrees: subtrees)
    }

    /// Adds the leaf of the next event, whose `hash` is `storedHash` as the log stores it
    /// (its 32 bytes, or hex: `StoredHash`), and stores the complete subtrees it completes.
    func append(storedHash: [UInt8]) throws {
        guard let bytes = StoredHash.bytes(storedHash) else {
            throw LedgerStoreError.corruptView(stream: "merkle_nodes: an event hash that is not one")
        }
        let statement =
            try insert
            ?? database.prepareInsert(RowInsert(into: "\(schema).merkle_nodes", columns: ["level", "start", "hash"]))
        insert = statement
        for (level, start, hash) in frontier.append(MerkleTree.leafHash(bytes)) where level >= Self.lowestStoredLevel {
            statement.reset()
            try statement.bind(Int64(level), at: 1)
            try statement.bind(Int64(start), at: 2)
            try statement.bind(blob: hash, at: 3)
            try statement.step()
        }
        statement.reset()
    }

    /// The root of the complete subtree of `2^level` leaves from leaf `start`, if stored
    /// (or, below the lowest stored level, if its events are).
    func node(level: Int, start: Int) throws -> MerkleTree.Hash? {
        if level < Self.lowestStoredLevel {
            guard let left = try leafHash(at: start) else { return nil }
            if level == 0 { return left }
            guard let right = try leafHash(at: start + 1) else { return nil }
            return MerkleTree.nodeHash(left, right)
        }
        let statement =
            try find ?? database.prepare("SELECT hash FROM \(schema).merkle_nodes WHERE level = ?1 AND start = ?2")
        find = statement
        statement.reset()
        try statement.bind(Int64(level), at: 1)
        try statement.bind(Int64(start), at: 2)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return StoredHash.bytes(statement.blob(0))
    }

    /// The leaf of event `index + 1`, nil beyond the log.
    private func leafHash(at index: Int) throws -> MerkleTree.Hash? {
        let statement = try leaf ?? database.prepare("SELECT hash FROM events WHERE seq = ?1")
        leaf = statement
        statement.reset()
        try statement.bind(Int64(index + 1), at: 1)
        defer { statement.reset() }
        guard try statement.step(), let bytes = StoredHash.bytes(statement.blob(0)) else { return nil }
        return MerkleTree.leafHash(bytes)
    }

    /// The root of the complete subtree of `count` leaves (a power of two) from `start`.
    func complete(_ start: Int, _ count: Int) throws -> MerkleTree.Hash {
        guard let hash = try node(level: count.trailingZeroBitCount, start: start) else {
            throw LedgerStoreError.corruptView(stream: "merkle_nodes (\(count.trailingZeroBitCount), \(start))")
        }
        return hash
    }

    /// `bytes` in lowercase hex.
    static func hex(_ bytes: [UInt8]) -> String {
        String(decoding: HashChain.hex(bytes), as: UTF8.self)
    }
}
