import ArgumentParser
import LedgerAnswers

extension Exit {
    /// Ends the process for `error`: what standard output holds is written out (a failure to
    /// do so is ignored: the error in hand is the one to tell), then one `error:` line, then
    /// the error's exit code.
    static func fail(with error: any Error) -> Never {
        let (code, message) = describe(error)
        try? Output.standardOutput.flush()
        printError(message)
        terminate(code)
    }
}

extension ValidationError: DescribedFailure {
    public var exitDescription: (code: Int32, message: String) { (Exit.usage, message) }
}

extension Interruption.Stopped: DescribedFailure {
    var exitDescription: (code: Int32, message: String) {
        (128 + signal, "interrupted by \(name): the batch was rolled back, nothing written")
    }
}
