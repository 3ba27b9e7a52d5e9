import LedgerDomain

/// How the log and the Merkle tree store a SHA-256 hash (schema 11): its 32 bytes, a blob
/// (`bytea` on a server), not the 64 hex digits the canonical record hashes and prints. A
/// ledger of an earlier schema, read as it is, holds hex text, and so may a row someone
/// rewrote by hand: a stored value is read as what it says, and a wrong one is then the chain
/// check's to report.
enum StoredHash {
    /// The hex digits of a stored hash column (`blob(_:)` of it): a 32-byte blob spelled in
    /// lowercase hex; any other value (hex text of an earlier schema) as it is stored.
    static func hex(_ stored: [UInt8]) -> [UInt8] {
        stored.count == 32 ? HashChain.hex(stored) : stored
    }

    /// The same as a `String`.
    static func hexString(_ stored: [UInt8]) -> String {
        String(decoding: hex(stored), as: UTF8.self)
    }

    /// The 32 bytes of a stored hash column: the blob itself, or those its hex text spells;
    /// nil for anything else.
    static func bytes(_ stored: [UInt8]) -> [UInt8]? {
        stored.count == 32 ? stored : bytes(hex: stored)
    }

    /// The 32 bytes that 64 lowercase hex digits spell; nil for anything else.
    static func bytes(hex text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count == 64 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var iterator = text.makeIterator()
        while let first = iterator.next(), let second = iterator.next() {
            guard let high = value(first), let low = value(second) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    /// The bytes to store for a hash given in hex (as the chain computes it). A value that is
    /// not 64 lowercase hex digits is kept as its text: nothing is lost, and `verify` says so.
    static func stored(hex: some Collection<UInt8>) -> [UInt8] {
        bytes(hex: hex) ?? Array(hex)
    }
}
