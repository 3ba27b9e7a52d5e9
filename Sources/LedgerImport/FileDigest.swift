import Crypto
import Foundation

/// The SHA-256 of a file's bytes, read in fixed-size chunks: a snapshot's evidence.
public enum FileDigest {
    /// Lowercase hex SHA-256 of the file at `path`.
    public static func sha256(of path: String) throws(ImportError) -> String {
        let handle = try FileHandle.forImport(path)
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return hasher.finalize().map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
