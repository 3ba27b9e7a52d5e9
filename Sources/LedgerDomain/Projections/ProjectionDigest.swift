import Crypto

/// A SHA-256 digest of stored versions, fed in the order (stream, seq, fromSeq, fromDate):
/// `replay` prints it, and two sets of versions with the same digest are the same.
public struct ProjectionDigest {
    private var hasher = SHA256()
    /// How many versions went in.
    public private(set) var count = 0

    public init() {}

    /// Adds one version.
    public mutating func add(_ version: EventVersion) {
        let line =
            [
                version.stream, String(version.event.seq), version.fromDate.description,
                version.toDate?.description ?? "",
                String(version.fromSeq), version.toSeq.map(String.init) ?? "", version.event.type.rawValue,
                version.event.id,
                version.event.occurredOn.description, version.event.knownOn.description, version.event.publisher,
                version.sort1, version.dataJSON,
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
