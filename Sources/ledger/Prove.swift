import ArgumentParser
import LedgerAnswers
import LedgerDomain
import LedgerStore

/// `ledger prove SEQ [--size N]` or `ledger prove --consistency M [--size N]`: a proof an
/// auditor checks alone (contract section 9, RFC 9162 2.1.3 and 2.1.4).
struct Prove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print an inclusion proof of an event, or a consistency proof between two sizes of the log.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The seq of the event to prove included.")
    var seq: Int64?

    @Option(help: "The tree's size (default: the whole log).")
    var size: Int64?

    @Option(help: "Prove that the tree of this size is a prefix of the tree of --size.")
    var consistency: Int64?

    func validate() throws {
        switch (seq, consistency) {
        case (nil, nil): throw ValidationError("give a SEQ, or --consistency M")
        case (.some, .some): throw ValidationError("give a SEQ or --consistency, not both")
        default: break
        }
        if let seq, seq < 1 { throw ValidationError("SEQ must be 1 or more") }
        if let consistency, consistency < 1 { throw ValidationError("--consistency must be 1 or more") }
        if let size, size < 1 { throw ValidationError("--size must be 1 or more") }
    }

    func run() throws {
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        let count = try ledger.log.eventCount()
        let size = size ?? count
        guard size <= count else {
            throw ValidationError("--size \(size) is beyond the log, which holds \(count) events")
        }
        let output = Output.standardOutput
        func hashes(_ path: [String]) -> JSONValue { .array(path.map(JSONValue.string)) }
        if let seq {
            guard seq <= size else { throw ValidationError("SEQ \(seq) is beyond the tree of size \(size)") }
            let proof = try ledger.proofs.inclusionProof(seq: seq, size: size)
            try output.write(
                CanonicalJSON.bytes(
                    of: .object(
                        JSONObject([
                            "seq": .number(String(proof.seq)), "leaf_index": .number(String(proof.seq - 1)),
                            "tree_size": .number(String(proof.treeSize)), "leaf_hash": .string(proof.leafHash),
                            "root": .string(proof.root), "path": hashes(proof.path),
                        ]))))
        } else if let consistency {
            guard consistency <= size else {
                throw ValidationError("--consistency \(consistency) is beyond the tree of size \(size)")
            }
            let proof = try ledger.proofs.consistencyProof(oldSize: consistency, newSize: size)
            try output.write(
                CanonicalJSON.bytes(
                    of: .object(
                        JSONObject([
                            "old_size": .number(String(proof.oldSize)), "new_size": .number(String(proof.newSize)),
                            "old_root": .string(proof.oldRoot), "new_root": .string(proof.newRoot),
                            "path": hashes(proof.path),
                        ]))))
        }
        try output.line("")
        try output.flush()
    }
}
