import ArgumentParser
import LedgerAnswers

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
        version: "ledger \(LedgerCommand.version)",
        subcommands: [
            Init.self, Append.self, Log.self, History.self, Report.self, Screen.self, Replay.self, Verify.self,
            Copy.self, Import.self, Prove.self, Checkpoint.self, Key.self, Reproduce.self, Explain.self, Serve.self,
        ]
    )

    /// Parses and runs the command; this is the one place where every failure becomes one
    /// `error:` line and the contract's exit code.
    static func main() {
        if CommandLine.arguments.dropFirst().elementsEqual(["--version"]) {
            // Answered before ArgumentParser is asked anything: its first look-ups cost more
            // than the whole answer.
            let line = Array("ledger \(version)\n".utf8)
            let written = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            terminate(written == line.count ? 0 : Exit.ioError)
        }
        if CommandLine.arguments.dropFirst().first == "serve" {
            // The service is a program of its own (its HTTP stack would slow every other
            // command's start): it takes over this process, arguments and all.
            Serve.exec(Array(CommandLine.arguments.dropFirst(2)))
        }
        Output.guardStandardDescriptors()
        var command: any ParsableCommand
        do {
            command = try parseHot() ?? parseAsRoot()
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

extension LedgerCommand {
    /// The release this binary was built from, as `ledger --version` prints it.
    static let version = "0.27.0"

    /// The commands people run one query at a time, from scripts and other programs.
    static let hotCommands: [String: any ParsableCommand.Type] = ["screen": Screen.self, "report": Report.self]

    /// A hot command parsed on its own: ArgumentParser reads only that command's arguments
    /// instead of every command's (which costs more than a query: its conformance look-ups
    /// scan the whole binary). Anything it does not take as a plain run (help, a usage error)
    /// gives nil, and the whole tree parses it again, for the usual answer and message.
    static func parseHot() -> (any ParsableCommand)? {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let command = hotCommands[name] else { return nil }
        return try? command.parse(Array(arguments.dropFirst()))
    }
}

/// Ends the process with `code`.
func terminate(_ code: Int32) -> Never {
    exit(code)
}
