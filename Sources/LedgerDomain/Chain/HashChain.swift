import Crypto

/// The SHA-256 chain that makes rewriting history evident.
public enum HashChain {
    /// The `prev_hash` of event 1: sixty-four zeros.
    public static let genesis = String(repeating: "0", count: 64)

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        String(decoding: sha256HexBytes(bytes), as: UTF8.self)
    }

    /// The SHA-256 of `bytes`, its 32 bytes.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    /// The same as lowercase hex bytes.
    public static func sha256HexBytes(_ bytes: [UInt8]) -> [UInt8] {
        SHA256.hash(data: bytes).withUnsafeBytes { hex($0) }
    }

    /// `bytes` in lowercase hex, as the chain spells a hash.
    public static func hex(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hex($0) }
    }

    /// The same from raw bytes (not generic: it runs for every event `verify` checks).
    public static func hex(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count * 2) { text, count in
            for (index, byte) in bytes.enumerated() {
                text[2 * index] = hexDigits[Int(byte >> 4)]
                text[2 * index + 1] = hexDigits[Int(byte & 0x0F)]
            }
            count = bytes.count * 2
        }
    }

    /// Whether `text` has the form of a hash: 64 lowercase hex digits.
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
            }
    }
}
