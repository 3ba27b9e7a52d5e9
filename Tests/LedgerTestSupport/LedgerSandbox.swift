import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A sandbox step that did not work.
public enum SandboxError: Error {
    case failed(String)
}

/// What one run of the `ledger` binary did.
public struct RunResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Where a sandbox's ledger lives: a file in its directory, or a database of its own on the
/// throwaway test server (`TestServer`), created with the sandbox and dropped with it.
public enum Backend: String, CaseIterable, Sendable {
    case file
    case server
}

/// Runs the built `ledger` executable the way a user would, in its own temporary directory.
public final class LedgerSandbox: Sendable {
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built binary: `$LEDGER_BIN`, else beside the test bundle, else `.build/debug/ledger`.
    public static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["LEDGER_BIN"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        if let argument = CommandLine.arguments.first {
            var directory = URL(fileURLWithPath: argument).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("ledger"))
                directory = directory.deletingLastPathComponent()
            }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/ledger"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    public let directory: URL
    public let backend: Backend
    /// The server database of a `.server` sandbox.
    public let serverDatabase: String?
    /// The ledger: the sandbox's file, or its database's URL on the test server.
    public var database: String {
        if let serverDatabase, let url = try? TestServer.url(database: serverDatabase) { return url }
        return directory.appendingPathComponent("ledger.sqlite").path
    }

    public init(backend: Backend = .file) throws {
        // A child that refuses its input early closes the pipe: the write must fail, not kill us.
        signal(SIGPIPE, SIG_IGN)
        self.backend = backend
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if backend == .server {
            let name = "ledger_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            do {
                try TestServer.createDatabase(name)
            } catch {
                // deinit does not run for an init that throws here: remove the directory now.
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
            serverDatabase = name
        } else {
            serverDatabase = nil
        }
    }

    deinit {
        if let serverDatabase { try? TestServer.dropDatabase(serverDatabase) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A built executable of this package beside `ledger` (such as `ledger-bench`).
    public static func sibling(_ name: String) -> URL {
        binary.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Starts `ledger ARGS` (with `--db` into the sandbox) without waiting for it.
    public func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + ["--db", database]
        process.currentDirectoryURL = directory
        if backend == .server {
            var env = ProcessInfo.processInfo.environment
            env["PGPASSWORD"] = try TestServer.password()
            process.environment = env
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The path of `name` inside the sandbox.
    public func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes `contents` to `name` in the sandbox and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        try write(name, Data(contents.utf8))
    }

    @discardableResult
    public func write(_ name: String, _ contents: Data) throws -> String {
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url)
        return url.path
    }

    /// Runs `ledger ARGS` with `--db` pointing into the sandbox unless `db` is false.
    @discardableResult
    public func run(_ arguments: [String], db: Bool = true, stdin: Data? = nil, environment: [String: String] = [:])
        throws
        -> RunResult
    {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + (db ? ["--db", database] : [])
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["LEDGER_DB"] = nil
        env["LEDGER_ACTOR"] = nil
        // The test server's password, for this sandbox's ledger or another one the command names.
        if let password = try? TestServer.password() { env["PGPASSWORD"] = password }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let input = Pipe()
        // Standard error goes to a file, so that neither pipe can fill up and block the process.
        let errorPath = directory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorPath.path, contents: nil)
        let err = try FileHandle(forWritingTo: errorPath)
        defer { try? FileManager.default.removeItem(at: errorPath) }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
        try? input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        let errData = try Data(contentsOf: errorPath)
        return RunResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Paths of the golden seeds, in order: the project's first fourteen seed events, kept
    /// frozen under `Tests/LedgerCLITests/Golden/seeds` so that the golden reports do not move
    /// when `seeds/` grows.
    public static func seedFiles() throws -> [String] {
        try ndjsonFiles(in: packageRoot.appendingPathComponent("Tests/LedgerCLITests/Golden/seeds"))
    }

    /// Paths of the project's own seed files (`seeds/`), in order.
    public static func projectSeedFiles() throws -> [String] {
        try ndjsonFiles(in: packageRoot.appendingPathComponent("seeds"))
    }

    private static func ndjsonFiles(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".ndjson") }.sorted()
            .map { directory.appendingPathComponent($0).path }
    }

    /// Creates the ledger and appends the seeds; fails the test if that does not work.
    public func appendSeeds() throws {
        let result = try run(["append"] + Self.seedFiles())
        guard result.status == 0 else { throw SandboxError.failed("seeds did not append: \(result.stderr)") }
    }

    /// The canonical NDJSON log, for before/after comparisons.
    public func log() throws -> String {
        let result = try run(["log"])
        guard result.status == 0 else { throw SandboxError.failed("log failed: \(result.stderr)") }
        return result.stdout
    }
}

extension LedgerSandbox {
    /// Runs a shell script in the sandbox, for what a user types with redirections: `$LEDGER`
    /// is the built binary and `$DB` the sandbox's ledger. Returns the exit status and standard error.
    @discardableResult
    public func shell(_ script: String) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["LEDGER_DB"] = nil
        if backend == .server { env["PGPASSWORD"] = try TestServer.password() }
        env["LEDGER"] = Self.binary.path
        env["DB"] = database
        process.environment = env
        let errorPath = directory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorPath.path, contents: nil)
        let err = try FileHandle(forWritingTo: errorPath)
        defer { try? FileManager.default.removeItem(at: errorPath) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        return RunResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errorPath), as: UTF8.self))
    }

    /// The names of the files in the sandbox directory, sorted.
    public func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }
}
