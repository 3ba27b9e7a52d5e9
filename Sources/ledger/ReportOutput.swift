#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where report output goes: standard output, or a file that is replaced whole only once
/// the report is complete (written beside it, then renamed), so nothing is half-written.
enum ReportOutput {
    static func write(to path: String?, _ body: (Output) throws -> Void) throws {
        guard let path else {
            try body(Output.standardOutput)
            return
        }
        let temporary = path + ".partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw OutputFileError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        let output = Output(descriptor: descriptor)
        do {
            try body(output)
            output.flush()
            if let failure = output.failure { throw OutputFileError.cannotWrite(path: path, reason: failure) }
            guard fsync(descriptor) == 0, close(descriptor) == 0, rename(temporary, path) == 0 else {
                throw OutputFileError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
    }
}

/// A report file that could not be written.
enum OutputFileError: Error {
    case cannotWrite(path: String, reason: String)
}
