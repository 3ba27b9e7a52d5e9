import LedgerAnswers
import LedgerStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where report output goes: standard output, or `--output FILE`.
///
/// A regular file (or a missing one) is replaced whole only once the report is complete: the
/// report is written to a new temporary file beside it (created with `O_EXCL`, never through a
/// link), synced, given the old file's permissions, then renamed over it; the temporary file is
/// removed on any error and on SIGINT, SIGTERM or SIGHUP. A symbolic link is written through to
/// its target and stays a link. A device, FIFO or socket is not replaced: it gets the bytes.
/// The ledger itself (or its `-wal`, `-shm` or `-journal` file) is refused.
enum ReportOutput {
    static func write(to path: String?, protecting ledgerPath: String, _ body: (Output) throws -> Void) throws {
        guard let path else {
            try body(Output.standardOutput)
            try Output.standardOutput.flush()
            return
        }
        // `stat` follows links as the kernel does, /proc/self/fd/1 included.
        var info = stat()
        let exists = stat(path, &info) == 0
        try refuseLedger(path, ledger: ledgerPath)
        if exists && (info.st_mode & S_IFMT) == S_IFDIR {
            throw OutputFileError.cannotWrite(path: path, reason: "is a directory")
        }
        if exists && (info.st_mode & S_IFMT) != S_IFREG {
            try writeDirectly(to: path, body)
        } else {
            try replace(try FilePath.resolvingLinks(path), named: path, keeping: exists ? info : nil, body)
        }
    }

    /// Refuses an output that is the ledger or one of its companion files, compared by device
    /// and inode (for a file that exists) or by directory and name (for one that does not).
    static func refuseLedger(_ output: String, ledger: String) throws {
        if !Ledger.isOnServer(ledger) && Ledger.isFileOrCompanion(output, of: ledger) {
            throw UsageError.outputIsTheLedger(output: output, ledger: ledger)
        }
    }

    /// Writes to a device, FIFO or socket as it is.
    private static func writeDirectly(to path: String, _ body: (Output) throws -> Void) throws {
        let descriptor = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw OutputFileError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let output = Output(descriptor: descriptor, name: path)
        try body(output)
        try output.flush()
    }

    /// Writes a temporary file beside `target` and renames it over `target` when complete.
    private static func replace(
        _ target: String, named path: String, keeping existing: stat?, _ body: (Output) throws -> Void
    ) throws {
        let (descriptor, temporary, slot) = try TemporaryFile.create(beside: target, named: path)
        var closed = false
        do {
            let mode = existing.map { $0.st_mode & 0o7777 } ?? (0o666 & ~currentUmask())
            if let existing, getuid() == 0 { _ = fchown(descriptor, existing.st_uid, existing.st_gid) }
            let output = Output(descriptor: descriptor, name: path)
            try body(output)
            try output.flush()
            guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0 else {
                throw OutputFileError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            closed = true
            guard close(descriptor) == 0, rename(temporary, target) == 0 else {
                throw OutputFileError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            TemporaryFile.forget(slot)
        } catch {
            if !closed { close(descriptor) }
            TemporaryFile.remove(slot)
            throw error
        }
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}

/// The temporary files of this process (a report and its manifest, written one inside the
/// other), removed on an error or a signal.
enum TemporaryFile {
    /// Each temporary file's path as a C string, for the signal handler.
    nonisolated(unsafe) private static let pending: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: slotCount)
        slots.initialize(repeating: nil, count: slotCount)
        return slots
    }()
    // `nonisolated(unsafe)`: the slots are set and cleared on the main thread with the
    // signals blocked; the handler only reads them.

    private static let slotCount = 2
    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Creates `.NAME.XXXXXX` beside `target` with `mkstemp` (`O_CREAT|O_EXCL`, mode 0600);
    /// returns its descriptor, its path and its slot.
    static func create(beside target: String, named path: String) throws -> (Int32, String, Int) {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        for signal in signals { sigaddset(&blocked, signal) }
        // No signal may land between creating the file and noting its name for the handler.
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        guard let slot = (0..<slotCount).first(where: { pending[$0] == nil }) else {
            throw OutputFileError.cannotWrite(path: path, reason: "too many files being written at once")
        }
        let name = FilePath.directory(of: target) + "/." + FilePath.name(of: target) + ".XXXXXX"
        var template = Array(name.utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw OutputFileError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        // mkstemp replaced the X's in place; the terminating NUL is left out.
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        pending[slot] = strdup(temporary)
        for signal in signals {
            let previous = Glibc.signal(signal) { received in
                for slot in 0..<TemporaryFile.slotCount {
                    if let path = TemporaryFile.pending[slot] { unlink(path) }
                }
                Glibc.signal(received, SIG_DFL)
                raise(received)
            }
            // A signal the caller ignores (nohup, say) stays ignored.
            if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                Glibc.signal(signal, SIG_IGN)
            }
        }
        return (descriptor, temporary, slot)
    }

    /// Removes the temporary file of `slot`.
    static func remove(_ slot: Int) {
        if let path = pending[slot] { unlink(path) }
        forget(slot)
    }

    /// The file of `slot` was renamed into place: nothing to remove any more.
    static func forget(_ slot: Int) {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        for signal in signals { sigaddset(&blocked, signal) }
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        free(pending[slot])
        pending[slot] = nil
        sigprocmask(SIG_SETMASK, &previous, nil)
    }
}

/// Paths as the file system sees them.
enum FilePath {
    /// `path` with its symbolic links followed to the final target (which may not exist),
    /// by the kernel's own rule for links in shared directories (`fs.protected_symlinks`): a
    /// link in a sticky directory that others may write (such as `/tmp`) is followed only
    /// when the caller or the directory's owner owns it; another is refused (64), so that
    /// nobody can plant a link there that makes the report overwrite their victim's file.
    static func resolvingLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var parent = stat()
            if stat(FilePath.directory(of: current), &parent) == 0, parent.st_mode & S_ISVTX != 0,
                parent.st_mode & S_IWOTH != 0, info.st_uid != geteuid(), info.st_uid != parent.st_uid
            {
                throw UsageError.protectedLink(path: current)
            }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, Int(PATH_MAX))
            guard count > 0 else { return current }
            let link = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : directory(of: current) + "/" + link
        }
        return current
    }

    /// The directory part: `a/b` → `a`, `b` → `.`, `/b` → `/`.
    static func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == path.utf8.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component: `a/b` → `b`.
    static func name(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }
}
