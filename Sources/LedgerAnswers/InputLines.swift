import LedgerDomain

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An NDJSON input, read line by line in fixed-size chunks so that a file of any size
/// streams through in bounded memory; or a request's body, held in memory.
public final class InputLines {
    /// The longest line accepted, in bytes.
    public static let maxLineBytes = EventDecoder.maxLineBytes

    /// The name used in error messages: the path, or `<stdin>`.
    public let name: String
    private let descriptor: Int32
    /// The bytes of an input held in memory (a request's body).
    private var held: [UInt8]?
    /// The file's size, when it is a regular file.
    public private(set) var size: Int64?
    /// How many bytes have been read so far.
    public private(set) var bytesRead: Int64 = 0

    /// Opens `path` (`-` for standard input); a missing file is refused before anything is appended.
    /// An input held in memory, named `name` in error messages (`body`).
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        descriptor = -1
        held = bytes
        size = Int64(bytes.count)
    }

    public init(path: String) throws {
        if path == "-" {
            name = "<stdin>"
            descriptor = 0
            return
        }
        name = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw InputFileError.missing(path: path) }
            throw InputFileError.unreadable(path: path, reason: String(cString: strerror(code)))
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw InputFileError.unreadable(path: path, reason: "is a directory")
        }
        if (info.st_mode & S_IFMT) == S_IFREG { size = Int64(info.st_size) }
        descriptor = fd
    }

    deinit {
        if descriptor > 2 { close(descriptor) }
    }

    /// Calls `body` with each non-blank line (1-based number, bytes without the line end).
    /// A UTF-8 byte order mark at the very start is skipped.
    public func forEachLine(_ body: (Int, [UInt8]) throws -> Void) throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var pending: [UInt8] = []
        var lineNumber = 0
        func emit(_ line: [UInt8]) throws {
            lineNumber += 1
            var bytes = line
            if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            try body(lineNumber, bytes)
        }
        if let held {
            // Held in memory: one chunk, the whole input.
            chunk = held
            self.held = []
        }
        while true {
            let count =
                descriptor < 0
                ? chunk.count : chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputFileError.unreadable(path: name, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytesRead += Int64(count)
            var lineStart = 0
            for index in 0..<count where chunk[index] == 0x0A {
                if pending.isEmpty {
                    try emit(Array(chunk[lineStart..<index]))
                } else {
                    pending.append(contentsOf: chunk[lineStart..<index])
                    try checkLength(pending.count, line: lineNumber + 1)
                    try emit(pending)
                    pending.removeAll(keepingCapacity: true)
                }
                lineStart = index + 1
            }
            pending.append(contentsOf: chunk[lineStart..<count])
            try checkLength(pending.count, line: lineNumber + 1)
            if descriptor < 0 { break }
        }
        if !pending.isEmpty { try emit(pending) }
    }

    private func checkLength(_ length: Int, line: Int) throws {
        if length > Self.maxLineBytes {
            throw InputError(
                file: name, line: line, field: "(line)",
                reason: "line longer than the limit of \(Self.maxLineBytes) bytes")
        }
    }
}
