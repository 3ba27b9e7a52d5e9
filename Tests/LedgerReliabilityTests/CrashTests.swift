import Foundation
import LedgerTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGKILL at random moments: the ledger holds the whole batch or none of it, and verifies.
@Suite(.serialized) struct CrashTests {
    @Test func killDuringAppendLeavesAllOrNothing() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let seeds = try storedCount(sandbox)
        let batch = try generatedBatch(sandbox, events: 20_000, seed: 11)
        var random = SplitMix64(state: 42)
        var killedMidway = 0
        for _ in 0..<4 {
            let process = try sandbox.start(["append", "--quiet", batch])
            usleep(UInt32(100_000 + random.next() % 1_500_000))
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let count = try storedCount(sandbox)
            #expect(count == seeds || count == seeds + 20_000, "a kill left \(count - seeds) events of the batch")
            #expect(try sandbox.run(["verify"]).status == 0)
            if wasRunning && count == seeds { killedMidway += 1 }
            if count != seeds { break }
        }
        #expect(killedMidway > 0, "no kill landed while the append ran")
        let rerun = try sandbox.run(["append", "--quiet", batch])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try storedCount(sandbox) == seeds + 20_000)
        #expect(try sandbox.run(["verify"]).status == 0)
    }

    @Test func killDuringReplayLeavesTheViewsAsTheyWere() throws {
        let sandbox = try LedgerSandbox()
        let batch = try generatedBatch(sandbox, events: 10_000, seed: 12)
        #expect(try sandbox.run(["append", "--quiet", batch]).status == 0)
        let before = try sandbox.run(["verify"]).stdout
        var random = SplitMix64(state: 7)
        for _ in 0..<3 {
            let process = try sandbox.start(["replay", "--quiet"])
            usleep(UInt32(100_000 + random.next() % 800_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let verify = try sandbox.run(["verify"])
            #expect(verify.status == 0, "\(verify.stderr)")
            #expect(verify.stdout == before)
        }
        #expect(try sandbox.run(["replay", "--quiet"]).status == 0)
        #expect(try sandbox.run(["verify"]).stdout == before)
    }
}
