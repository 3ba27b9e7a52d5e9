import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What one HTTP request to a running `ledger serve` got back.
public struct HTTPResult: Sendable {
    public var status: Int
    /// Header names in lowercase.
    public var headers: [String: String]
    public var body: Data

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object or array (Foundation's reader: a test's check, not the
    /// ledger's own).
    public func json() throws -> Any { try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
}

/// `ledger serve` started from a sandbox on a free port, the way a user starts it; requests
/// go through `curl`, as a user's would. Stopped (SIGTERM) when released.
public final class ServiceProcess: @unchecked Sendable {
    public let process: Process
    public let url: String
    public let sandbox: LedgerSandbox
    private let errorFile: URL

    /// Starts `ledger serve --listen 127.0.0.1:0 ARGS --db DB` and waits for its first line.
    public init(_ sandbox: LedgerSandbox, _ arguments: [String] = [], database: String? = nil) throws {
        self.sandbox = sandbox
        let process = Process()
        process.executableURL = LedgerSandbox.binary
        process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments + ["--db", database ?? sandbox.database]
        process.currentDirectoryURL = sandbox.directory
        var environment = ProcessInfo.processInfo.environment
        if sandbox.backend == .server || database?.hasPrefix("postgresql:") == true {
            environment["PGPASSWORD"] = try TestServer.password()
        }
        process.environment = environment
        let output = Pipe()
        errorFile = sandbox.directory.appendingPathComponent("serve-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        // The first line on standard output: `listening on http://HOST:PORT`.
        var line = Data()
        let reader = output.fileHandleForReading
        while !line.contains(0x0A) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let first = String(decoding: line, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard first.hasPrefix("listening on http://") else {
            process.waitUntilExit()
            throw SandboxError.failed(
                "ledger serve did not start (\(process.terminationStatus)): \(first) \(try String(contentsOf: errorFile, encoding: .utf8))"
            )
        }
        url = String(first.dropFirst("listening on ".count))
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// What the service wrote on standard error so far (its access log).
    public var standardError: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits: the exit status.
    public func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A GET of `path` with its query.
    public func request(_ path: String, headers: [String: String] = [:]) throws -> HTTPResult {
        try request("GET", path, headers: headers)
    }

    /// One request: `path` with its query, optional headers and body.
    public func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil,
        timeout: Int = 60
    ) throws -> HTTPResult {
        let id = UUID().uuidString
        let headerFile = sandbox.directory.appendingPathComponent("h-\(id)")
        let bodyFile = sandbox.directory.appendingPathComponent("b-\(id)")
        defer {
            try? FileManager.default.removeItem(at: headerFile)
            try? FileManager.default.removeItem(at: bodyFile)
        }
        var arguments = [
            "-s", "-S", "-X", method, "--max-time", String(timeout), "-D", headerFile.path, "-o", bodyFile.path,
            "-H", "Expect:",
        ]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        if let body {
            let input = sandbox.directory.appendingPathComponent("in-\(id)")
            try body.write(to: input)
            arguments += ["--data-binary", "@" + input.path]
        }
        arguments.append(url + path)
        let run = try Self.curl(arguments)
        guard run.status == 0 else { throw SandboxError.failed("curl \(path): \(run.stderr)") }
        let head = try String(contentsOf: headerFile, encoding: .utf8)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let data = (try? Data(contentsOf: bodyFile)) ?? Data()
        return HTTPResult(status: status, headers: headers, body: data)
    }

    /// Reads the change feed for `seconds`, from `path` (`/v1/events/stream?…`): what came.
    public func stream(_ path: String, headers: [String: String] = [:], seconds: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["curl", "-s", "-N", "--max-time", String(seconds)]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        process.arguments = arguments + [url + path]
        process.standardOutput = Pipe()
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func curl(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl"] + arguments
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: message, as: UTF8.self))
    }
}
