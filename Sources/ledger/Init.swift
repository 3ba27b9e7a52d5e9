import ArgumentParser
import LedgerStore

/// `ledger init`: creates an empty ledger, or leaves an existing one as it is.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create an empty ledger (idempotent).")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let path = database.resolvedPath
        let ledger = try Ledger.openForWriting(path: path)
        let count = try ledger.eventCount()
        try Output.standardOutput.line("ledger \(path): \(count) events")
        try Output.standardOutput.flush()
    }
}
