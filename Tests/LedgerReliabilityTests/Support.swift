import Foundation
import LedgerStore
import LedgerTestSupport

/// The number of events stored, read behind the ledger's back.
func storedCount(_ sandbox: LedgerSandbox) throws -> Int64 {
    Int64(try sandbox.storedCount())
}

/// The stored events' ids, in seq order.
func storedIDs(_ sandbox: LedgerSandbox) throws -> [String] {
    try sandbox.storedIDs()
}

/// A generated batch of `events` events, written by `ledger-bench generate`.
func generatedBatch(_ sandbox: LedgerSandbox, events: Int, seed: Int, name: String = "batch.ndjson") throws -> String {
    let path = sandbox.path(name)
    let process = Process()
    process.executableURL = LedgerSandbox.sibling("ledger-bench")
    process.arguments = [
        "generate", "--events", "\(events)", "--designations", "\(events / 10)", "--seed", "\(seed)", "--output", path,
    ]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw SandboxError.failed("ledger-bench generate failed") }
    return path
}

/// One new incident per line, with ids and streams unique to `prefix`.
func incidents(_ prefix: String, count: Int) -> String {
    (0..<count).map { index in
        #"{"id":"\#(prefix)-\#(index)","type":"theft.reported","stream":"incident/\#(prefix)-\#(index)","occurred_on":"2022-01-01","source":{"publisher":"P"},"data":{"victim":"V","amount_usd":\#(index),"assets":[],"methods":[]}}"#
    }.joined(separator: "\n") + "\n"
}
