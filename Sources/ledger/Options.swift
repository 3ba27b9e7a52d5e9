import ArgumentParser

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
