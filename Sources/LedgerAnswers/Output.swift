#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Buffered output to a file descriptor: rows are written as they come, in 64 KiB writes.
/// A failed write (a full disk, a closed standard output) is an error, never a quiet success:
/// it throws `OutputFileError.cannotWrite`, which exits 74.
public final class Output {
    /// Standard output.
    nonisolated(unsafe) public static let standardOutput = Output(descriptor: 1, name: "standard output")
    // `nonisolated(unsafe)`: the CLI runs one command on the main thread; nothing else writes.

    private var descriptor: Int32
    /// What the output is called in an error message: a path, or `standard output`.
    public let name: String
    private var buffer: [UInt8] = []
    /// Why the last write failed, once one did; nothing more is written after that.
    private var failure: String?
    /// Sees every byte as it is written (a digest of the report, say).
    public var tap: ((UnsafeRawBufferPointer) -> Void)?

    /// What an output held in memory was given (`inMemory`), once flushed; nil once it
    /// spilled to a file.
    public private(set) var kept: [UInt8]?
    /// How many bytes an output held in memory keeps before it spills to a temporary file.
    private var memoryLimit = Int.max
    /// The temporary file it spilled to, if it did (unlinked: it goes when closed).
    public private(set) var spilled: Int32?
    /// How many bytes were written in all.
    public private(set) var written = 0

    /// Output held in memory: an answer served over HTTP, the bytes the CLI would print.
    /// Past `memoryLimit` bytes it spills to an unlinked temporary file (`spilled`), so a
    /// large answer (a report of a million rows) takes no more memory than a small one.
    public static func inMemory(limit memoryLimit: Int = Int.max) -> Output {
        let output = Output(descriptor: -1, name: "response")
        output.kept = []
        output.memoryLimit = memoryLimit
        return output
    }

    /// Output that writes nowhere: its bytes only go to `tap`.
    public static func discarding(_ tap: @escaping (UnsafeRawBufferPointer) -> Void) -> Output {
        let output = Output(descriptor: -1, name: "memory")
        output.tap = tap
        return output
    }

    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ bytes: [UInt8]) throws(OutputFileError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func write(_ text: String) throws(OutputFileError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes what `body` appends to the buffer (a report row encoded in place).
    public func write(appending body: (inout [UInt8]) -> Void) throws(OutputFileError) {
        body(&buffer)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func write(byte: UInt8) {
        buffer.append(byte)
    }

    /// Writes `text` and a line end.
    public func line(_ text: String) throws(OutputFileError) {
        try write(text)
        write(byte: 0x0A)
    }

    /// Writes out what is buffered; throws if the bytes could not all be written.
    public func flush() throws(OutputFileError) {
        defer { buffer.removeAll(keepingCapacity: true) }
        if let failure { throw OutputFileError.cannotWrite(path: name, reason: failure) }
        if let tap { buffer.withUnsafeBytes(tap) }
        written += buffer.count
        if let held = kept {
            guard held.count + buffer.count > memoryLimit else {
                kept?.append(contentsOf: buffer)
                return
            }
            try spill(held)
        }
        if descriptor < 0 { return }
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                throw OutputFileError.cannotWrite(path: name, reason: failure ?? "")
            }
            offset += written
        }
    }

    /// Moves what is held in memory to an unlinked temporary file, which takes the rest.
    private func spill(_ held: [UInt8]) throws(OutputFileError) {
        var template = Array("\(Self.temporaryDirectory)/ledger-answer-XXXXXX".utf8CString)
        let file = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard file >= 0 else {
            failure = String(cString: strerror(errno))
            throw OutputFileError.cannotWrite(path: "a temporary file", reason: failure ?? "")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        kept = nil
        descriptor = file
        spilled = file
        var offset = 0
        while offset < held.count {
            let count = held.withUnsafeBytes { Glibc.write(file, $0.baseAddress! + offset, held.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                throw OutputFileError.cannotWrite(path: "a temporary file", reason: failure ?? "")
            }
            offset += count
        }
    }

    /// Where spilled answers go: `$TMPDIR`, else `/tmp`.
    static var temporaryDirectory: String {
        if let value = getenv("TMPDIR"), let text = String(validatingCString: value), !text.isEmpty { return text }
        return "/tmp"
    }

    /// Keeps a closed standard stream closed for good: a file opened later (the ledger, an
    /// input) must never take descriptor 1 and receive the output. A closed standard output
    /// is held by `/dev/null` opened read-only, so that writing to it still fails (74).
    public static func guardStandardDescriptors() {
        for descriptor: Int32 in [0, 1, 2] where fcntl(descriptor, F_GETFD) == -1 {
            let opened = open("/dev/null", descriptor == 0 || descriptor == 1 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }
}

/// A report file or standard output that could not be written.
public enum OutputFileError: Error {
    case cannotWrite(path: String, reason: String)
}
