import Crypto

/// A SHA-256 digest of stored versions, fed in the order (stream, fromSeq, fromDate):
/// `replay` prints it, and two sets of versions with the same digest are the same.
public struct ProjectionDigest {
    private var hasher = SHA256()
    /// How many versions went in.
    public private(set) var count = 0

    public init() {}

    /// Adds one version.
    public mutating func add(_ version: EntityVersion) {
        let line =
            [
                version.stream, version.kind.rawValue, version.fromDate.description,
                version.toDate?.description ?? "", String(version.fromSeq), version.toSeq.map(String.init) ?? "",
                version.sortKeys.first, version.sortKeys.second, version.state,
            ].joined(separator: "\t") + "\n"
        hasher.update(data: Array(line.utf8))
        count += 1
    }

    /// The lowercase hex digest.
    public func finalize() -> String {
        let digest = hasher.finalize()
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}

extension EntityVersion {
    /// The version as it stood when the log ended at `seq`: nil if it did not exist yet,
    /// and open again if it closed only later.
    public func asOfSeq(_ seq: Int64) -> EntityVersion? {
        guard fromSeq <= seq else { return nil }
        var version = self
        if let toSeq, toSeq > seq { version.toSeq = nil }
        return version
    }
}
