/// How the stored versions of events change as a stream grows: the one mechanism behind
/// the stored views, `replay` and `verify`, so that they cannot disagree.
public enum EventTimeline {
    /// What appending one event changes in the stored versions.
    public struct Change: Sendable {
        /// Versions open until now that close at the appended event's `seq`.
        public var closed: [OpenVersion]
        /// Versions that open at the appended event's `seq`.
        public var opened: [EventVersion]
    }

    /// The events whose versions the last event of `stream` can change: itself (unless it is
    /// a retraction, which has no rows), its target, and its target's target. Found by id, so
    /// the cost does not grow with the stream.
    public static func affected(by stream: StreamHistory) -> [LoggedEvent] {
        guard let last = stream.events.last else { return [] }
        var result: [LoggedEvent] = []
        var current: LoggedEvent? = last
        while let event = current {
            if event.event.type != .eventRetracted { result.append(event) }
            guard let target = target(of: event.event) else { break }
            current = stream.event(id: target)
        }
        return result
    }

    /// The event a retraction or correction targets; nil for any other event.
    public static func target(of event: Event) -> EventID? {
        switch event.payload {
        case .eventRetracted(let retraction): retraction.target
        case .eventCorrected(let correction): correction.target
        default: nil
        }
    }

    /// The events that decide how `event` counts, in `seq` order: itself, what retracts or
    /// corrects it, and what retracts those corrections. Followed along the stream's index of
    /// dependents, so a compliance report in a stream of thousands costs what it costs alone.
    static func related(to event: LoggedEvent, in stream: StreamHistory) -> [LoggedEvent] {
        var indices: [Int] = []
        var pending = [event.event.id]
        while let id = pending.popLast() {
            for index in stream.dependents(of: id) {
                indices.append(index)
                pending.append(stream.events[index].event.id)
            }
        }
        return [event] + indices.sorted().map { stream.events[$0] }
    }

    /// The versions over valid time of `event`, given the stream's events so far (in `seq`
    /// order). Transaction-time bounds are left for the caller (`fromSeq` 0, `toSeq` nil).
    public static func currentVersions(of event: LoggedEvent, in history: StreamHistory, stream: String)
        -> [EventVersion]
    {
        guard let kind = StreamName.kind(of: stream), !history.events.isEmpty else { return [] }
        let related = related(to: event, in: history)
        let days = Array(Set(related.map(\.event.knownOn))).sorted()
        var versions: [EventVersion] = []
        var previous: String?
        var sweep = CorrectionSweep(of: event, related: related)
        for day in days {
            let counted: CountedEvent?
            if sweep != nil {
                counted = sweep?.counted(asOf: day)
            } else {
                counted = EntityFold.countedEvents(related, asOf: day).first { $0.seq == event.seq }
            }
            let dataJSON = counted.map(\.content.canonicalString)
            if dataJSON == previous { continue }
            if var last = versions.last, last.toDate == nil {
                last.toDate = day
                versions[versions.count - 1] = last
            }
            if let counted, let dataJSON {
                versions.append(
                    EventVersion(
                        stream: stream, kind: kind, event: counted, dataJSON: dataJSON, fromDate: day, toDate: nil,
                        fromSeq: 0, toSeq: nil))
            }
            previous = dataJSON
        }
        return versions
    }

    /// What appending the last event of `history` changes, given the open versions of the
    /// events it affects (see `affected(by:)`): versions whose range and data stay are left alone.
    public static func step(open: [OpenVersion], after history: StreamHistory, stream: String) -> Change {
        guard let seq = history.events.last?.seq else { return Change(closed: [], opened: []) }
        var current: [EventVersion] = []
        for event in affected(by: history) {
            current.append(contentsOf: currentVersions(of: event, in: history, stream: stream))
        }
        // Matched by content through sets: an event corrected on many days has many versions.
        let currentContent = Set(current.map(VersionContent.init))
        let openContent = Set(open.map(\.content))
        let closed = open.filter { !currentContent.contains($0.content) }
        let opened = current.filter { !openContent.contains(VersionContent($0)) }
            .map { version -> EventVersion in
                var version = version
                version.fromSeq = seq
                return version
            }
        return Change(closed: closed, opened: opened)
    }

    /// What appending a correction changes, from its target's open versions alone: nil where
    /// this shortcut does not hold (the last event is not a correction, or it corrects a
    /// correction or retraction, whose change reaches a third event), and `step` must refold.
    ///
    /// The correction has the highest `seq` of the stream, so on every day from its `known_on`
    /// on, its target's data is the data it had that day with the patch applied last (RFC 7396
    /// in `seq` order), and before that day it is unchanged. So the target's open versions are
    /// split at that day, those from it on patched, and equal neighbours joined: the versions
    /// `currentVersions` would build, at a cost that does not grow with the corrections before.
    public static func correctionStep(open: [OpenVersion], after history: StreamHistory, stream: String) -> Change? {
        guard let last = history.events.last, case .eventCorrected(let correction) = last.event.payload,
            let target = history.event(id: correction.target), let kind = StreamName.kind(of: stream),
            target.event.type != .eventCorrected, target.event.type != .eventRetracted
        else { return nil }
        let reader = StrictJSONReader(limits: JSONLimits(maxDepth: 64, maxStringBytes: .max))
        let day = last.event.knownOn
        let before = open.filter { $0.content.seq == target.seq }.sorted { $0.content.fromDate < $1.content.fromDate }
        var after: [VersionContent] = []
        func add(_ from: Day, _ to: Day?, _ dataJSON: String) {
            if let previous = after.last, previous.toDate == from, previous.dataJSON == dataJSON {
                after[after.count - 1].toDate = to
            } else {
                after.append(VersionContent(seq: target.seq, fromDate: from, toDate: to, dataJSON: dataJSON))
            }
        }
        for version in before.map(\.content) {
            if let to = version.toDate, to <= day {
                add(version.fromDate, to, version.dataJSON)
                continue
            }
            guard case .object(let data)? = try? reader.read(version.dataJSON),
                case .object(let patched) = MergePatch.apply(.object(correction.patch), to: .object(data))
            else { return nil }
            let patchedJSON = CanonicalJSON.string(of: .object(patched))
            if version.fromDate < day {
                add(version.fromDate, day, version.dataJSON)
                add(day, version.toDate, patchedJSON)
            } else {
                add(version.fromDate, version.toDate, patchedJSON)
            }
        }
        let beforeContent = Set(before.map(\.content))
        let afterContent = Set(after)
        var opened = after.filter { !beforeContent.contains($0) }.map { content -> EventVersion in
            var data = JSONObject()
            if case .object(let object)? = try? reader.read(content.dataJSON) { data = object }
            var counted = CountedEvent(target)
            counted.content = EventContent(type: target.event.type, json: data)
            return EventVersion(
                stream: stream, kind: kind, event: counted, dataJSON: content.dataJSON, fromDate: content.fromDate,
                toDate: content.toDate, fromSeq: last.seq, toSeq: nil)
        }
        // The correction's own version: nothing targets it yet.
        opened.append(
            EventVersion(
                stream: stream, kind: kind, event: CountedEvent(last),
                dataJSON: String(decoding: last.event.payload.canonicalBytes, as: UTF8.self), fromDate: day,
                toDate: nil,
                fromSeq: last.seq, toSeq: nil))
        return Change(closed: before.filter { !afterContent.contains($0.content) }, opened: opened)
    }

    /// Every version the stream's events ever had, as appending them one by one leaves them,
    /// in the order (seq, fromSeq, fromDate): what the stored views must hold for the stream.
    /// With `shortcut`, a correction's change comes from `correctionStep` where it applies,
    /// as the stored views take it; without, from `step` alone, the reference.
    public static func history(of stream: String, events: [LoggedEvent], shortcut: Bool = false) -> [EventVersion] {
        var all: [EventVersion] = []
        var openBySeq: [Int64: [Int]] = [:]
        var history = StreamHistory()
        for event in events {
            history.append(event)
            let affectedSeqs = affected(by: history).map(\.seq)
            let open = affectedSeqs.flatMap { openBySeq[$0] ?? [] }.map { OpenVersion(all[$0]) }
            let change =
                (shortcut ? correctionStep(open: open, after: history, stream: stream) : nil)
                ?? step(open: open, after: history, stream: stream)
            let closed = Set(change.closed.map(\.content))
            for seq in affectedSeqs {
                openBySeq[seq] = (openBySeq[seq] ?? []).filter { index in
                    guard closed.contains(VersionContent(all[index])) else { return true }
                    all[index].toSeq = event.seq
                    return false
                }
            }
            for version in change.opened {
                openBySeq[version.event.seq, default: []].append(all.count)
                all.append(version)
            }
        }
        return all.sorted { lhs, rhs in
            if lhs.event.seq != rhs.event.seq { return lhs.event.seq < rhs.event.seq }
            if lhs.fromSeq != rhs.fromSeq { return lhs.fromSeq < rhs.fromSeq }
            return lhs.fromDate < rhs.fromDate
        }
    }
}

/// One stream's events in `seq` order, indexed by id and by what targets what, so that
/// appending to a long stream never searches it.
public struct StreamHistory: Sendable {
    /// The events, in `seq` order.
    public private(set) var events: [LoggedEvent] = []
    private var indexByID: [EventID: Int] = [:]
    /// For each event id, the indices of the retractions and corrections that target it.
    private var dependentsByID: [EventID: [Int]] = [:]

    public init() {}

    /// Adds the stream's next event.
    public mutating func append(_ event: LoggedEvent) {
        indexByID[event.event.id] = events.count
        if let target = EventTimeline.target(of: event.event) {
            dependentsByID[target, default: []].append(events.count)
        }
        events.append(event)
    }

    /// Drops the last event again: one that nothing targets yet, which a caller keeping only
    /// what later corrections and retractions need can read back by id when one comes.
    public mutating func removeLast() {
        guard let last = events.popLast() else { return }
        indexByID[last.event.id] = nil
        if let target = EventTimeline.target(of: last.event) {
            dependentsByID[target]?.removeAll { $0 == events.count }
            if dependentsByID[target]?.isEmpty == true { dependentsByID[target] = nil }
        }
    }

    /// The same stream holding only what later corrections and retractions need: the
    /// corrections and retractions themselves and, for each, its target and its target's
    /// targets, in `seq` order.
    public func keepingChangesAndTheirTargets() -> StreamHistory {
        var keep = Set<Int>()
        for (index, logged) in events.enumerated() where EventTimeline.target(of: logged.event) != nil {
            keep.insert(index)
            var next = EventTimeline.target(of: logged.event)
            while let id = next, let target = indexByID[id], keep.insert(target).inserted {
                next = EventTimeline.target(of: events[target].event)
            }
        }
        var kept = StreamHistory()
        for index in keep.sorted() { kept.append(events[index]) }
        return kept
    }

    /// The event with this id, if the stream holds it.
    public func event(id: EventID) -> LoggedEvent? {
        indexByID[id].map { events[$0] }
    }

    /// The indices of the events that retract or correct event `id`.
    func dependents(of id: EventID) -> [Int] {
        dependentsByID[id] ?? []
    }
}

/// A version's content: its event, valid-time range and data, the transaction-time bounds aside.
public struct VersionContent: Hashable, Sendable {
    public var seq: Int64
    public var fromDate: Day
    public var toDate: Day?
    public var dataJSON: String

    public init(seq: Int64, fromDate: Day, toDate: Day?, dataJSON: String) {
        self.seq = seq
        self.fromDate = fromDate
        self.toDate = toDate
        self.dataJSON = dataJSON
    }

    init(_ version: EventVersion) {
        self.init(
            seq: version.event.seq, fromDate: version.fromDate, toDate: version.toDate, dataJSON: version.dataJSON)
    }
}

/// A stored version still open in transaction time, as appending needs it: its content and
/// its key. Read without parsing its data: appending only compares and closes it.
public struct OpenVersion: Sendable {
    public var content: VersionContent
    /// With `content.seq` and `content.fromDate`, the row's key.
    public var fromSeq: Int64

    public init(content: VersionContent, fromSeq: Int64) {
        self.content = content
        self.fromSeq = fromSeq
    }

    init(_ version: EventVersion) {
        self.init(content: VersionContent(version), fromSeq: version.fromSeq)
    }
}

/// An event's data day by day, swept forward over the days its related events become known,
/// instead of a fold of all of them for each day. It holds where every correction's patch
/// sets top-level members only (no object values), as every correctable type's data is
/// shaped; then a member's value is that of the highest-`seq` counted correction setting it
/// (RFC 7396 applied in `seq` order), and each day costs the size of the data, not the
/// number of corrections.
struct CorrectionSweep {
    private let event: LoggedEvent
    /// The event's own data as JSON, once a counted correction needs it.
    private var original: JSONObject?
    /// The related events (see `EventTimeline.related`) by the day they become known.
    private var pendingByDay: [Day: [LoggedEvent]]
    private var isKnown = false
    /// Ids retracted by a retraction known so far.
    private var retracted = Set<EventID>()
    /// For each member a counted correction sets, those corrections' values by `seq`.
    private var settings: [String: [(seq: Int64, value: JSONValue)]] = [:]
    /// The counted corrections, by id, with their `seq` and patch.
    private var counted: [EventID: (seq: Int64, patch: JSONObject)] = [:]

    /// Nil where a patch sets an object value (merge patches then nest): fold instead.
    init?(of event: LoggedEvent, related: [LoggedEvent]) {
        for other in related {
            if case .eventCorrected(let correction) = other.event.payload,
                correction.patch.members.contains(where: { if case .object = $0.value { true } else { false } })
            {
                return nil
            }
        }
        self.event = event
        pendingByDay = Dictionary(grouping: related, by: \.event.knownOn)
    }

    /// The event as it counts on `day`, or nil; `day` must not go backwards between calls.
    mutating func counted(asOf day: Day) -> CountedEvent? {
        if let arriving = pendingByDay.removeValue(forKey: day) {
            for other in arriving.sorted(by: { $0.seq < $1.seq }) { arrive(other) }
        }
        guard isKnown, !retracted.contains(event.event.id) else { return nil }
        var counted = CountedEvent(event)
        guard settings.values.contains(where: { !$0.isEmpty }) else { return counted }
        if original == nil { original = event.event.payload.json }
        var data = original ?? JSONObject()
        for (key, values) in settings {
            guard let winner = values.last else { continue }
            data[key] = winner.value == .null ? nil : winner.value
        }
        counted.content = EventContent(type: event.event.type, json: data)
        return counted
    }

    private mutating func arrive(_ other: LoggedEvent) {
        if other.seq == event.seq {
            isKnown = true
            return
        }
        switch other.event.payload {
        case .eventRetracted(let retraction):
            retracted.insert(retraction.target)
            if let (seq, patch) = counted.removeValue(forKey: retraction.target) {
                for member in patch.members { settings[member.key]?.removeAll { $0.seq == seq } }
            }
        case .eventCorrected(let correction) where correction.target == event.event.id:
            guard !retracted.contains(other.event.id) else { return }
            counted[other.event.id] = (other.seq, correction.patch)
            for member in correction.patch.members {
                // In place: a copy of the list per correction would cost its length.
                let index =
                    settings[member.key]?.firstIndex { $0.seq > other.seq } ?? settings[member.key]?.endIndex ?? 0
                settings[member.key, default: []].insert((other.seq, member.value), at: index)
            }
        default:
            break
        }
    }
}
