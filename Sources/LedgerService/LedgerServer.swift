import Hummingbird
import LedgerAnswers
import LedgerStore
import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ledger serve`'s application: the routes behind an access log, on Hummingbird's HTTP/1.1
/// server, with the change feed's head watch beside it.
public enum LedgerServer {
    /// How long a connection may stay idle (a slow client holds nothing open longer).
    public static let idleTimeout: TimeAmount = .seconds(30)

    public static func application(
        service: LedgerService, host: String, port: Int,
        onRunning: @escaping @Sendable (String, Int) async -> Void = { _, _ in }
    ) -> some ApplicationProtocol {
        let feed = HeadWatch(service: service)
        let routes = LedgerRoutes(service: service, feed: feed)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let started = ContinuousClock.now
            let response = await routes.respond(to: request)
            accessLog(request, status: response.status.code, since: started)
            return response
        }
        var logger = Logger(label: "ledger-serve")
        logger.logLevel = .critical
        return Application(
            responder: responder,
            server: .http1(configuration: .init(idleTimeout: idleTimeout)),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            services: [feed],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? port
                await onRunning(host, port)
            },
            logger: logger)
    }

    /// One line on standard error per request: time, method, path with the query's names
    /// only (never its values, never a token), status, duration in ms.
    static func accessLog(_ request: Request, status: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        let names = QueryParameters.names(of: request.uri.query)
        let path = (request.uri.path + (names.isEmpty ? "" : "?" + names)).replacingControlCharacters()
        let line = "\(Clock.now()) \(request.method.rawValue) \(path) \(status) \(formatMilliseconds(milliseconds))\n"
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }

    static func formatMilliseconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) ms"
    }
}
