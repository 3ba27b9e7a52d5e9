import Foundation
import LedgerStore
import LedgerTestSupport
import Testing

/// Every read command sees whole batches only, and a new ledger can be created by two
/// processes at once.
@Suite struct SnapshotTests {
    /// Batch `k`: the k-th theft of 2030 and a figure for 2030 whose value is k, so a report
    /// that sees whole batches shows as many incidents as the figure says.
    func batch(_ k: Int) -> String {
        """
        {"id":"snap-\(k)","type":"theft.reported","stream":"incident/snap-\(k)","occurred_on":"2030-01-01","source":{"publisher":"P"},"data":{"victim":"V","amount_usd":1,"assets":[],"methods":[]}}
        {"id":"fig-\(k)","type":"figure.reported","stream":"figure/snap-\(k)","occurred_on":"2030-01-01","source":{"publisher":"P"},"data":{"metric":"crypto_stolen_usd","subject":"KP","period":"2030","value":\(k)}}

        """
    }

    @Test func reportsAndVerifyNeverMixTwoBatches() throws {
        let sandbox = try LedgerSandbox()
        try sandbox.appendSeeds()
        let done = Flag()
        let failedAppends = Failures()
        let writer = Thread {
            for k in 1...60 {
                do {
                    let append = try sandbox.run(["append", "--quiet"], stdin: Data(batch(k).utf8))
                    if append.status != 0 { failedAppends.add("batch \(k): exit \(append.status): \(append.stderr)") }
                } catch {
                    failedAppends.add("batch \(k): \(error)")
                }
            }
            done.set()
        }
        writer.start()
        var reports = 0
        var heads: [(seq: Substring, digest: Substring)] = []
        while !done.isSet {
            let totals = try sandbox.run(["report", "totals", "--as-of", "2031-01-01", "--format", "csv"])
            #expect(totals.status == 0, "\(totals.stderr)")
            if let row = totals.stdout.split(separator: "\r\n").first(where: { $0.hasPrefix("2030,") }) {
                let cells = row.split(separator: ",", omittingEmptySubsequences: false)
                #expect(cells[1] == cells[4], "incidents and the figure of one batch disagree: \(row)")
                #expect(cells[3] == cells[1], "sum and incidents disagree: \(row)")
            }
            reports += 1
            if reports % 3 == 0 {
                let verify = try sandbox.run(["verify"])
                #expect(verify.status == 0, "\(verify.stderr)")
                let lines = verify.stdout.split(separator: "\n")
                if let digest = lines.first(where: { $0.hasPrefix("projections ok: digest ") })?.split(separator: " ")
                    .last,
                    let head = lines.first(where: { $0.hasPrefix("head ") })?.dropFirst(5).split(separator: ":").first
                {
                    heads.append((head, digest))
                }
            }
        }
        #expect(reports > 5)
        // The reports above raced the batches; after the last one, every batch is seen.
        #expect(failedAppends.all.isEmpty, "\(failedAppends.all)")
        let last = try sandbox.run(["report", "totals", "--as-of", "2031-01-01", "--format", "csv"])
        let row = last.stdout.split(separator: "\r\n").first { $0.hasPrefix("2030,") }
        #expect(row?.split(separator: ",", omittingEmptySubsequences: false)[1] == "60", "\(last.stdout)")
        // Each digest verify printed is that of the projections at the head it printed.
        for (seq, digest) in heads {
            let replay = try sandbox.run(["replay", "--at-seq", String(seq)])
            #expect(replay.stdout.contains("digest \(digest)"), "verify's head \(seq) and digest disagree")
        }
    }

    @Test func twoProcessesCreatingOneLedgerBothSucceed() throws {
        let sandbox = try LedgerSandbox()
        let input = sandbox.path("one.ndjson")
        try sandbox.write("one.ndjson", incidents("race", count: 3))
        for round in 0..<25 {
            let path = sandbox.path("race-\(round).sqlite")
            let results = Failures()
            let group = DispatchGroup()
            for command in [["init"], ["append", "--quiet", input]] {
                group.enter()
                Thread {
                    let result = try? sandbox.run(command + ["--db", path], db: false)
                    results.add("\(command[0]) \(result?.status ?? -1) \(result?.stderr ?? "")")
                    group.leave()
                }.start()
            }
            group.wait()
            for line in results.all { #expect(line.hasPrefix("init 0") || line.hasPrefix("append 0"), "\(line)") }
            let verify = try sandbox.run(["verify", "--db", path], db: false)
            #expect(verify.status == 0 && verify.stdout.contains("chain ok: 3 events"), "\(verify.stderr)")
        }
    }
}
