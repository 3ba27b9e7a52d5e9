import Crypto
import Testing

@testable import LedgerDomain

/// The Merkle tree of contract section 9 against a reference written here from RFC 9162's
/// definitions (MTH, PATH, PROOF, by recursion over the leaves), for every pair of sizes up
/// to 64: the tree's roots, the proofs, and the verifiers' verdicts on good and tampered ones.
@Suite struct MerkleTreeTests {
    /// Leaf hashes of events whose `hash` is the SHA-256 of their number.
    static let leaves: [MerkleTree.Hash] = (0..<64).map { index in
        MerkleTree.leafHash(Array(SHA256.hash(data: Array("event \(index)".utf8))))
    }

    // The reference, straight from RFC 9162 section 2.1.
    static func mth(_ d: ArraySlice<MerkleTree.Hash>) -> MerkleTree.Hash {
        if d.isEmpty { return Array(SHA256.hash(data: [UInt8]())) }
        if d.count == 1 { return d.first! }
        var k = 1
        while k * 2 < d.count { k *= 2 }
        let start = d.startIndex
        return sha(0x01, mth(d[start..<(start + k)]) + mth(d[(start + k)...]))
    }

    static func sha(_ prefix: UInt8, _ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: [prefix] + bytes))
    }

    static func path(_ m: Int, _ d: ArraySlice<MerkleTree.Hash>) -> [MerkleTree.Hash] {
        if d.count == 1 { return [] }
        var k = 1
        while k * 2 < d.count { k *= 2 }
        let start = d.startIndex
        if m < k { return path(m, d[start..<(start + k)]) + [mth(d[(start + k)...])] }
        return path(m - k, d[(start + k)...]) + [mth(d[start..<(start + k)])]
    }

    static func subproof(_ m: Int, _ d: ArraySlice<MerkleTree.Hash>, _ b: Bool) -> [MerkleTree.Hash] {
        if m == d.count { return b ? [] : [mth(d)] }
        var k = 1
        while k * 2 < d.count { k *= 2 }
        let start = d.startIndex
        if m <= k { return subproof(m, d[start..<(start + k)], b) + [mth(d[(start + k)...])] }
        return subproof(m - k, d[(start + k)...], false) + [mth(d[start..<(start + k)])]
    }

    /// An independent verifier: the root recomputed along the tree's shape.
    static func rootFrom(leaf: MerkleTree.Hash, index: Int, size: Int, path: ArraySlice<MerkleTree.Hash>)
        -> MerkleTree.Hash?
    {
        if size == 1 { return path.isEmpty ? leaf : nil }
        guard let sibling = path.last else { return nil }
        var k = 1
        while k * 2 < size { k *= 2 }
        if index < k {
            guard let left = rootFrom(leaf: leaf, index: index, size: k, path: path.dropLast()) else { return nil }
            return sha(0x01, left + sibling)
        }
        guard let right = rootFrom(leaf: leaf, index: index - k, size: size - k, path: path.dropLast()) else {
            return nil
        }
        return sha(0x01, sibling + right)
    }

    /// The complete subtrees a frontier emits as the leaves go in, as a store would keep them.
    static let completeSubtrees: [Int: [Int: MerkleTree.Hash]] = {
        var frontier = MerkleFrontier()
        var kept: [Int: [Int: MerkleTree.Hash]] = [:]
        for leaf in leaves {
            for (level, start, hash) in frontier.append(leaf) { kept[level, default: [:]][start] = hash }
        }
        return kept
    }()

    static func complete(_ start: Int, _ count: Int) -> MerkleTree.Hash {
        completeSubtrees[count.trailingZeroBitCount]![start]!
    }

    @Test func theFrontierKeepsTheRootOfEverySize() {
        var frontier = MerkleFrontier()
        #expect(frontier.root == Self.mth([]))
        for size in 1...64 {
            frontier.append(Self.leaves[size - 1])
            #expect(frontier.root == Self.mth(Self.leaves[0..<size]), "size \(size)")
            #expect(
                MerkleTree.rangeHash(0, size, complete: Self.complete) == Self.mth(Self.leaves[0..<size]),
                "size \(size)")
        }
    }

    @Test func inclusionProofsForEveryLeafOfEverySize() {
        for size in 1...64 {
            let root = Self.mth(Self.leaves[0..<size])
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: index, size: size, complete: Self.complete)
                #expect(proof == Self.path(index, Self.leaves[0..<size]), "\(index) in \(size)")
                #expect(Self.rootFrom(leaf: Self.leaves[index], index: index, size: size, path: proof[...]) == root)
                #expect(
                    MerkleTree.verifyInclusion(
                        leafHash: Self.leaves[index], index: index, size: size, path: proof, root: root))
                // Tampered: another leaf, another index, a flipped byte, a path cut short.
                let other = Self.leaves[(index + 1) % 64]
                #expect(
                    !MerkleTree.verifyInclusion(leafHash: other, index: index, size: size, path: proof, root: root))
                if size > 1 {
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leafHash: Self.leaves[index], index: (index + 1) % size, size: size, path: proof,
                            root: root))
                    var flipped = proof
                    flipped[0][0] ^= 1
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leafHash: Self.leaves[index], index: index, size: size, path: flipped, root: root))
                    #expect(
                        !MerkleTree.verifyInclusion(
                            leafHash: Self.leaves[index], index: index, size: size, path: Array(proof.dropLast()),
                            root: root))
                }
            }
        }
    }

    @Test func consistencyProofsForEveryPairOfSizes() {
        for newSize in 1...64 {
            let newRoot = Self.mth(Self.leaves[0..<newSize])
            for oldSize in 1...newSize {
                let oldRoot = Self.mth(Self.leaves[0..<oldSize])
                let proof = MerkleTree.consistencyProof(oldSize: oldSize, newSize: newSize, complete: Self.complete)
                let expected = oldSize == newSize ? [] : Self.subproof(oldSize, Self.leaves[0..<newSize], true)
                #expect(proof == expected, "\(oldSize) → \(newSize)")
                #expect(
                    MerkleTree.verifyConsistency(
                        oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, path: proof))
                // Tampered: a rewritten old tree, a flipped byte, a wrong size.
                let rewritten = Self.mth(([Self.leaves[63 - oldSize % 2]] + Self.leaves[1..<oldSize])[...])
                #expect(
                    !MerkleTree.verifyConsistency(
                        oldSize: oldSize, newSize: newSize, oldRoot: rewritten, newRoot: newRoot, path: proof))
                if !proof.isEmpty {
                    var flipped = proof
                    flipped[proof.count - 1][31] ^= 0x80
                    #expect(
                        !MerkleTree.verifyConsistency(
                            oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, path: flipped))
                }
                if oldSize < newSize {
                    #expect(
                        !MerkleTree.verifyConsistency(
                            oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: oldRoot, path: proof))
                }
            }
        }
    }
}
