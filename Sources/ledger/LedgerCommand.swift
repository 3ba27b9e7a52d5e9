import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ledger`: an append-only, hash-chained ledger of sanctions-evasion facts.
@main
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "An append-only, hash-chained ledger of sanctions-compliance events.",
        subcommands: [
            Init.self, Append.self, Log.self, History.self, Report.self, Screen.self, Replay.self, Verify.self,
        ]
    )

    /// Parses, runs, and turns every failure into one `error:` line and the contract's exit code.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            terminate(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version: let ArgumentParser print them.
                self.exit(withError: error)
            }
            let message =
                fullMessage(for: error)
                .split(separator: "\n").first.map(String.init) ?? "invalid usage"
            let trimmed = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
            Exit.printError(trimmed + " (see ledger --help)")
            terminate(Exit.usage)
        }
    }
}

/// Ends the process with `code`.
func terminate(_ code: Int32) -> Never {
    exit(code)
}
