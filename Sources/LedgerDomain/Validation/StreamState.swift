/// What the log already holds for one stream, as far as appending to it needs to know:
/// its version, its events' current data (corrections applied), and what was retracted.
///
/// A fold over the stream's events in log order, with no regard to valid time: appending
/// is judged against everything recorded, whatever day it became known.
public struct StreamState: Sendable {
    /// One event of the stream. Small inline (its data boxed): a long stream keeps one per
    /// event in a dictionary, whose storage doubles as it grows.
    struct Entry: Sendable {
        var type: EventType
        /// The event's data as it arrived.
        let original: Boxed<EventPayload>
        /// Its data with the counted corrections applied, kept as they come; nil while none.
        var corrected: Boxed<EventContent>?
        /// Ids of the corrections of this event, in log order.
        var corrections: [EventID] = []
        var isRetracted = false

        var payload: EventPayload { original.value }

        var current: EventContent {
            get { corrected?.value ?? .typed(original.value) }
            set { corrected = Boxed(newValue) }
        }
    }

    /// The stream's name.
    public let stream: String
    /// How many events the stream holds.
    public private(set) var version = 0
    /// Whether every event of the stream was applied; false for a state made by `partial`,
    /// which only appending an event that `needsWholeStream` refuses does not need.
    public private(set) var isWhole = true
    private(set) var entries: [EventID: Entry] = [:]
    /// Event ids in log order.
    private(set) var order: [EventID] = []
    /// For a resolution stream: how many counted compliance reports (not retracted, as
    /// corrected) name each obligation. Kept as events are applied, never recounted.
    private(set) var reportsPerObligation: [String: Int] = [:]

    /// An empty stream.
    public init(stream: String) {
        self.stream = stream
    }

    /// The events of a stream that its later appends may need to see, unless one of them
    /// `needsWholeStream`: all but its attributions and compliance reports. What those add
    /// matters only to a correction or retraction, which judges them by id (and by the
    /// compliance reports per obligation), so a long stream of them is not read to append one
    /// more.
    public static let partialTypes: [EventType] = EventType.allCases.filter {
        $0 != .attributionMade && $0 != .complianceReported
    }

    /// Whether checking `event` needs the whole stream, not a `partial` state: a correction or
    /// retraction, whose target may be any event of the stream.
    public static func needsWholeStream(_ event: Event) -> Bool {
        switch event.payload {
        case .eventCorrected, .eventRetracted: true
        default: false
        }
    }

    /// The state of a stream of `version` events, of which `events` (in log order) are those
    /// of `partialTypes`: it answers every check but those of the events that
    /// `needsWholeStream`.
    public static func partial(stream: String, version: Int, events: [Event]) -> StreamState {
        var state = StreamState(stream: stream)
        for event in events { state.apply(event) }
        state.version = version
        state.isWhole = false
        return state
    }

    /// Whether the stream has been created.
    public var exists: Bool { version > 0 }

    /// The id of the event that created the stream.
    public var creationID: EventID? { order.first }

    /// Whether the entity stands: created, and its creation not retracted.
    public var isStanding: Bool {
        guard let id = creationID, let entry = entries[id] else { return false }
        return !entry.isRetracted
    }

    /// The data of event `id` with its counted corrections applied, in log order.
    func currentData(of id: EventID) -> EventContent? {
        entries[id]?.current
    }

    /// `currentData` folded anew from the event's corrections: needed only when one of them
    /// is retracted, which a running merge cannot undo.
    private func refolded(_ id: EventID) -> EventContent? {
        guard let entry = entries[id] else { return nil }
        let patches = entry.corrections.compactMap { correctionID -> JSONObject? in
            guard let correction = entries[correctionID], !correction.isRetracted,
                case .eventCorrected(let patch) = correction.payload
            else { return nil }
            return patch.patch
        }
        guard !patches.isEmpty else { return .typed(entry.payload) }
        var data = JSONValue.object(entry.payload.json)
        for patch in patches { data = MergePatch.apply(.object(patch), to: data) }
        return data.objectValue.map { EventContent(type: entry.type, json: $0) }
    }

    /// The obligation ids of a resolution stream, after corrections.
    var obligationIDs: [String] {
        guard let id = creationID, let content = currentData(of: id) else { return [] }
        if case .typed(.resolutionAdopted(let resolution)) = content { return resolution.obligations.map(\.id) }
        // Data a retracted correction left unreadable: its ids as far as they read.
        guard case .array(let obligations)? = content.json["obligations"] else { return [] }
        return obligations.compactMap { obligation in
            if case .string(let id)? = obligation.objectValue?["id"] { return id }
            return nil
        }
    }

    /// For a designation stream: the id of the counted removal, if it was removed.
    var removalID: EventID? {
        order.first { id in
            guard let entry = entries[id] else { return false }
            return entry.type == .designationRemoved && !entry.isRetracted
        }
    }

    /// For a designation stream: where it stands now, after amendments and corrections
    /// (the fold the designations report uses, over every event recorded).
    var designationStanding: DesignationStanding<String>? {
        var changes: [DesignationChange<String>] = []
        for id in order {
            guard let entry = entries[id], !entry.isRetracted, let content = currentData(of: id) else { continue }
            switch (entry.type, content.payload) {
            case (.designationAdded, .designationAdded(let added)?):
                changes.append(.added(DesignationAddition(added, name: { $0 })))
            case (.designationAmended, .designationAmended(let amended)?):
                changes.append(.amended(DesignationAmendment(amended, name: { $0 })))
            default: continue
            }
        }
        return DesignationStanding(changes)
    }

    /// The type of event `id`, if the stream holds it.
    func type(of id: EventID) -> EventType? { entries[id]?.type }

    /// Whether event `id` has been retracted.
    func isRetracted(_ id: EventID) -> Bool { entries[id]?.isRetracted ?? false }

    /// Folds one more event (already checked by `StreamRules`) into the state. For a
    /// correction, `correctedTarget` is its target's data after it, as the check decoded it;
    /// without it, the patch is applied here.
    public mutating func apply(_ event: Event, correctedTarget: EventContent? = nil) {
        version += 1
        order.append(event.id)
        entries[event.id] = Entry(type: event.type, original: Boxed(event.payload))
        switch event.payload {
        case .complianceReported(let report):
            reportsPerObligation[report.obligation, default: 0] += 1
        case .eventRetracted(let retraction):
            if let obligation = reportedObligation(of: retraction.target) {
                reportsPerObligation[obligation, default: 0] -= 1
            }
            entries[retraction.target]?.isRetracted = true
            // A retracted correction no longer counts: its target's data is folded anew.
            if let entry = entries[retraction.target], case .eventCorrected(let correction) = entry.payload,
                let data = refolded(correction.target)
            {
                let corrected = correction.target
                let before = reportedObligation(of: corrected)
                entries[corrected]?.current = data
                let after = reportedObligation(of: corrected)
                if before != after {
                    if let before { reportsPerObligation[before, default: 0] -= 1 }
                    if let after { reportsPerObligation[after, default: 0] += 1 }
                }
            }
        case .eventCorrected(let correction):
            let before = reportedObligation(of: correction.target)
            entries[correction.target]?.corrections.append(event.id)
            if let entry = entries[correction.target] {
                entries[correction.target]?.current =
                    correctedTarget ?? entry.current.patched(by: correction.patch, type: entry.type)
            }
            if let before, let after = reportedObligation(of: correction.target), before != after {
                reportsPerObligation[before, default: 0] -= 1
                reportsPerObligation[after, default: 0] += 1
            }
        default:
            break
        }
    }

    /// The obligation a counted compliance report names now; nil for any other event.
    private func reportedObligation(of id: EventID) -> String? {
        guard let entry = entries[id], entry.type == .complianceReported, !entry.isRetracted else { return nil }
        switch entry.current {
        case .typed(.complianceReported(let report)): return report.obligation
        case .typed: return nil
        case .unreadable(let data):
            if case .string(let obligation)? = data["obligation"] { return obligation }
            return nil
        }
    }
}

/// An immutable value on the heap: one word where it is stored.
final class Boxed<Value: Sendable>: Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
