import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--db PATH`, shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "The ledger file (default: $LEDGER_DB, else ./ledger.sqlite).")
    var path: String?

    /// The path in force: `--db`, else `$LEDGER_DB`, else `./ledger.sqlite`.
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
