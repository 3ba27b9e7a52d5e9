import ArgumentParser
import LedgerAnswers
import LedgerStore

/// `ledger init`: creates an empty ledger, or leaves an existing one as it is.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create an empty ledger (idempotent).")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let ledger = try openLedgerForWriting(database.resolvedPath)
        let count = try ledger.log.eventCount()
        try Output.standardOutput.line("ledger \(ledger.path): \(count) events")
        try Output.standardOutput.flush()
    }
}
