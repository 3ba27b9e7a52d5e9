import Foundation
import LedgerDomain
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// What an append decides and keeps does not depend on how the events are batched, nor on
/// where inside a batch the kept tallies are flushed.
@Suite struct BatchingPropertyTests {
    /// Appends `line` in `appender`: the seq, or the refusal's text.
    func verdict(_ line: String, _ appender: EventAppender) throws -> String {
        let event = try EventDecoder().decode(Array(line.utf8))
        do {
            switch try appender.add(event) {
            case .appended: return "appended"
            case .skipped: return "skipped"
            }
        } catch let error as EventValidationError {
            return "refused: \(error)"
        }
    }

    /// One event per batch and every event in one batch (each stream whole in memory) accept
    /// and refuse the same events, with the same reasons, and store the same views. The
    /// single-event batches go through two connections to one file in turn, so that a batch
    /// sometimes starts from the streams its connection's last batch kept (the log as that
    /// batch left it) and sometimes finds the log moved on by the other and reads its
    /// streams back (attributions and compliance reports left out unless a correction or
    /// retraction needs them).
    @Test(arguments: 1...4)
    func verdictsDoNotDependOnBatches(seed: Int) throws {
        let directory = try TemporaryDirectory()
        let single = try Ledger.openForWriting(path: directory.path("single.sqlite"))
        let other = try Ledger.openForWriting(path: directory.path("single.sqlite"))
        let whole = try Ledger.openForWriting(path: directory.path("whole.sqlite"))
        var generator = RandomEvents(seed: UInt64(seed) &* 7919)
        let batch = try whole.beginAppend(recordedBy: "property", now: "2026-01-01T00:00:00.000Z")
        var refused = 0
        for index in 0..<400 {
            let (line, stream, type) = generator.line()
            let connection = (index / 3 + seed) % 4 == 0 ? other : single
            let one = try connection.beginAppend(recordedBy: "property", now: "2026-01-01T00:00:00.000Z")
            let alone = try verdict(line, one)
            _ = try one.commit()
            let together = try verdict(line, batch)
            #expect(alone == together, "\(line)")
            if alone == "appended" {
                let id = try EventDecoder().decode(Array(line.utf8)).id.text
                generator.accepted[stream, default: []].append((id, type))
            } else {
                refused += 1
            }
        }
        _ = try batch.commit()
        #expect(refused > 0 && refused < 400)
        #expect(try single.views.storedDigest() == whole.views.storedDigest())
    }

    /// With the tallies flushed after every one, two or three changed incidents (as a batch
    /// of millions flushes every 20,000), corrections and retractions included, the kept
    /// tallies equal the fold of the same events after every batch.
    @Test(arguments: [1, 2, 3])
    func talliesFlushedMidBatchAgreeWithTheFold(window: Int) throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger.openForWriting(path: directory.path("p.sqlite"))
        var generator = RandomEvents(seed: UInt64(window) &* 104_729)
        var logged: [LoggedEvent] = []
        for batch in 0..<5 {
            let appender = try ledger.beginAppend(recordedBy: "property")
            appender.projector.tallies.flushIncidents = window
            logged += try generator.append(120, to: appender)
            _ = try appender.commit()
            for trial in 0..<3 {
                let day = Day(year: 2016 + (batch * 3 + trial * 4) % 11, month: 1 + trial * 4, day: 2 + batch)!
                let stored = try ledger.entities(asOf: day, atSeq: nil)
                #expect(try stored.shortcuts?.keptIncidentTallies(byActor: true) != nil)
                let fresh = InMemoryEntities(events: logged, asOf: day)
                #expect(
                    try stored.incidentTallies() == IncidentTallies.folded(from: fresh),
                    "window \(window), batch \(batch), as of \(day)")
            }
        }
    }
}
