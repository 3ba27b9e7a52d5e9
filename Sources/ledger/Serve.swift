import ArgumentParser
import LedgerAnswers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ledger serve`: runs `ledger-serve`, the program beside this one, with the same
/// arguments (`ledger serve --help` lists them).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve the ledger over HTTP (reports, screening, events and their live feed, proofs); see ledger serve --help."
    )

    @Argument(parsing: .captureForPassthrough, help: "[--db …] [--listen HOST:PORT] [--token-file FILE] [--key FILE]")
    var arguments: [String] = []

    func run() throws {
        Serve.exec(arguments)
    }

    /// Replaces this process with `ledger-serve ARGUMENTS`; exit 70 with one line when it
    /// cannot be started.
    static func exec(_ arguments: [String]) -> Never {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let own =
            length > 0
            ? String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : CommandLine.arguments[0]
        let directory = own.contains("/") ? String(own[..<(own.lastIndex(of: "/") ?? own.startIndex)]) : "."
        let program = directory + "/ledger-serve"
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        execv(program, argv)
        Exit.printError(
            "cannot run \(program): \(String(cString: strerror(errno))) (it is built beside ledger: swift build --product ledger-serve)"
        )
        terminate(Exit.internalError)
    }
}
