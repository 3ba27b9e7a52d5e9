import Foundation
import LedgerTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Memory and disk stay bounded whatever the input: a batch of 1 MiB lines, an interrupted
/// append (issue 24).
@Suite(.serialized) struct BoundedResourceTests {
    /// The peak resident memory, in KiB, of `ledger ARGS` run by the shell.
    func peakKiB(_ sandbox: LedgerSandbox, _ command: String) throws -> Int? {
        let result = try sandbox.shell(#"/usr/bin/time -f 'peak %M' \#(command) 2>&1 >/dev/null | tail -1"#)
        return Int(result.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
    }

    /// `count` theft reports of about 1 MiB each.
    func largeEvents(_ sandbox: LedgerSandbox, count: Int, prefix: String) throws -> String {
        let path = sandbox.path("\(prefix).ndjson")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let asset = String(repeating: "x", count: 60_000)
        for index in 0..<count {
            let assets = (0..<16).map { "\"\(asset)\($0)\"" }.joined(separator: ",")
            let line =
                #"{"id":"\#(prefix)-\#(index)","type":"theft.reported","stream":"incident/\#(prefix)-\#(index)","occurred_on":"2022-01-01","source":{"publisher":"P"},"data":{"victim":"V","amount_usd":1,"assets":[\#(assets)],"methods":[]}}"#
            handle.write(Data((line + "\n").utf8))
        }
        try handle.close()
        return path
    }

    @Test func aBatchOfLargeEventsKeepsMemoryFlat() throws {
        let sandbox = try LedgerSandbox()
        let batch = try largeEvents(sandbox, count: 200, prefix: "large")
        let peak = try peakKiB(sandbox, #""$LEDGER" append --quiet --db "$DB" '\#(batch)'"#)
        #expect(peak != nil && peak! <= 128 * 1024, "peak \(peak ?? -1) KiB")
        #expect(try storedCount(sandbox) == 200)
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    /// An append stopped by SIGINT or SIGTERM rolls back, exits 128 + the signal, and leaves
    /// no large `-wal` behind.
    @Test(arguments: [SIGINT, SIGTERM]) func anInterruptedAppendLeavesNoLargeWAL(_ signal: Int32) throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let head = try sandbox.run(["verify"]).stdout
        // Large events fill the page cache fast, so the batch's pages spill into the -wal.
        let batch = try largeEvents(sandbox, count: 300, prefix: "spill-\(signal)")
        let process = try sandbox.start(["append", "--quiet", batch])
        var waited = 0
        func walSize() -> Int {
            (try? FileManager.default.attributesOfItem(atPath: sandbox.database + "-wal"))?[.size] as? Int ?? 0
        }
        while waited < 60_000, process.isRunning, walSize() < 16 << 20 {
            usleep(20_000)
            waited += 20
        }
        #expect(process.isRunning, "the append ended before it could be interrupted")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal)
        #expect(walSize() < 1 << 20, "the -wal holds \(walSize()) bytes")
        #expect(try sandbox.run(["verify"]).stdout == head)
    }
}
