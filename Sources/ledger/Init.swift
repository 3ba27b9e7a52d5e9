import ArgumentParser
import LedgerStore

/// `ledger init`: creates an empty ledger, or leaves an existing one as it is.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create an empty ledger (idempotent).")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try Exit.handling {
            let path = database.resolvedPath
            let ledger = try Ledger.openForWriting(path: path)
            let count = try ledger.eventCount()
            Output.standardOutput.line("ledger \(path): \(count) events")
            Output.standardOutput.flush()
        }
    }
}
