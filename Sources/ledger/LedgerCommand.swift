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
            Copy.self, Import.self, Prove.self, Checkpoint.self, Key.self, Reproduce.self, Explain.self,
        ]
    )

    /// Parses and runs the command; this is the one place where every failure becomes one
    /// `error:` line and the contract's exit code.
    static func main() {
        Output.guardStandardDescriptors()
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
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
        do {
            try command.run()
            try Output.standardOutput.flush()
        } catch let exit as ExitCode {
            do {
                try Output.standardOutput.flush()
            } catch {
                Exit.fail(with: error)
            }
            terminate(exit.rawValue)
        } catch {
            // `--help` after a subcommand comes back from `run()` as a request, not a failure.
            if exitCode(for: error) == .success { self.exit(withError: error) }
            Exit.fail(with: error)
        }
        terminate(0)
    }
}

/// Ends the process with `code`.
func terminate(_ code: Int32) -> Never {
    exit(code)
}
