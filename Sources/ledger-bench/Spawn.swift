#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one measured child process did.
struct Measured {
    var seconds: Double
    /// Peak resident memory of the child, from `wait4`'s rusage, in KiB. Linux counts in it
    /// the peak of this process too (the child starts as a vfork of it), so the bench keeps
    /// its own memory small: it counts the child's output lines instead of keeping them.
    var maxRSSKiB: Int
    var status: Int32
    /// How many line feeds the child wrote to standard output.
    var lines: Int
}

/// Runs `arguments` as a child process, its standard output captured (or sent to a file),
/// and measures wall time and peak memory through `wait4`.
func measure(_ arguments: [String], stdoutPath: String? = nil) throws -> Measured {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var pipeFDs: [Int32] = [-1, -1]
    if let stdoutPath {
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    } else {
        guard pipe(&pipeFDs) == 0 else { throw BenchError.failed("pipe") }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
    }
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid = pid_t()
    let start = now()
    let code = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
    guard code == 0 else { throw BenchError.failed("cannot start \(arguments[0]): \(String(cString: strerror(code)))") }
    var lines = 0
    if stdoutPath == nil {
        close(pipeFDs[1])
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(pipeFDs[0], &buffer, buffer.count)
            if count <= 0 { break }
            for byte in buffer[0..<count] where byte == 0x0A { lines += 1 }
        }
        close(pipeFDs[0])
    }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = now() - start
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return Measured(seconds: seconds, maxRSSKiB: Int(usage.ru_maxrss), status: exitStatus, lines: lines)
}

/// Seconds on the monotonic clock.
func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

enum BenchError: Error, CustomStringConvertible {
    case failed(String)

    var description: String {
        switch self {
        case .failed(let message): message
        }
    }
}
