/// The events behind one row of a report (contract section 10), gathered as a fold over
/// the log in `seq` order, and each one's part in the row on a day.
///
/// Behind a row of `thefts`, `statements` or `designations`: the stream's events. Of
/// `obligations` (key `resolution#obligation`): the resolution's adoption and the compliance
/// reports naming that obligation. Of `actors`: the actor's events and the attributions naming
/// it. Of `totals` (key the year): the theft reports and attributions of the incidents that
/// occurred that year, and the figures of `crypto_stolen_usd` for that period. With each, the
/// corrections and retractions of the events gathered. An event counts as naming the key when
/// its data as first written does, or when any correction in the log makes it do so: a row
/// that a correction moved an event into, or out of, lists it (its part then says by which
/// correction).
public struct RowEvidence: Sendable {
    public let report: ReportName
    public let key: String
    /// The events gathered, in `seq` order.
    public private(set) var events: [LoggedEvent] = []

    private var gathered: Set<EventID> = []
    /// Events that a correction makes name the key (an attribution moved to this actor, a
    /// compliance report to this obligation, a figure to this period): behind the row too.
    private var namedByCorrection: [EventID: [EventID]] = [:]
    /// The gathered events that name the key only through a correction, and those corrections.
    private var movedIn: [EventID: [EventID]] = [:]
    /// For `totals`: the incidents that occurred in the key's year.
    private var incidents: Set<String> = []

    public init(report: ReportName, key: String) {
        self.report = report
        self.key = key
    }

    /// The one stream that holds every event behind the row, where there is one: a log
    /// need only be read for that stream.
    public var stream: String? {
        switch report {
        case .thefts, .statements, .designations: key
        case .obligations: key.split(separator: "#", maxSplits: 1).first.map(String.init)
        case .actors, .totals: nil
        }
    }

    /// Whether the row is decided by fields a correction can change (`actor`,
    /// `obligation`, `period`): then the log's corrections are read first, with
    /// `noteCorrection(_:)`, before the events are considered.
    public var dependsOnCorrectedFields: Bool {
        switch report {
        case .thefts, .statements, .designations: false
        case .obligations, .actors, .totals: true
        }
    }

    /// First pass, over the log's corrections in `seq` order: notes the targets that a
    /// correction's patch makes name the key.
    public mutating func noteCorrection(_ logged: LoggedEvent) {
        guard case .eventCorrected(let correction) = logged.event.payload else { return }
        let patch = correction.patch
        let names: Bool
        switch report {
        case .thefts, .statements, .designations: names = false
        case .obligations:
            let parts = key.split(separator: "#", maxSplits: 1).map(String.init)
            names = parts.count == 2 && logged.event.stream.text == parts[0] && patch["obligation"] == .string(parts[1])
        case .actors: names = patch["actor"] == .string(key)
        case .totals: names = patch["period"] == .string(key)
        }
        if names { namedByCorrection[correction.target, default: []].append(logged.event.id) }
    }

    /// Whether an event of `type` in `stream` could be behind the row: the others need not be
    /// decoded.
    public func mayConsider(type: String, stream: String) -> Bool {
        if type == EventType.eventRetracted.rawValue || type == EventType.eventCorrected.rawValue { return true }
        switch report {
        case .thefts, .statements, .designations, .obligations: return stream == self.stream
        case .actors: return stream == key || type == EventType.attributionMade.rawValue
        case .totals:
            return type == EventType.theftReported.rawValue || type == EventType.attributionMade.rawValue
                || type == EventType.figureReported.rawValue
        }
    }

    /// The one entity the row is made from, where there is one: the report need read no
    /// other entity of that kind to make the row.
    public var rowEntity: (kind: StreamKind, stream: String)? {
        switch report {
        case .thefts: (.incident, key)
        case .statements: (.statement, key)
        case .designations: (.designation, key)
        case .obligations: stream.map { (.resolution, $0) }
        case .actors: (.actor, key)
        case .totals: nil
        }
    }

    /// Takes `logged` in if it is behind the row. Events come in `seq` order.
    public mutating func consider(_ logged: LoggedEvent) {
        let event = logged.event
        var isBehind = false
        switch event.payload {
        case .eventRetracted(let retraction): isBehind = gathered.contains(retraction.target)
        case .eventCorrected(let correction): isBehind = gathered.contains(correction.target)
        default: break
        }
        if !isBehind {
            switch report {
            case .thefts, .statements, .designations:
                isBehind = event.stream.text == key
            case .obligations:
                let parts = key.split(separator: "#", maxSplits: 1).map(String.init)
                guard parts.count == 2, event.stream.text == parts[0] else { break }
                switch event.payload {
                case .resolutionAdopted: isBehind = true
                case .complianceReported(let report): isBehind = report.obligation == parts[1]
                default: break
                }
            case .actors:
                switch event.payload {
                case .attributionMade(let attribution): isBehind = attribution.actor == key
                case .eventRetracted, .eventCorrected: break
                default: isBehind = event.stream.text == key
                }
            case .totals:
                switch event.payload {
                case .theftReported:
                    isBehind = String(event.occurredOn.year) == key
                    if isBehind { incidents.insert(event.stream.text) }
                case .attributionMade: isBehind = incidents.contains(event.stream.text)
                case .figureReported(let figure):
                    isBehind = figure.metric == .cryptoStolenUSD && figure.periodText == key
                default: break
                }
            }
        }
        if !isBehind, let corrections = namedByCorrection[event.id] {
            isBehind = true
            movedIn[event.id] = corrections
        }
        guard isBehind else { return }
        gathered.insert(event.id)
        events.append(logged)
    }

    /// Each gathered event with its part in the row as of `asOf`, the log as it stood after
    /// `atSeq` (nil: all of it).
    public func parts(asOf: Day, atSeq: Int64?) -> [ExplainedEvent] {
        func exists(_ logged: LoggedEvent) -> Bool { atSeq.map { logged.seq <= $0 } ?? true }
        func isKnown(_ logged: LoggedEvent) -> Bool { exists(logged) && logged.event.knownOn <= asOf }
        // Retractions that count retract their targets from their own known_on on.
        var retractedBy: [EventID: EventID] = [:]
        for logged in events where isKnown(logged) {
            if case .eventRetracted(let retraction) = logged.event.payload, retractedBy[retraction.target] == nil {
                retractedBy[retraction.target] = logged.event.id
            }
        }
        var correctedBy: [EventID: [EventID]] = [:]
        for logged in events where isKnown(logged) && retractedBy[logged.event.id] == nil {
            if case .eventCorrected(let correction) = logged.event.payload {
                correctedBy[correction.target, default: []].append(logged.event.id)
            }
        }
        return events.map { logged in
            let event = logged.event
            let part: ExplainedEvent.Part
            if !exists(logged) {
                part = .afterAtSeq
            } else if !isKnown(logged) {
                part = .notYetKnown
            } else if let corrections = movedIn[event.id],
                !corrections.contains(where: { correction in
                    correctedBy[event.id]?.contains(correction) == true
                })
            {
                // It names the key only once a correction that does not count yet says so.
                part = .notYetKnown
            } else if let retraction = retractedBy[event.id] {
                part = .retracted(by: retraction)
            } else if let corrections = correctedBy[event.id] {
                part = .corrected(by: corrections)
            } else {
                part = .counts
            }
            return ExplainedEvent(
                seq: logged.seq, id: event.id, type: event.type, knownOn: event.knownOn,
                publisher: event.source.publisher, part: part)
        }
    }

    /// Whether `cells`, a row of the report, is the row this key names: its first column
    /// (`resolution#obligation` for `obligations`).
    public func isRow(_ cells: [Cell]) -> Bool {
        guard let first = cells.first?.plainText else { return false }
        if report == .obligations { return cells.count > 2 && first + "#" + cells[2].plainText == key }
        return first == key
    }
}

/// One event behind a row, and its part in the row on the day asked about.
public struct ExplainedEvent: Sendable, Equatable {
    public enum Part: Sendable, Equatable, CustomStringConvertible {
        case afterAtSeq, notYetKnown
        case retracted(by: EventID)
        case corrected(by: [EventID])
        case counts

        public var description: String {
            switch self {
            case .afterAtSeq: "after the --at-seq"
            case .notYetKnown: "not yet known"
            case .retracted(let retraction): "retracted by \(retraction)"
            case .corrected(let corrections): "corrected by \(corrections.map(\.text).joined(separator: ", "))"
            case .counts: "counts"
            }
        }
    }

    public var seq: Int64
    public var id: EventID
    public var type: EventType
    public var knownOn: Day
    public var publisher: String
    public var part: Part
}
