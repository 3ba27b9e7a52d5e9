import Crypto

/// The log as a Merkle tree (contract section 9, RFC 9162 section 2.1): leaf `i` is
/// `SHA-256(0x00 ‖ H)` for the event of `seq` `i + 1` (`H` its `hash`, 32 raw bytes); an
/// inner node is `SHA-256(0x01 ‖ left ‖ right)`; the tree of size `n` is the first `n` events.
///
/// The proofs are made from the roots of complete subtrees (a subtree of `2^k` leaves that
/// starts at a multiple of `2^k`), which a store keeps as the log grows, so that no proof
/// needs a pass over the log.
public enum MerkleTree {
    /// A hash of the tree: 32 bytes.
    public typealias Hash = [UInt8]

    /// The leaf hash of an event whose `hash` is `eventHash` (32 raw bytes).
    public static func leafHash(_ eventHash: Hash) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: eventHash)
        return Array(hasher.finalize())
    }

    /// An inner node's hash.
    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The hash of the empty tree: SHA-256 of nothing.
    public static let emptyRoot: Hash = Array(SHA256.hash(data: [UInt8]()))

    /// The largest power of two smaller than `n` (`n` ≥ 2): where RFC 9162 splits a tree.
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The hash of leaves `start..<end` (MTH of that range), from `complete`, which gives
    /// the root of the complete subtree of `count` leaves (a power of two) at `start` (a
    /// multiple of `count`).
    public static func rangeHash(
        _ start: Int, _ end: Int, complete: (_ start: Int, _ count: Int) throws -> Hash
    ) rethrows -> Hash {
        let count = end - start
        guard count > 0 else { return emptyRoot }
        if count & (count - 1) == 0 && start % count == 0 { return try complete(start, count) }
        let k = split(count)
        return nodeHash(
            try rangeHash(start, start + k, complete: complete), try rangeHash(start + k, end, complete: complete))
    }

    /// The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 2.1.3.1,
    /// PATH(m, D[n])), leaf-side first.
    public static func inclusionProof(
        index: Int, size: Int, complete: (_ start: Int, _ count: Int) throws -> Hash
    ) rethrows -> [Hash] {
        precondition(index >= 0 && index < size, "a leaf inside the tree")
        var path: [Hash] = []
        // Walks down from the whole tree, collecting the siblings top-down, then reverses.
        var start = 0
        var end = size
        var siblings: [Hash] = []
        while end - start > 1 {
            let k = split(end - start)
            if index - start < k {
                siblings.append(try rangeHash(start + k, end, complete: complete))
                end = start + k
            } else {
                siblings.append(try rangeHash(start, start + k, complete: complete))
                start += k
            }
        }
        path = siblings.reversed()
        return path
    }

    /// The consistency proof between the trees of `oldSize` and `newSize` leaves (RFC 9162
    /// 2.1.4.1, PROOF(m, D[n])); empty when the sizes are equal.
    public static func consistencyProof(
        oldSize: Int, newSize: Int, complete: (_ start: Int, _ count: Int) throws -> Hash
    ) rethrows -> [Hash] {
        precondition(oldSize >= 1 && oldSize <= newSize, "0 < m <= n")
        guard oldSize < newSize else { return [] }
        return try subproof(oldSize, 0, newSize, isComplete: true, complete: complete)
    }

    /// SUBPROOF(m, D[start..<end], b) of RFC 9162 2.1.4.1, `m` counted from `start`.
    private static func subproof(
        _ m: Int, _ start: Int, _ end: Int, isComplete: Bool, complete: (_ start: Int, _ count: Int) throws -> Hash
    ) rethrows -> [Hash] {
        let n = end - start
        if m == n {
            return isComplete ? [] : [try rangeHash(start, end, complete: complete)]
        }
        let k = split(n)
        if m <= k {
            return try subproof(m, start, start + k, isComplete: isComplete, complete: complete)
                + [rangeHash(start + k, end, complete: complete)]
        }
        return try subproof(m - k, start + k, end, isComplete: false, complete: complete)
            + [rangeHash(start, start + k, complete: complete)]
    }

    /// Whether `path` proves `leafHash` at `index` in the tree of `size` leaves whose root is
    /// `root` (RFC 9162 2.1.3.2).
    public static func verifyInclusion(leafHash: Hash, index: Int, size: Int, path: [Hash], root: Hash) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in path {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Whether `path` proves that the tree of `oldSize` leaves and root `oldRoot` is a prefix
    /// of the tree of `newSize` leaves and root `newRoot` (RFC 9162 2.1.4.2).
    public static func verifyConsistency(
        oldSize: Int, newSize: Int, oldRoot: Hash, newRoot: Hash, path: [Hash]
    ) -> Bool {
        guard oldSize >= 1, oldSize <= newSize else { return false }
        if oldSize == newSize { return path.isEmpty && oldRoot == newRoot }
        var proof = path
        if oldSize & (oldSize - 1) == 0 { proof.insert(oldRoot, at: 0) }
        guard !proof.isEmpty else { return false }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = proof[0]
        var sr = proof[0]
        for c in proof.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && fr == oldRoot && sr == newRoot
    }
}

/// The roots of the complete subtrees of a growing tree, kept as leaves are appended (the
/// "compact range" of tiled logs): the tree's root at any size is made from them.
public struct MerkleFrontier: Sendable, Equatable {
    /// The roots of the complete subtrees that make up the tree, largest first.
    public private(set) var subtrees: [(level: Int, hash: MerkleTree.Hash)] = []
    public private(set) var size = 0

    public init() {}

    /// The frontier of a tree of `size` leaves, from the roots of its complete subtrees
    /// (`spans(ofSize:)`, in that order).
    public init(size: Int, subtrees: [MerkleTree.Hash]) {
        self.size = size
        self.subtrees = zip(Self.spans(ofSize: size), subtrees).map { ($0.level, $1) }
    }

    /// The complete subtrees that make up a tree of `size` leaves, largest first, as
    /// `(level, start)`: one per bit set in `size`.
    public static func spans(ofSize size: Int) -> [(level: Int, start: Int)] {
        var spans: [(level: Int, start: Int)] = []
        var start = 0
        for level in stride(from: Int.bitWidth - 2, through: 0, by: -1) where size & (1 << level) != 0 {
            spans.append((level, start))
            start += 1 << level
        }
        return spans
    }

    public static func == (lhs: MerkleFrontier, rhs: MerkleFrontier) -> Bool {
        lhs.size == rhs.size && lhs.subtrees.elementsEqual(rhs.subtrees) { $0.level == $1.level && $0.hash == $1.hash }
    }

    /// Appends a leaf; returns the complete subtrees it completed, as `(level, start, hash)`
    /// (the leaf itself at level 0 first), which a store keeps to answer proofs.
    @discardableResult
    public mutating func append(_ leafHash: MerkleTree.Hash) -> [(level: Int, start: Int, hash: MerkleTree.Hash)] {
        var completed: [(level: Int, start: Int, hash: MerkleTree.Hash)] = [(0, size, leafHash)]
        var node = (level: 0, hash: leafHash)
        while let last = subtrees.last, last.level == node.level {
            subtrees.removeLast()
            node = (node.level + 1, MerkleTree.nodeHash(last.hash, node.hash))
            completed.append((node.level, (size + 1) - (1 << node.level), node.hash))
        }
        subtrees.append(node)
        size += 1
        return completed
    }

    /// The root of the tree so far (the right-most subtrees hashed in first).
    public var root: MerkleTree.Hash {
        guard var hash = subtrees.last?.hash else { return MerkleTree.emptyRoot }
        for subtree in subtrees.dropLast().reversed() { hash = MerkleTree.nodeHash(subtree.hash, hash) }
        return hash
    }
}
