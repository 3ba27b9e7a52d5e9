#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Buffered output to a file descriptor: rows are written as they come, in 64 KiB writes.
final class Output {
    /// Standard output.
    nonisolated(unsafe) static let standardOutput = Output(descriptor: 1)
    // `nonisolated(unsafe)`: the CLI runs one command on the main thread; nothing else writes.

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Why the last write failed (disk full, say), if one did.
    private(set) var failure: String?

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    deinit { flush() }

    func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(byte: UInt8) {
        buffer.append(byte)
    }

    /// Writes `text` and a line end.
    func line(_ text: String) {
        write(text)
        write(byte: 0x0A)
    }

    /// Writes out what is buffered.
    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
