import Foundation
import LedgerDomain
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// Random event lines of every type, over small pools of streams so that they collide:
/// attributions, corrections, retractions and amendments of earlier events, published late
/// or on time. Some are refused by the rules; that is part of the test.
struct RandomEvents {
    var random: SplitMix64
    var counter = 0
    /// Accepted event ids and types, by stream.
    var accepted: [String: [(id: String, type: EventType)]] = [:]

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
    mutating func number(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(random.next() % UInt64(range.count))
    }

    mutating func day(from year: Int = 2016) -> Day {
        Day(year: number(year...2025), month: number(1...12), day: number(1...28))!
    }

    mutating func source(occurred: Day) -> String {
        let publisher = pick(["Reuters", "FBI", "Treasury", "UN Panel", "Chainalysis", "=Formula, Desk"])
        switch number(0...2) {
        case 0: return #"{"publisher":"\#(publisher)"}"#
        default:
            let late = Day(
                year: min(9999, occurred.year + number(0...2)), month: number(occurred.month...12),
                day: number(occurred.day...28))!
            return #"{"publisher":"\#(publisher)","published_on":"\#(max(late, occurred))"}"#
        }
    }

    mutating func line() -> (line: String, stream: String, type: EventType) {
        counter += 1
        let id = "e\(counter)"
        let occurred = day()
        var type = pick(EventType.allCases)
        // Removals end a designation's changes for good: rarer, so that amendments count.
        if type == .designationRemoved && number(0...2) != 0 { type = .designationAmended }
        var stream: String
        var data: String
        switch type {
        case .resolutionAdopted:
            stream = "resolution/r\(number(0...2))"
            let deadline = number(0...1) == 0 ? "" : #","deadline":"\#(day())""#
            data =
                #"{"symbol":"S/RES/\#(number(1...9))","body":"UNSC","title":"T","obligations":[{"id":"ob1","summary":"One"\#(deadline)},{"id":"ob2","summary":"Two"}]}"#
        case .statementIssued:
            stream = "statement/s\(number(0...2))"
            data =
                #"{"issuers":["US","JP"],"kind":"\#(pick(StatementKind.allCases).rawValue)","summary":"S \#(number(0...9))","mentions":["actor/a1"]}"#
        case .actorIdentified:
            stream = "actor/a\(number(0...2))"
            data =
                #"{"name":"\#(pick(["Lazarus Group", "Andariel", "Bluenoroff"]))","aliases":["X\#(number(0...3))"],"sponsor_state":"KP"}"#
        case .theftReported:
            stream = "incident/i\(number(0...5))"
            data =
                #"{"victim":"V\#(number(0...9))","victim_country":"\#(pick(["JP", "US", "KR"]))","amount_usd":\#(number(0...1_000_000)),"assets":["ETH"],"methods":[]}"#
        case .attributionMade:
            stream = "incident/i\(number(0...5))"
            data =
                #"{"actor":"actor/a\#(number(0...2))","attributed_by":"\#(pick(["FBI", "NIS", "Mandiant"]))","confidence":"\#(pick(Confidence.allCases).rawValue)"}"#
        case .figureReported:
            stream = "figure/f\(number(0...3))"
            data =
                #"{"metric":"crypto_stolen_usd","subject":"KP","period":"\#(number(2018...2024))","value":\#(number(0...5_000_000))}"#
        case .designationAdded:
            stream = "designation/d\(number(0...7))"
            data =
                #"{"list":"\#(pick(["OFAC-SDN", "UN-1718"]))","entity":"E\#(number(0...3))","entity_type":"organization","aliases":["A\#(number(0...1))","A\#(number(2...3))"],"identifiers":[{"kind":"eth_address","value":"0x000000000000000000000000000000000000000\#(number(0...3))"}]}"#
        case .designationAmended:
            stream = "designation/d\(number(0...7))"
            switch number(0...5) {
            case 0:
                data =
                    #"{"add_identifiers":[{"kind":"btc_address","value":"bc1\#(number(0...3))"}],"add_aliases":["B\#(number(0...3))"]}"#
            case 1:
                data =
                    #"{"remove_identifiers":[{"kind":"eth_address","value":"0x000000000000000000000000000000000000000\#(number(0...3))"}]}"#
            case 2, 3:
                // As real lists do: an alias dropped (often refused: it must be on the designation),
                // another added (G: no query shares a trigram with it only by a short-name fluke,
                // which screening's candidates cannot find; see the README).
                data =
                    #"{"remove_aliases":["A\#(number(0...3))"],"add_aliases":["G\#(number(0...3))"]}"#
            case 4:
                data = #"{"entity":"R\#(number(0...3))"}"#
            default:
                data = #"{"program":"P\#(number(0...3))","entity":"E\#(number(0...3))"}"#
            }
        case .designationRemoved:
            stream = "designation/d\(number(0...7))"
            data = #"{"reason":"delisted"}"#
        case .complianceReported:
            stream = "resolution/r\(number(0...2))"
            data =
                #"{"obligation":"ob\#(number(1...2))","party":"\#(pick(["RU", "CN"]))","status":"\#(pick(ComplianceStatus.allCases).rawValue)","summary":"S"}"#
        case .eventRetracted, .eventCorrected:
            let streams = accepted.keys.sorted()
            guard !streams.isEmpty else {
                type = .actorIdentified
                stream = "actor/a0"
                data = #"{"name":"N","aliases":[]}"#
                break
            }
            stream = pick(streams)
            let target = pick(accepted[stream]!)
            if type == .eventRetracted {
                data = #"{"target":"\#(target.id)","reason":"R"}"#
            } else {
                let patch: String
                switch target.type {
                case .theftReported: patch = #"{"amount_usd":\#(number(0...1_000_000)),"victim_country":null}"#
                case .attributionMade:
                    patch =
                        #"{"confidence":"\#(pick(Confidence.allCases).rawValue)","actor":"actor/a\#(number(0...2))"}"#
                case .resolutionAdopted:
                    patch = #"{"obligations":[{"id":"ob1","summary":"Fixed","deadline":"\#(day())"}]}"#
                case .figureReported: patch = #"{"period":"\#(number(2018...2024))","value":\#(number(0...9))}"#
                case .designationAdded:
                    patch = #"{"entity":"F\#(number(0...3))","list":"\#(pick(["OFAC-SDN", "EU"]))"}"#
                case .actorIdentified: patch = #"{"name":"Renamed \#(number(0...3))"}"#
                case .complianceReported: patch = #"{"status":"\#(pick(ComplianceStatus.allCases).rawValue)"}"#
                default: patch = #"{"summary":"Changed"}"#
                }
                data = #"{"target":"\#(target.id)","patch":\#(patch),"reason":"R"}"#
            }
        }
        let line =
            #"{"id":"\#(id)","type":"\#(type.rawValue)","stream":"\#(stream)","occurred_on":"\#(occurred)","source":\#(source(occurred: occurred)),"data":\#(data)}"#
        return (line, stream, type)
    }
}

extension RandomEvents {
    /// Offers `count` random events to `appender` and notes those appended as targets for
    /// later corrections and retractions (refusals are part of the tests); the appended
    /// events, in log order.
    mutating func append(_ count: Int, to appender: EventAppender) throws -> [LoggedEvent] {
        let decoder = EventDecoder()
        var appended: [LoggedEvent] = []
        for _ in 0..<count {
            let (line, stream, type) = line()
            let event = try decoder.decode(Array(line.utf8))
            do {
                if case .appended(let seq) = try appender.add(event) {
                    appended.append(LoggedEvent(seq: seq, event: event))
                    accepted[stream, default: []].append((event.id.text, type))
                }
            } catch is EventValidationError {
                continue
            }
        }
        return appended
    }
}

@Suite struct ProjectionPropertyTests {
    func rows(_ reports: Reports, _ name: ReportName) throws -> [[Cell]] {
        var rows: [[Cell]] = []
        try reports.rows(of: name) { rows.append($0) }
        return rows
    }

    /// For random event sequences, the stored views' reports equal the reports of a fresh
    /// in-memory fold of the same events, at random days and seqs; and a rebuild changes nothing.
    @Test(arguments: 1...6)
    func storedViewsAgreeWithAFreshFold(seed: Int) throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger.openForWriting(path: directory.path("p.sqlite"))
        var generator = RandomEvents(seed: UInt64(seed))
        var logged: [LoggedEvent] = []
        var middle: (seq: Int64, digest: String)?
        var screenedMatches = 0
        for batch in 0..<6 {
            if batch == 3 { middle = (logged.last?.seq ?? 0, try ledger.views.storedDigest()) }
            let appender = try ledger.beginAppend(recordedBy: "property")
            logged += try generator.append(90, to: appender)
            _ = try appender.commit()
            // At the head, the totals, actors and obligations reports read what is kept per batch.
            for trial in 0..<4 {
                let day = Day(year: 2015 + (seed + batch + trial * 3) % 14, month: 1 + trial * 3, day: 1 + batch * 4)!
                let stored = try ledger.entities(asOf: day, atSeq: nil)
                #expect(
                    try stored.shortcuts?.keptIncidentTallies(byActor: true) != nil
                        && stored.keptComplianceCounts() != nil)
                let fresh = InMemoryEntities(events: logged, asOf: day)
                #expect(try stored.incidentTallies() == IncidentTallies.folded(from: fresh), "as of \(day)")
                #expect(try stored.shortcuts?.latestFigures(of: .cryptoStolenUSD) != nil)
                for name in [ReportName.totals, .actors, .obligations] {
                    #expect(
                        try rows(Reports(asOf: day, source: stored), name)
                            == rows(Reports(asOf: day, source: fresh), name), "\(name) as of \(day)")
                }
                // Screening judges candidates from the index's stored terms; the reference
                // judges every designation folded from the log.
                for query in [
                    "E1", "a2", "B3 E0", "0x0000000000000000000000000000000000000001", "bc12", "e 2", "R1", "g2",
                ] {
                    let screener = Screener(query: query, threshold: 0.7)
                    var reference: [ScreeningMatch] = []
                    try fresh.forEachEntity(of: .designation) { snapshot in
                        if let match = screener.match(snapshot) { reference.append(match) }
                    }
                    let screened = try ledger.screen(screener, asOf: day)
                    #expect(screened == Screener.ordered(reference), "screen \(query) as of \(day)")
                    screenedMatches += screened.count
                }
            }
        }
        #expect(logged.count > 100)
        #expect(screenedMatches > 5)
        let amendments = logged.compactMap { logged -> DesignationAmended? in
            if case .designationAmended(let amendment) = logged.event.payload { return amendment }
            return nil
        }
        #expect(amendments.contains { !$0.removeAliases.isEmpty } && amendments.contains { $0.entity != nil })
        #expect(
            logged.contains { $0.event.type == .eventCorrected } && logged.contains { $0.event.type == .eventRetracted }
        )
        var random = SplitMix64(seed: UInt64(seed) * 7919)
        for trial in 0..<40 {
            let day = Day(
                year: 2015 + Int(random.next() % 14), month: 1 + Int(random.next() % 12),
                day: 1 + Int(random.next() % 28))!
            let seq: Int64? = trial % 4 == 0 ? nil : Int64(random.next() % UInt64(logged.count + 1))
            let stored = Reports(asOf: day, source: try ledger.entities(asOf: day, atSeq: seq))
            let fresh = Reports(
                asOf: day, source: InMemoryEntities(events: logged.filter { $0.seq <= seq ?? .max }, asOf: day))
            for name in ReportName.allCases {
                #expect(
                    try rows(stored, name) == rows(fresh, name),
                    "\(name) as of \(day) at seq \(String(describing: seq))")
            }
        }
        #expect(try ledger.views.verify().fault == nil)
        let digest = try ledger.views.storedDigest()
        #expect(try ledger.views.verify().digest == digest)
        #expect(try ledger.views.replay(atSeq: .max).digest == digest)
        #expect(try ledger.views.rebuild().digest == digest)
        // A replay up to a seq gives the digest the stored views had when the log ended there.
        let (seq, digestThen) = try #require(middle)
        #expect(try ledger.views.replay(atSeq: seq).digest == digestThen)
        #expect(try ledger.views.storedDigest() == digest)
    }
}

/// `ledger history`'s states, computed as the events come, equal the reference fold of every
/// prefix of every stream, on random histories at random days.
@Suite struct EntityHistoryTests {
    @Test(arguments: 1...6)
    func historyIsTheFoldOfEveryPrefix(seed: Int) throws {
        let directory = try TemporaryDirectory()
        let ledger = try Ledger.openForWriting(path: directory.path("h.sqlite"))
        var generator = RandomEvents(seed: UInt64(seed) + 100)
        var streams: [String: [LoggedEvent]] = [:]
        let appender = try ledger.beginAppend(recordedBy: "property")
        for logged in try generator.append(400, to: appender) {
            streams[logged.event.stream.text, default: []].append(logged)
        }
        _ = try appender.commit()
        let all = streams.values.flatMap { $0 }
        #expect(all.contains { $0.event.type == .eventCorrected } && all.contains { $0.event.type == .eventRetracted })
        var random = SplitMix64(seed: UInt64(seed) * 31)
        for (stream, events) in streams.sorted(by: { $0.key < $1.key }) {
            let day = Day(year: 2016 + Int(random.next() % 12), month: 1 + Int(random.next() % 12), day: 1)!
            var history = EntityHistory(stream: stream, asOf: day)
            for index in events.indices {
                let expected = EntityState.describe(
                    EntityFold.snapshot(of: stream, events: Array(events[...index]), asOf: day))
                #expect(history.add(events[index]) == expected, "\(stream) after \(index + 1) as of \(day)")
            }
        }
    }
}

@Suite struct EventTimelineTests {
    /// A theft corrected and un-corrected hundreds of times on scattered days: its stored
    /// versions (built by the day-by-day sweep) say on every day what the fold says.
    @Test(arguments: 1...4)
    func manyCorrectionsAgreeWithTheFold(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) * 104_729)
        func day() -> Day {
            Day(
                year: 2016 + Int(random.next() % 9), month: 1 + Int(random.next() % 12),
                day: 1 + Int(random.next() % 28))!
        }
        let decoder = EventDecoder()
        var events: [LoggedEvent] = []
        func add(_ line: String) throws {
            events.append(LoggedEvent(seq: Int64(events.count + 1), event: try decoder.decode(Array(line.utf8))))
        }
        try add(
            #"{"id":"t","type":"theft.reported","stream":"incident/i","occurred_on":"2016-01-01","source":{"publisher":"P","published_on":"\#(day())"},"data":{"victim":"V","victim_country":"JP","amount_usd":1,"assets":[],"methods":[]}}"#
        )
        var corrections: [String] = []
        for index in 0..<150 {
            let known = day()
            if random.next() % 4 == 0, let target = corrections.randomElement(using: &random) {
                corrections.removeAll { $0 == target }
                try add(
                    #"{"id":"x\#(index)","type":"event.retracted","stream":"incident/i","occurred_on":"2016-01-01","source":{"publisher":"P","published_on":"\#(known)"},"data":{"target":"\#(target)","reason":"R"}}"#
                )
            } else {
                let patch =
                    random.next() % 3 == 0
                    ? #"{"victim_country":\#(random.next() % 2 == 0 ? "null" : "\"KR\"")}"#
                    : #"{"amount_usd":\#(random.next() % 1000)}"#
                corrections.append("c\(index)")
                try add(
                    #"{"id":"c\#(index)","type":"event.corrected","stream":"incident/i","occurred_on":"2016-01-01","source":{"publisher":"P","published_on":"\#(known)"},"data":{"target":"t","patch":\#(patch),"reason":"R"}}"#
                )
            }
        }
        let versions = EventTimeline.history(of: "incident/i", events: events).filter {
            $0.event.seq == 1 && $0.toSeq == nil
        }
        for _ in 0..<60 {
            let asOf = day()
            let expected = EntityFold.countedEvents(events, asOf: asOf).first { $0.seq == 1 }
                .map(\.content.canonicalString)
            let stored = versions.first { $0.fromDate <= asOf && ($0.toDate.map { asOf < $0 } ?? true) }?.dataJSON
            #expect(stored == expected, "as of \(asOf)")
        }
    }

    /// The shortcut the stored views take for a correction (`correctionStep`) builds exactly
    /// the versions of the reference `step`, on random histories of corrections of an event
    /// and of corrections, retractions of both, and a retraction of the event itself.
    @Test(arguments: 1...6)
    func theCorrectionShortcutBuildsTheReferenceVersions(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) * 7_919)
        func day() -> Day {
            Day(
                year: 2016 + Int(random.next() % 9), month: 1 + Int(random.next() % 12),
                day: 1 + Int(random.next() % 28))!
        }
        let decoder = EventDecoder()
        var events: [LoggedEvent] = []
        func add(_ line: String) throws {
            events.append(LoggedEvent(seq: Int64(events.count + 1), event: try decoder.decode(Array(line.utf8))))
        }
        func source(_ known: Day) -> String { #"{"publisher":"P","published_on":"\#(known)"}"# }
        try add(
            #"{"id":"t","type":"theft.reported","stream":"incident/i","occurred_on":"2016-01-01","source":\#(source(day())),"data":{"victim":"V","victim_country":"JP","amount_usd":1,"assets":[],"methods":[]}}"#
        )
        var targets = ["t"]
        var corrections: [String] = []
        for index in 0..<120 {
            let known = day()
            let roll = random.next() % 10
            if roll == 0, let target = corrections.randomElement(using: &random) {
                corrections.removeAll { $0 == target }
                try add(
                    #"{"id":"x\#(index)","type":"event.retracted","stream":"incident/i","occurred_on":"2016-01-01","source":\#(source(known)),"data":{"target":"\#(target)","reason":"R"}}"#
                )
            } else if roll == 1, let target = corrections.randomElement(using: &random) {
                try add(
                    #"{"id":"c\#(index)","type":"event.corrected","stream":"incident/i","occurred_on":"2016-01-01","source":\#(source(known)),"data":{"target":"\#(target)","patch":{"reason":"again"},"reason":"R"}}"#
                )
            } else if roll == 2, index > 100, targets.contains("t") {
                targets.removeAll { $0 == "t" }
                try add(
                    #"{"id":"x\#(index)","type":"event.retracted","stream":"incident/i","occurred_on":"2016-01-01","source":\#(source(known)),"data":{"target":"t","reason":"R"}}"#
                )
            } else {
                let patch =
                    random.next() % 3 == 0
                    ? #"{"victim_country":\#(random.next() % 2 == 0 ? "null" : "\"KR\"")}"#
                    : #"{"amount_usd":\#(random.next() % 50)}"#
                corrections.append("c\(index)")
                try add(
                    #"{"id":"c\#(index)","type":"event.corrected","stream":"incident/i","occurred_on":"2016-01-01","source":\#(source(known)),"data":{"target":"t","patch":\#(patch),"reason":"R"}}"#
                )
            }
        }
        func rows(_ versions: [EventVersion]) -> [String] {
            versions.map {
                let to = $0.toDate?.description ?? "open"
                return "\($0.event.seq) \($0.fromSeq) \($0.toSeq ?? -1) \($0.fromDate) \(to) \($0.dataJSON)"
            }
        }
        let reference = EventTimeline.history(of: "incident/i", events: events)
        let shortcut = EventTimeline.history(of: "incident/i", events: events, shortcut: true)
        #expect(rows(shortcut) == rows(reference))
        #expect(reference.count > 120)
    }

    /// A long stream (a resolution with hundreds of compliance reports, known on scattered
    /// days) keeps a number of stored versions linear in its events, not quadratic.
    @Test func longStreamsStayLinear() throws {
        var events: [LoggedEvent] = []
        let decoder = EventDecoder()
        let adopted =
            #"{"id":"r","type":"resolution.adopted","stream":"resolution/r","occurred_on":"2017-12-22","source":{"publisher":"UN"},"data":{"symbol":"S","body":"B","title":"T","obligations":[{"id":"ob","summary":"S"}]}}"#
        events.append(LoggedEvent(seq: 1, event: try decoder.decode(Array(adopted.utf8))))
        for index in 0..<300 {
            let day = Day(year: 2018 + index % 7, month: 1 + index % 12, day: 1 + index % 28)!
            let line =
                #"{"id":"c\#(index)","type":"compliance.reported","stream":"resolution/r","occurred_on":"\#(day)","source":{"publisher":"P"},"data":{"obligation":"ob","party":"RU","status":"violated","summary":"S"}}"#
            events.append(LoggedEvent(seq: Int64(index + 2), event: try decoder.decode(Array(line.utf8))))
        }
        let history = EventTimeline.history(of: "resolution/r", events: events)
        #expect(history.count == events.count)
        let retraction =
            #"{"id":"x","type":"event.retracted","stream":"resolution/r","occurred_on":"2030-01-01","source":{"publisher":"P"},"data":{"target":"c5","reason":"R"}}"#
        events.append(LoggedEvent(seq: 400, event: try decoder.decode(Array(retraction.utf8))))
        let after = EventTimeline.history(of: "resolution/r", events: events)
        #expect(after.count == events.count)  // c5's open version closes at seq 400, a bounded one opens
    }
}

/// On a PostgreSQL server (the throwaway one of `make test`), where writes are held and sent
/// together and the kept counts are added by upserts with no read back, the stored views
/// still equal a fresh fold of random histories, and a rebuild and a file agree with them.
@Suite struct ServerProjectionPropertyTests {
    @Test(arguments: 1...2)
    func serverViewsAgreeWithAFreshFoldAndAFile(seed: Int) throws {
        let name = "ledger_property_\(UInt64.random(in: 0..<UInt64.max))"
        try TestServer.run("CREATE DATABASE \(name)")
        defer { try? TestServer.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let url = try TestServer.url(database: name).replacingOccurrences(
            of: "ledger_test@", with: "ledger_test:\(try TestServer.password())@")
        let server = try Ledger.openForWriting(path: url)
        let directory = try TemporaryDirectory()
        let file = try Ledger.openForWriting(path: directory.path("p.sqlite"))
        var generator = RandomEvents(seed: UInt64(seed) + 100)
        var logged: [LoggedEvent] = []
        for batch in 0..<5 {
            let appender = try server.beginAppend(recordedBy: "property")
            let events = try generator.append(90, to: appender)
            _ = try appender.commit()
            logged += events
            // A reader, as a command is: one snapshot.
            let reader = try Ledger.openForReading(path: url)
            for trial in 0..<3 {
                let day = Day(year: 2016 + (seed + batch + trial * 4) % 11, month: 2 + trial * 4, day: 3 + batch * 5)!
                let stored = try reader.entities(asOf: day, atSeq: nil)
                let fresh = InMemoryEntities(events: logged, asOf: day)
                #expect(try stored.keptComplianceCounts() != nil)
                for report in ReportName.allCases {
                    #expect(
                        try ProjectionPropertyTests().rows(Reports(asOf: day, source: stored), report)
                            == ProjectionPropertyTests().rows(Reports(asOf: day, source: fresh), report),
                        "\(report) as of \(day)")
                }
            }
        }
        #expect(logged.contains { $0.event.type == .complianceReported })
        #expect(logged.contains { $0.event.type == .eventCorrected })
        var digest = ""
        do {
            // Readers hold their snapshot to the end of this scope; the rebuild below waits for none.
            _ = try file.copy(from: try Ledger.openForReading(path: url))
            let checker = try Ledger.openForReading(path: url, withScratch: true)
            #expect(try checker.views.verify().fault == nil)
            digest = try checker.views.storedDigest()
            #expect(try file.views.storedDigest() == digest)
        }
        #expect(try server.views.rebuild().digest == digest)
    }
}
