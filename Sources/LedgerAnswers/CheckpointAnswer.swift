import Foundation
import LedgerDomain
import LedgerStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `checkpoint`: the log's tree head in the C2SP `tlog-checkpoint` form (contract section
/// 9): the origin, the tree size, the root in standard base64; with a signer key, a C2SP
/// signed note's signature line follows.
public struct CheckpointRun {
    public var origin: String?
    public var signer: NoteSigner?

    public init(origin: String?, signer: NoteSigner?) {
        self.origin = origin
        self.signer = signer
    }

    /// The checkpoint of the log as it stands (of its first `size` events when given).
    public func text(from ledger: Ledger, size: Int64? = nil) throws -> String {
        let size = try size ?? ledger.log.eventCount()
        let root = try ledger.proofs.treeRoot(size: size)
        // A signature vouches for the root: it is computed again from the events' hashes, so
        // that a rewritten node of the stored tree is never signed.
        if signer != nil, try ledger.proofs.recomputedTreeRoot(size: size) != root {
            throw CheckpointFailure(
                reason:
                    "the stored Merkle tree's root of size \(size) is not the root of the events' hashes: nothing signed; run ledger verify"
            )
        }
        let body = TreeCheckpoint(origin: origin ?? signer?.name ?? "ledger", size: size, rootHex: root).text
        guard let signer else { return body }
        return body + "\n" + (try signer.signatureLine(for: body))
    }
}

/// A signer key's file: created 0600 and never overwritten; read only when no one but its
/// owner can read or write it. Errors name the file, never its contents.
public enum SignerKeyFile {
    /// Opens the file once (not through a link) and checks and reads that same file.
    public static func read(_ path: String) throws -> NoteSigner {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw InputFileError.missing(path: path) }
            if errno == ELOOP {
                throw InputError(
                    file: path, line: 1, field: "key", reason: "is a symbolic link; name the key file itself")
            }
            throw InputFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(file: path, line: 1, field: "key", reason: "is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw InputError(
                file: path, line: 1, field: "key",
                reason:
                    "a signer key must be readable by its owner only, this file has mode \(String(mode, radix: 8)) (chmod 600 \(path))"
            )
        }
        let bytes = try contents(of: descriptor, path: path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(file: path, line: 1, field: "key", reason: "is not UTF-8 text")
        }
        do {
            return try NoteSigner(text: text)
        } catch .invalidName(_) {
            throw InputError(file: path, line: 1, field: "key", reason: "the key's name is not valid")
        } catch .malformed(let reason) {
            throw InputError(file: path, line: 1, field: "key", reason: reason)
        }
    }
}

extension SignerKeyFile {
    /// What the file open at `descriptor` holds (the file checked is the file read, not
    /// another put at its path since), up to a little past 64 KiB: a key or a token file
    /// is small. `path` names it in an error.
    public static func contents(of descriptor: Int32, path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 1 << 16 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw InputFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}

/// A checkpoint's three lines, and the signatures of the signed note that carried it.
public struct TreeCheckpoint {
    public var origin: String
    public var size: Int64
    public var root: [UInt8]

    public init(origin: String, size: Int64, rootHex: String) {
        self.origin = origin
        self.size = size
        var bytes: [UInt8] = []
        var index = rootHex.startIndex
        while index < rootHex.endIndex {
            let next = rootHex.index(index, offsetBy: 2)
            bytes.append(UInt8(rootHex[index..<next], radix: 16) ?? 0)
            index = next
        }
        root = bytes
    }

    /// `origin\nsize\nbase64(root)\n`.
    public var text: String { "\(origin)\n\(size)\n\(Data(root).base64EncodedString())\n" }

    public var rootHex: String { root.map { String(format: "%02x", $0) }.joined() }

    /// The signed note the file held (its signatures, if any).
    public var note: SignedNote?

    /// Reads a checkpoint file; `InputError` (65) naming the line when it is not one.
    public init(file: String) throws {
        guard FileManager.default.fileExists(atPath: file) else { throw InputFileError.missing(path: file) }
        guard let data = FileManager.default.contents(atPath: file), var text = String(data: data, encoding: .utf8)
        else { throw InputError(file: file, line: 1, field: "checkpoint", reason: "is not UTF-8 text") }
        // A checkpoint saved by a Windows tool ends its lines in CRLF; the note signed is LF.
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        let note: SignedNote
        do {
            note = try SignedNote(text)
        } catch {
            throw InputError(file: file, line: error.line, field: "checkpoint", reason: error.reason)
        }
        let lines = note.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        guard lines.count == 3 else {
            throw InputError(
                file: file, line: min(lines.count + 1, 4), field: "checkpoint",
                reason: "is not a checkpoint: three lines (origin, size, root), each ending in a newline")
        }
        guard !lines[0].isEmpty else {
            throw InputError(file: file, line: 1, field: "origin", reason: "is empty")
        }
        guard let size = Int64(lines[1]), size >= 0, String(size) == lines[1] else {
            throw InputError(
                file: file, line: 2, field: "size", reason: "\"\(lines[1])\" is not a tree size in decimal")
        }
        guard let root = Data(base64Encoded: lines[2]), root.count == 32 else {
            throw InputError(file: file, line: 3, field: "root", reason: "is not a SHA-256 hash in standard base64")
        }
        origin = lines[0]
        self.size = size
        self.root = Array(root)
        self.note = note
    }
}
