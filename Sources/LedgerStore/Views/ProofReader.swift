import LedgerDomain

/// An inclusion proof of one event in the log's tree (contract section 9), hashes in hex.
public struct InclusionProof: Sendable, Equatable {
    public var seq: Int64
    public var treeSize: Int64
    public var leafHash: String
    public var root: String
    public var path: [String]
}

/// A consistency proof between two sizes of the log's tree (contract section 9).
public struct ConsistencyProof: Sendable, Equatable {
    public var oldSize: Int64
    public var newSize: Int64
    public var oldRoot: String
    public var newRoot: String
    public var path: [String]
}

extension Ledger {
    /// The proofs over the log's tree (contract section 9).
    public var proofs: ProofReader { ProofReader(database: database, hasStoredTree: hasViews) }
}

/// Reads the log's Merkle tree (contract section 9): proofs and roots, from the stored tree,
/// or, in a ledger from before it (read-only, not yet upgraded), from the log's hashes.
public struct ProofReader {
    let database: any SQLDatabase
    /// Whether the ledger keeps its tree in `merkle_nodes`.
    let hasStoredTree: Bool

    /// The proof that event `seq` is in the tree of the first `size` events.
    public func inclusionProof(seq: Int64, size: Int64) throws -> InclusionProof {
        let complete = try completeSubtrees(size: size)
        let statement = try database.prepare("SELECT hash FROM events WHERE seq = ?1")
        try statement.bind(seq, at: 1)
        guard try statement.step(), let eventHash = StoredHash.bytes(statement.blob(0)) else {
            throw LedgerStoreError.corruptView(stream: "events (seq \(seq))")
        }
        statement.reset()
        let path = try MerkleTree.inclusionProof(index: Int(seq - 1), size: Int(size), complete: complete)
        return InclusionProof(
            seq: seq, treeSize: size, leafHash: MerkleTable.hex(MerkleTree.leafHash(eventHash)),
            root: MerkleTable.hex(try MerkleTree.rangeHash(0, Int(size), complete: complete)),
            path: path.map(MerkleTable.hex))
    }

    /// The proof that the tree of the first `oldSize` events is a prefix of that of `newSize`.
    public func consistencyProof(oldSize: Int64, newSize: Int64) throws -> ConsistencyProof {
        let complete = try completeSubtrees(size: newSize)
        let path = try MerkleTree.consistencyProof(oldSize: Int(oldSize), newSize: Int(newSize), complete: complete)
        return ConsistencyProof(
            oldSize: oldSize, newSize: newSize,
            oldRoot: MerkleTable.hex(try MerkleTree.rangeHash(0, Int(oldSize), complete: complete)),
            newRoot: MerkleTable.hex(try MerkleTree.rangeHash(0, Int(newSize), complete: complete)),
            path: path.map(MerkleTable.hex))
    }

    /// Where the roots of complete subtrees come from: the stored tree, or, in a ledger from
    /// before it (read-only, not yet upgraded), a tree folded from the log's hashes.
    private func completeSubtrees(size: Int64) throws -> (Int, Int) throws -> MerkleTree.Hash {
        if hasStoredTree {
            let table = try MerkleTable(database: database, schema: database.dialect.storedSchema, size: 0)
            return { start, count in try table.complete(start, count) }
        }
        var frontier = MerkleFrontier()
        var kept: [Int: [Int: MerkleTree.Hash]] = [:]
        let hashes = try database.prepareScan("SELECT hash FROM events WHERE seq <= ?1 ORDER BY seq")
        try hashes.bind(size, at: 1)
        while try hashes.step() {
            guard let bytes = StoredHash.bytes(hashes.blob(0)) else {
                throw LedgerStoreError.corruptView(stream: "events")
            }
            for (level, start, hash) in frontier.append(MerkleTree.leafHash(bytes)) {
                kept[level, default: [:]][start] = hash
            }
        }
        return { start, count in
            guard let hash = kept[count.trailingZeroBitCount]?[start] else {
                throw LedgerStoreError.corruptView(stream: "merkle tree (\(start), \(count))")
            }
            return hash
        }
    }

    /// The root of the tree of the first `size` events (lowercase hex); the empty tree's for 0.
    public func treeRoot(size: Int64) throws -> String {
        guard size > 0 else { return MerkleTable.hex(MerkleTree.emptyRoot) }
        let complete = try completeSubtrees(size: size)
        return MerkleTable.hex(try MerkleTree.rangeHash(0, Int(size), complete: complete))
    }

    /// The root of the tree of the first `size` events computed from the events' own hashes,
    /// without the stored tree: what a root must be before it is signed (lowercase hex).
    public func recomputedTreeRoot(size: Int64) throws -> String {
        var frontier = MerkleFrontier()
        let hashes = try database.prepareScan("SELECT hash FROM events WHERE seq <= ?1 ORDER BY seq")
        try hashes.bind(size, at: 1)
        while try hashes.step() {
            guard let bytes = StoredHash.bytes(hashes.blob(0)) else {
                throw LedgerStoreError.corruptView(stream: "events")
            }
            _ = frontier.append(MerkleTree.leafHash(bytes))
        }
        return MerkleTable.hex(frontier.root)
    }

    /// The roots of `count` consecutive complete subtrees of `2^height` leaves, the first
    /// starting at leaf `index * 2^height`: the hashes of a C2SP `tlog-tiles` tile (a tile of
    /// level L holds nodes of height 8L). Every subtree must lie within the log.
    public func subtreeHashes(height: Int, from index: Int64, count: Int) throws -> [[UInt8]] {
        let leaves = 1 << height
        let complete = try completeSubtrees(size: (index + Int64(count)) << height)
        return try (0..<count).map { offset in
            try complete(Int(index + Int64(offset)) * leaves, leaves)
        }
    }

    /// The 32-byte `hash` of events `from` … `from + count - 1`: the entries of a tile.
    public func eventHashes(from seq: Int64, count: Int) throws -> [[UInt8]] {
        let statement = try database.prepareScan("SELECT hash FROM events WHERE seq >= ?1 AND seq < ?2 ORDER BY seq")
        try statement.bind(seq, at: 1)
        try statement.bind(seq + Int64(count), at: 2)
        var hashes: [[UInt8]] = []
        while try statement.step() {
            guard let bytes = StoredHash.bytes(statement.blob(0)) else {
                throw LedgerStoreError.corruptView(stream: "events")
            }
            hashes.append(bytes)
        }
        return hashes
    }
}
