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

    /// The reference vectors of RFC 6962's tree (used by Certificate Transparency's tests):
    /// the roots of the first 0…8 of eight leaves, and leaf 0's inclusion proof at size 8.
    @Test func theRFC6962ReferenceVectors() {
        let data = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
            .map(Self.bytes)
        let roots = [
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ].map(Self.bytes)
        var frontier = MerkleFrontier()
        var kept: [Int: [Int: MerkleTree.Hash]] = [:]
        #expect(frontier.root == roots[0])
        for (size, leaf) in data.enumerated() {
            for (level, start, hash) in frontier.append(MerkleTree.leafHash(leaf)) {
                kept[level, default: [:]][start] = hash
            }
            #expect(frontier.root == roots[size + 1], "size \(size + 1)")
        }
        let proof = MerkleTree.inclusionProof(index: 0, size: 8) { start, count in
            kept[count.trailingZeroBitCount]![start]!
        }
        #expect(
            proof
                == [
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ].map(Self.bytes))
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
