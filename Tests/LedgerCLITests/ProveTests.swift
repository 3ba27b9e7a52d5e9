import Foundation
import LedgerDomain
import LedgerTestSupport
import Testing

/// `ledger prove` on the built binary (contract section 9): the proofs it prints verify
/// against the roots of the events' own hashes, stay the same as the log grows, and bad
/// sizes are refused.
@Suite struct ProveTests {
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

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The leaf hashes of the stored events, from `ledger log`.
    static func leaves(_ sandbox: LedgerSandbox) throws -> [MerkleTree.Hash] {
        try sandbox.log().split(separator: "\n").map { line in
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return MerkleTree.leafHash(bytes(try #require(event["hash"] as? String)))
        }
    }

    /// RFC 9162's MTH of `leaves`.
    static func root(_ leaves: ArraySlice<MerkleTree.Hash>) -> MerkleTree.Hash {
        if leaves.count == 1 { return leaves.first! }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let start = leaves.startIndex
        return MerkleTree.nodeHash(root(leaves[start..<(start + k)]), root(leaves[(start + k)...]))
    }

    func json(_ sandbox: LedgerSandbox, _ arguments: [String]) throws -> [String: Any] {
        let result = try sandbox.run(["prove"] + arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test(arguments: Backend.allCases) func proofsVerifyAgainstTheEventsHashes(backend: Backend) throws {
        let sandbox = try LedgerSandbox(backend: backend)
        try sandbox.appendSeeds()
        let leaves = try Self.leaves(sandbox)
        #expect(leaves.count == 14)
        var printed: [String: [String: Any]] = [:]
        for size in [1, 5, 8, 14] {
            let root = Self.root(leaves[0..<size])
            for seq in [1, (size + 1) / 2, size] {
                let proof = try json(sandbox, ["\(seq)", "--size", "\(size)"])
                #expect(proof["root"] as? String == Self.hex(root))
                #expect((proof["leaf_index"] as? NSNumber)?.intValue == seq - 1)
                let path = try #require(proof["path"] as? [String]).map(Self.bytes)
                #expect(
                    MerkleTree.verifyInclusion(
                        leafHash: leaves[seq - 1], index: seq - 1, size: size, path: path, root: root))
                printed["\(seq)/\(size)"] = proof
            }
            for old in [1, size / 2, size] where old >= 1 {
                let proof = try json(sandbox, ["--consistency", "\(old)", "--size", "\(size)"])
                let path = try #require(proof["path"] as? [String]).map(Self.bytes)
                #expect(
                    MerkleTree.verifyConsistency(
                        oldSize: old, newSize: size, oldRoot: Self.root(leaves[0..<old]), newRoot: root, path: path))
            }
        }
        // The whole log by default; the same proofs after the log grows.
        #expect((try json(sandbox, ["3"])["tree_size"] as? NSNumber)?.intValue == 14)
        let extra = ReportTests.golden.appendingPathComponent("extra.ndjson").path
        #expect(try sandbox.run(["append", extra]).status == 0)
        let again = try json(sandbox, ["4", "--size", "8"])
        #expect(again["root"] as? String == printed["4/8"]?["root"] as? String)
        #expect(again["path"] as? [String] == printed["4/8"]?["path"] as? [String])
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    @Test func badSizesAreUsageErrors() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        try sandbox.appendSeeds()
        for arguments in [
            ["0"], ["15"], ["3", "--size", "15"], ["--consistency", "9", "--size", "8"], ["--consistency", "0"],
            ["3", "--consistency", "2"], [],
        ] {
            let result = try sandbox.run(["prove"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: ") && result.stdout.isEmpty)
        }
    }
}
