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

    /// The same as lowercase hex bytes.
    public static func sha256HexBytes(_ bytes: [UInt8]) -> [UInt8] {
        hex(SHA256.hash(data: bytes))
    }

    /// `bytes` in lowercase hex, as the chain spells a hash.
    public static func hex(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hex: [UInt8] = []
        hex.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return hex
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
