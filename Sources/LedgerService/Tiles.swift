import LedgerDomain
import LedgerStore

/// The log as C2SP `tlog-tiles` serves it, over the tree of section 9: a tile of level L
/// and index N holds the hashes of the tree's nodes of height 8L numbered 256N…256N+255 (a
/// level-0 tile holds leaf hashes); an entry bundle holds the entries 256N…, each the
/// event's 32-byte `hash` after its length as a big-endian uint16.
public struct TilePath: Sendable, Equatable {
    /// nil for an entry bundle.
    public var level: Int?
    public var index: Int64
    /// The width of a partial tile; nil for a full one.
    public var width: Int?

    public static let fullWidth = 256

    /// Reads the path after `/tlog/tile/`: `L/N[.p/W]` or `entries/N[.p/W]`, `N` written as
    /// groups of three digits, all but the last prefixed `x` (`x001/x234/067`).
    public init?(_ components: [Substring]) {
        guard let first = components.first else { return nil }
        if first == "entries" {
            level = nil
        } else {
            guard first.count <= 2, first.allSatisfy(\.isASCIIDigitCharacter), let level = Int(first), level <= 63
            else {
                return nil
            }
            self.level = level
        }
        var rest = components.dropFirst()
        width = nil
        if rest.count >= 2, rest[rest.endIndex - 2].hasSuffix(".p") {
            let last = rest[rest.endIndex - 1]
            guard last.count <= 3, last.allSatisfy(\.isASCIIDigitCharacter), let width = Int(last),
                String(width) == last, (1..<Self.fullWidth).contains(width)
            else { return nil }
            self.width = width
            rest = rest.dropLast()
            rest[rest.endIndex - 1] = rest[rest.endIndex - 1].dropLast(2)
        }
        guard !rest.isEmpty else { return nil }
        var index: Int64 = 0
        for (position, group) in rest.enumerated() {
            let isLast = position == rest.count - 1
            let digits = isLast ? group : (group.first == "x" ? group.dropFirst() : "")
            guard digits.count == 3, digits.allSatisfy(\.isASCIIDigitCharacter), let value = Int64(digits) else {
                return nil
            }
            let (product, overflow) = index.multipliedReportingOverflow(by: 1000)
            guard !overflow else { return nil }
            index = product + value
        }
        self.index = index
    }

    /// How many leaves one hash of this tile covers.
    var leavesPerHash: Int64 { Int64(1) << (8 * (level ?? 0)) }

    /// Whether the tile is complete (immutable) in a tree of `size` leaves, and the bytes it
    /// holds then; nil when the log does not yet hold it at this width.
    public func bytes(in proofs: ProofReader, size: Int64) throws -> [UInt8]? {
        let available = size / leavesPerHash - index * Int64(Self.fullWidth)
        let count = width ?? Self.fullWidth
        guard available >= Int64(count) else { return nil }
        var bytes: [UInt8] = []
        if level == nil {
            for hash in try proofs.eventHashes(from: index * Int64(Self.fullWidth) + 1, count: count) {
                bytes.append(UInt8(hash.count >> 8))
                bytes.append(UInt8(hash.count & 0xFF))
                bytes += hash
            }
        } else {
            let height = 8 * (level ?? 0)
            for hash in try proofs.subtreeHashes(height: height, from: index * Int64(Self.fullWidth), count: count) {
                bytes += hash
            }
        }
        return bytes
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
