import LedgerDomain

/// The log's Merkle tree as stored (`merkle_nodes`): the roots of its complete subtrees of
/// two leaves or more, written as events are appended (in the batch's transaction) and by a
/// rebuild, and read to make proofs without a pass over the log. A leaf is not stored: it is
/// made from its event's `hash`, one row of the log away.
final class MerkleTable {
    private let database: any SQLDatabase
    private let schema: String
    private(set) var frontier: MerkleFrontier
    private var insert: (any SQLStatement)?
    private var find: (any SQLStatement)?
    private var leaf: (any SQLStatement)?

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

    /// Adds the leaf of the next event, whose `hash` is `eventHash` (lowercase hex), and
    /// stores the complete subtrees it completes.
    func append(eventHash: String) throws {
        guard let bytes = Self.bytes(hex: eventHash) else {
            throw LedgerStoreError.corruptView(stream: "merkle_nodes: an event hash that is not hex")
        }
        let statement =
            try insert
            ?? database.prepare("INSERT INTO \(schema).merkle_nodes (level, start, hash) VALUES (?1, ?2, ?3)")
        insert = statement
        for (level, start, hash) in frontier.append(MerkleTree.leafHash(bytes)) where level > 0 {
            statement.reset()
            try statement.bind(Int64(level), at: 1)
            try statement.bind(Int64(start), at: 2)
            try statement.bind(Self.hex(hash), at: 3)
            try statement.step()
        }
        statement.reset()
    }

    /// The root of the complete subtree of `2^level` leaves from leaf `start`, if stored.
    func node(level: Int, start: Int) throws -> MerkleTree.Hash? {
        if level == 0 {
            let statement = try leaf ?? database.prepare("SELECT hash FROM events WHERE seq = ?1")
            leaf = statement
            statement.reset()
            try statement.bind(Int64(start + 1), at: 1)
            defer { statement.reset() }
            guard try statement.step(), let bytes = Self.bytes(hex: statement.string(0)) else { return nil }
            return MerkleTree.leafHash(bytes)
        }
        let statement =
            try find ?? database.prepare("SELECT hash FROM \(schema).merkle_nodes WHERE level = ?1 AND start = ?2")
        find = statement
        statement.reset()
        try statement.bind(Int64(level), at: 1)
        try statement.bind(Int64(start), at: 2)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return Self.bytes(hex: statement.string(0))
    }

    /// The root of the complete subtree of `count` leaves (a power of two) from `start`.
    func complete(_ start: Int, _ count: Int) throws -> MerkleTree.Hash {
        guard let hash = try node(level: count.trailingZeroBitCount, start: start) else {
            throw LedgerStoreError.corruptView(stream: "merkle_nodes (\(count.trailingZeroBitCount), \(start))")
        }
        return hash
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func bytes(hex: String) -> [UInt8]? {
        let text = Array(hex.utf8)
        guard text.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        for index in stride(from: 0, to: text.count, by: 2) {
            guard let high = value(text[index]), let low = value(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }
}
