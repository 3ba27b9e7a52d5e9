import Crypto
import Foundation
import LedgerAnswers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The writers' tokens of `--token-file`: lines `NAME TOKEN`. A token is compared by its
/// SHA-256 digest, byte by byte to the end whatever differs, so the time taken tells nothing
/// of a token; no error ever shows one.
public struct WriterTokens: Sendable {
    /// The shortest token accepted.
    public static let minimumLength = 32

    private var writers: [(name: String, digest: [UInt8])] = []

    /// Reads `path`: exit 64 (`UsageError`-like, one line naming the file and line) for a
    /// malformed line, a short token, or a file its group or others may read.
    public init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw InputFileError.missing(path: path) }
            throw InputFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw TokenFileError(path: path, line: nil, reason: "is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw TokenFileError(
                path: path, line: nil,
                reason:
                    "a token file must be readable by its owner only, this file has mode \(String(mode, radix: 8)) (chmod 600 \(path))"
            )
        }
        // Read from the descriptor whose mode was checked, not again by its path.
        guard let text = String(validating: try SignerKeyFile.contents(of: descriptor, path: path), as: UTF8.self)
        else { throw TokenFileError(path: path, line: nil, reason: "is not UTF-8 text") }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2 else {
                throw TokenFileError(path: path, line: index + 1, reason: "is not NAME TOKEN")
            }
            guard fields[1].count >= Self.minimumLength else {
                throw TokenFileError(
                    path: path, line: index + 1,
                    reason: "the token of \(fields[0]) is shorter than \(Self.minimumLength) characters")
            }
            writers.append((String(fields[0]), Array(SHA256.hash(data: Array(fields[1].utf8)))))
        }
        guard !writers.isEmpty else { throw TokenFileError(path: path, line: nil, reason: "holds no NAME TOKEN line") }
    }

    /// The name of the writer whose token `given` is; nil when none's. Every token is compared
    /// in full, in constant time.
    public func writer(presenting given: String) -> String? {
        let digest = Array(SHA256.hash(data: Array(given.utf8)))
        var found: String?
        for writer in writers {
            var difference: UInt8 = 0
            for index in 0..<digest.count { difference |= digest[index] ^ writer.digest[index] }
            if difference == 0 && found == nil { found = writer.name }
        }
        return found
    }
}

/// A `--token-file` that `serve` refuses at start: exit 64.
public struct TokenFileError: Error, DescribedFailure {
    public var path: String
    public var line: Int?
    public var reason: String

    public var exitDescription: (code: Int32, message: String) {
        (Exit.usage, "--token-file \(path)\(line.map { ":\($0)" } ?? ""): \(reason)")
    }
}
