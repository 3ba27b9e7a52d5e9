import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One file of a snapshot, opened once and read as the bytes that the events' `sha256`
/// names: a regular file is hashed, then parsed from the same descriptor while it is hashed
/// again (a file changed in between is refused); anything else (a pipe, `/dev/stdin`, a
/// device) is copied once into an unlinked temporary file while it is hashed, up to
/// `maxStreamedBytes`, and parsed from there. So a pipe can be imported, and an endless
/// input is refused instead of read forever.
public final class SnapshotInput {
    /// The path as given, for messages.
    public let path: String
    private var descriptor: Int32
    /// Whether the input is read as it comes (not a regular file, not copied aside), so
    /// that its length must be bounded while it is read.
    private let isBoundedAsRead: Bool
    /// The lowercase hex SHA-256 of the input's bytes, when it was asked for.
    public private(set) var sha256: String?
    /// The hash of the bytes read by the current pass, and how many were read.
    private var passHash = SHA256()
    private var passBytes: Int64 = 0
    private var isAtEnd = false

    /// The most a non-regular input may hold: an official list is a few megabytes, so
    /// anything larger read from a pipe or a device is not one.
    public static let maxStreamedBytes: Int64 = 256 << 20

    /// Opens `path`; with `digest`, hashes its bytes first (a non-regular input is then copied
    /// aside). A missing file throws `missingFile` (66); a directory or an unreadable file
    /// `unreadable` (74); a non-regular input over the limit `invalid` (65).
    public init(path: String, digest: Bool) throws(ImportError) {
        self.path = path
        let opened = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard opened >= 0 else {
            if errno == ENOENT { throw .missingFile(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        guard fstat(opened, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(opened)
            throw .unreadable(path: path, reason: reason)
        }
        // Blocking reads from here on: O_NONBLOCK only kept `open` from waiting on a FIFO.
        _ = fcntl(opened, F_SETFL, fcntl(opened, F_GETFL) & ~O_NONBLOCK)
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            close(opened)
            throw .unreadable(path: path, reason: "is a directory")
        case S_IFREG:
            descriptor = opened
            isBoundedAsRead = false
            if digest {
                do {
                    sha256 = try Self.hashWhole(opened, path: path)
                } catch {
                    close(opened)
                    throw error
                }
            }
        default:
            isBoundedAsRead = !digest
            if digest {
                defer { close(opened) }
                (descriptor, sha256) = try Self.spool(opened, path: path)
            } else {
                descriptor = opened
            }
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Reads at most `count` bytes of the next part into `buffer`; 0 at the end. The first
    /// call of a pass starts at the first byte.
    public func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(ImportError) -> Int {
        if isAtEnd { return 0 }
        while true {
            let read = Glibc.read(descriptor, buffer, count)
            if read < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if read == 0 {
                isAtEnd = true
                return 0
            }
            passBytes += Int64(read)
            if sha256 != nil {
                passHash.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: read))
            } else if isBoundedAsRead && passBytes > Self.maxStreamedBytes {
                throw Self.tooLarge(path)
            }
            return read
        }
    }

    /// Calls `body` with each chunk of the bytes, from the first to the last.
    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let size = 1 << 16
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try read(into: buffer, count: size)
            if count == 0 { break }
            try body(UnsafeRawBufferPointer(start: buffer, count: count))
        }
    }

    /// Checks, once a pass has read every byte, that they were the bytes hashed at the start:
    /// a file rewritten while it was imported is refused (74).
    public func finish() throws(ImportError) {
        guard let sha256 else { return }
        guard isAtEnd, Self.hex(passHash.finalize()) == sha256 else {
            throw .unreadable(path: path, reason: "it changed while it was being imported; import it again")
        }
    }

    /// The SHA-256 of a regular file read to its end, the descriptor rewound afterwards.
    private static func hashWhole(_ descriptor: Int32, path: String) throws(ImportError) -> String {
        var hasher = SHA256()
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let read = Glibc.read(descriptor, buffer, size)
            if read < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if read == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: read))
        }
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        return hex(hasher.finalize())
    }

    /// Copies a non-regular input into an unlinked temporary file while hashing it; returns
    /// the copy's descriptor, rewound, and the hash.
    private static func spool(_ input: Int32, path: String) throws(ImportError) -> (Int32, String) {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/ledger-import.XXXXXX".utf8CString)
        let copy = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard copy >= 0 else {
            throw .unreadable(
                path: path, reason: "no temporary file to read it into: \(String(cString: strerror(errno)))")
        }
        // Unlinked at once: the copy disappears with the process, whatever happens.
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        var hasher = SHA256()
        var total: Int64 = 0
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        func fail(_ error: ImportError) -> ImportError {
            close(copy)
            return error
        }
        while true {
            let read = Glibc.read(input, buffer, size)
            if read < 0 {
                if errno == EINTR { continue }
                throw fail(.unreadable(path: path, reason: String(cString: strerror(errno))))
            }
            if read == 0 { break }
            total += Int64(read)
            if total > maxStreamedBytes { throw fail(tooLarge(path)) }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: read))
            var written = 0
            while written < read {
                let count = write(copy, buffer + written, read - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw fail(
                        .unreadable(path: path, reason: "cannot copy it aside: \(String(cString: strerror(errno)))"))
                }
                written += count
            }
        }
        guard lseek(copy, 0, SEEK_SET) == 0 else {
            throw fail(.unreadable(path: path, reason: String(cString: strerror(errno))))
        }
        return (copy, hex(hasher.finalize()))
    }

    private static func tooLarge(_ path: String) -> ImportError {
        .invalid(
            file: path, line: 0, field: "",
            reason:
                "not a regular file, and longer than \(maxStreamedBytes >> 20) MiB (the most read from a pipe or a device): not a list snapshot"
        )
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
