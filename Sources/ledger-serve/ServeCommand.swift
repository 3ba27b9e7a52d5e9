import ArgumentParser
import Hummingbird
import LedgerAnswers
import LedgerDomain
import LedgerService
import LedgerStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ledger serve` (run by `ledger`, which execs this program: the HTTP stack stays out of
/// every other command's start): the ledger over HTTP/1.1 until SIGINT or SIGTERM.
@main
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger serve",
        abstract: "Serve the ledger over HTTP: reports, screening, the event log and its change feed, proofs.")

    @Option(
        name: .customLong("db"),
        help:
            "The ledger: a file, or postgresql://[user@]host[:port]/dbname (default: $LEDGER_DB, else ./ledger.sqlite)."
    )
    var path: String?

    @Option(help: "HOST:PORT to listen on (port 0 takes a free one).")
    var listen = "127.0.0.1:8080"

    @Option(name: .customLong("token-file"), help: "Lines NAME TOKEN: who may append (POST /v1/events).")
    var tokenFile: String?

    @Option(help: "A signer key file (ledger key generate): /tlog/checkpoint is signed with it.")
    var key: String?

    var location: String {
        if let path { return path }
        if let value = getenv("LEDGER_DB"), let text = String(validatingCString: value), !text.isEmpty { return text }
        return "ledger.sqlite"
    }

    func address() throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65_535).contains(port), colon > listen.startIndex
        else { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080") }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    static func main() async {
        Output.guardStandardDescriptors()
        let command: ServeCommand
        do {
            let parsed = try parseAsRoot()
            guard let serve = parsed as? ServeCommand else {
                // --help: ArgumentParser's own command prints it.
                var other = parsed
                try other.run()
                Glibc.exit(0)
            }
            command = serve
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
            Exit.printError(
                (message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message) + " (see ledger serve --help)")
            Glibc.exit(Exit.usage)
        }
        do {
            try await command.serve()
        } catch {
            let (code, message) = Exit.describe(error)
            Exit.printError(message)
            Glibc.exit(code)
        }
        Glibc.exit(0)
    }

    func serve() async throws {
        let (host, port) = try address()
        let tokens = try tokenFile.map(WriterTokens.init(path:))
        let signer = try key.map(SignerKeyFile.read)
        let service = try LedgerService(location: location, tokens: tokens, signer: signer)
        let app = LedgerServer.application(service: service, host: host, port: port) { host, port in
            let shown = host.contains(":") ? "[\(host)]" : host
            let line = Array("listening on http://\(shown):\(port)\n".utf8)
            line.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
        }
        try await app.runService()
    }
}

extension ValidationError: DescribedFailure {
    public var exitDescription: (code: Int32, message: String) { (Exit.usage, message) }
}
