import ArgumentParser
import LedgerAnswers
import LedgerStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--db PATH`, shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help:
            "The ledger: a file, or postgresql://[user@]host[:port]/dbname (default: $LEDGER_DB, else ./ledger.sqlite)."
    )
    var path: String?

    /// The ledger in force, a file's path or a server URL: `--db`, else `$LEDGER_DB`, else
    /// `./ledger.sqlite`.
    var resolvedPath: String {
        if let path { return path }
        if let environment = getenv("LEDGER_DB"), let value = String(validatingCString: environment), !value.isEmpty {
            return value
        }
        return "ledger.sqlite"
    }
}

/// Reads an environment variable, nil when unset or empty.
func environment(_ name: String) -> String? {
    guard let value = getenv(name), let text = String(validatingCString: value), !text.isEmpty else { return nil }
    return text
}

/// Opens the ledger at `location` for writing, telling on standard error when its schema was
/// brought up to date, and of each guard of the log that was found missing, switched off or
/// changed and is now restored.
func openLedgerForWriting(_ location: String) throws -> Ledger {
    let ledger = try Ledger.openForWriting(path: location)
    if let from = ledger.upgradedFrom {
        Exit.printNote(
            "\(ledger.path): upgraded once from schema \(from) to \(ledger.schemaVersion) (the log rewritten where the schema changed how it is stored, its hashes unchanged; the views rebuilt)"
        )
    }
    for restored in ledger.restoredGuards {
        Exit.printWarning(
            "\(ledger.path): the log's append-only guard \(restored.name) was \(restored.problem) and is restored; run ledger verify, and compare the head with a checkpoint kept elsewhere"
        )
    }
    return ledger
}
