import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A ledger on a server tells listeners of each batch it stores: the batch's transaction
/// runs `NOTIFY ledger_appended`, which the server delivers when (and only if) it commits.
/// The service's change feed listens, so that a subscriber hears of another writer's
/// append at once instead of at the next poll.
public enum AppendSignal {
    public static let channel = "ledger_appended"

    /// Listens on the server of `location` and calls `heard` after each committed batch,
    /// until the task is cancelled or the connection ends (then it throws).
    public static func listen(location: String, heard: @escaping @Sendable () -> Void) async throws {
        let address = try ServerAddress(url: location, environment: Ledger.processEnvironment())
        let logger = Logger(label: "ledger.postgresql.listen") { _ in SwiftLogNoOpLogHandler() }
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(),
            configuration: ServerConnection.configuration(address, connectTimeout: 5), id: 2, logger: logger)
        do {
            for try await _ in try await connection.listen(channel) { heard() }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }
}
