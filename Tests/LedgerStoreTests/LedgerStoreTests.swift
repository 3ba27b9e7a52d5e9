import Foundation
import LedgerDomain
import Testing

@testable import LedgerStore

/// A temporary directory, removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

func decode(_ line: String) throws -> Event {
    try EventDecoder().decode(Array(line.utf8))
}

let theft =
    #"{"id":"t1","type":"theft.reported","stream":"incident/x","occurred_on":"2022-06-23","source":{"publisher":"P"},"data":{"victim":"V","amount_usd":100,"assets":[],"methods":[]}}"#
let actor =
    #"{"id":"a1","type":"actor.identified","stream":"actor/lazarus","occurred_on":"2019-09-13","source":{"publisher":"Treasury"},"data":{"name":"Lazarus Group","aliases":[]}}"#

@Suite struct LedgerStoreTests {
    @Test func newLedgerHasTheSchemaAndIsEmpty() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger.openForWriting(path: directory.path("l.sqlite"))
        #expect(try ledger.log.eventCount() == 0)
        #expect(try ledger.database.integer("PRAGMA user_version") == Schema.latestVersion)
        #expect(try ledger.database.integer("PRAGMA application_id") == Schema.applicationID)
        // Opening again (a second init) changes nothing.
        _ = try Ledger.openForWriting(path: directory.path("l.sqlite"))
        #expect(try Ledger.openForReading(path: directory.path("l.sqlite")).log.eventCount() == 0)
    }

    @Test func readingAMissingLedgerCreatesNothing() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: LedgerStoreError.self) { try Ledger.openForReading(path: directory.path("none.sqlite")) }
        #expect(!FileManager.default.fileExists(atPath: directory.path("none.sqlite")))
    }

    @Test func otherFilesAreNotLedgers() throws {
        let directory = try TemporaryDirectory()
        let text = directory.path("notes.sqlite")
        try Data("not a database\n".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: LedgerStoreError.self) { try Ledger.openForWriting(path: text) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: text)) == Data("not a database\n".utf8))

        let other = directory.path("other.sqlite")
        let database = try SQLiteDatabase(path: other, mode: .readWriteCreate)
        try database.execute("CREATE TABLE customers (name TEXT)")
        #expect(throws: LedgerStoreError.self) { try Ledger.openForWriting(path: other) }
        #expect(throws: LedgerStoreError.self) { try Ledger.openForReading(path: other) }
    }

    @Test func triggersRefuseUpdateAndDelete() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger.openForWriting(path: directory.path("l.sqlite"))
        let appender = try ledger.beginAppend(recordedBy: "test")
        _ = try appender.add(try decode(theft))
        _ = try appender.commit()
        let sql = try SQLiteDatabase(path: directory.path("l.sqlite"), mode: .readWrite)
        #expect(throws: LedgerStoreError.self) { try sql.execute("UPDATE events SET data = '{}' WHERE seq = 1") }
        #expect(throws: LedgerStoreError.self) { try sql.execute("DELETE FROM events") }
        #expect(try ledger.log.eventCount() == 1)
    }

    @Test func aBatchIsAllOrNothing() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger.openForWriting(path: directory.path("l.sqlite"))
        let appender = try ledger.beginAppend(recordedBy: "test")
        _ = try appender.add(try decode(actor))
        _ = try appender.add(try decode(theft))
        #expect(throws: EventValidationError.self) {
            _ = try appender.add(try decode(theft.replacingOccurrences(of: "\"t1\"", with: "\"t2\"")))
        }
        appender.rollback()
        #expect(try ledger.log.eventCount() == 0)
    }

    @Test func reappendingIsSkippedAndChangedContentConflicts() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger.openForWriting(path: directory.path("l.sqlite"))
        var appender = try ledger.beginAppend(recordedBy: "test")
        #expect(try appender.add(try decode(theft)) == .appended(seq: 1))
        #expect(try appender.add(try decode(theft)) == .skipped)
        _ = try appender.commit()
        appender = try ledger.beginAppend(recordedBy: "someone else")
        #expect(try appender.add(try decode(theft)) == .skipped)
        #expect(throws: EventValidationError.self) {
            _ = try appender.add(try decode(theft.replacingOccurrences(of: "100", with: "101")))
        }
        appender.rollback()
    }

    @Test func chainLinksEveryEventAndVerifies() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger.openForWriting(path: directory.path("l.sqlite"))
        let appender = try ledger.beginAppend(recordedBy: "test", now: "2026-01-01T00:00:00.000Z")
        _ = try appender.add(try decode(actor))
        _ = try appender.add(try decode(theft))
        _ = try appender.commit()
        var events: [StoredEvent] = []
        try ledger.log.forEachEvent { events.append($0) }
        #expect(events.map(\.seq) == [1, 2])
        #expect(events[0].prevHash == HashChain.genesis)
        #expect(events[1].prevHash == events[0].hash)
        #expect(events.allSatisfy { $0.hash == $0.computedHash() })
        let report = try ledger.verifyChain()
        #expect(report.fault == nil)
        #expect(report.headSeq == 2 && report.headHash == events[1].hash)
        #expect(try ledger.verifyChain(expect: (1, events[0].hash)).fault == nil)
        #expect(try ledger.verifyChain(expect: (3, events[0].hash)).fault?.seq == 3)
    }

    @Test func recordedAtNeverRunsBackwards() throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger.openForWriting(path: directory.path("l.sqlite"))
        var appender = try ledger.beginAppend(recordedBy: "test", now: "2030-01-01T00:00:00.000Z")
        _ = try appender.add(try decode(actor))
        _ = try appender.commit()
        appender = try ledger.beginAppend(recordedBy: "test", now: "2029-01-01T00:00:00.000Z")
        _ = try appender.add(try decode(theft))
        _ = try appender.commit()
        var times: [String] = []
        try ledger.log.forEachEvent { times.append($0.recordedAt) }
        #expect(times == ["2030-01-01T00:00:00.000Z", "2030-01-01T00:00:00.000Z"])
    }

    @Test func clockWritesRFC3339WithMilliseconds() {
        let now = Clock.now()
        #expect(now.count == 24 && now.hasSuffix("Z") && Array(now)[10] == "T" && Array(now)[19] == ".")
    }
}
