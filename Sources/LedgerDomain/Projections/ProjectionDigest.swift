import Crypto

/// A SHA-256 digest of the stored projections: every row of every derived table, table by
/// table in name order and row by row in key order, each value with its type. `replay`
/// and `verify` print it; two sets of projections with the same digest hold the same rows.
public struct ProjectionDigest {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []
    /// How many rows went in.
    public private(set) var rows = 0

    public init() {
        buffer.reserveCapacity(1 << 16)
    }

    /// Starts the rows of table `name`.
    public mutating func beginTable(_ name: String) {
        buffer.append(0x54)  // "T"
        appendLength(name.utf8.count)
        buffer.append(contentsOf: name.utf8)
    }

    /// Starts a row.
    public mutating func beginRow() {
        buffer.append(0x52)  // "R"
        rows += 1
        if buffer.count >= 1 << 16 { drain() }
    }

    /// Adds an integer value.
    public mutating func add(integer value: Int64) {
        buffer.append(0x69)  // "i"
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// Adds a text or blob value, as its bytes.
    public mutating func add(text bytes: UnsafeRawBufferPointer, isBlob: Bool = false) {
        buffer.append(isBlob ? 0x62 : 0x74)  // "b", "t"
        appendLength(bytes.count)
        buffer.append(contentsOf: bytes)
    }

    /// Adds a floating-point value, by its bits.
    public mutating func add(real value: Double) {
        buffer.append(0x66)  // "f"
        withUnsafeBytes(of: value.bitPattern.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// Adds a NULL.
    public mutating func addNull() {
        buffer.append(0x6E)  // "n"
    }

    /// The lowercase hex digest.
    public mutating func finalize() -> String {
        drain()
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    private mutating func appendLength(_ count: Int) {
        withUnsafeBytes(of: UInt64(count).bigEndian) { buffer.append(contentsOf: $0) }
    }

    private mutating func drain() {
        hasher.update(data: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
