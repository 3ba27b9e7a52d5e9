import LedgerDomain

/// Keeps the stored views (`streams`, `versions`, the screening index) up to date as events
/// come, in `seq` order: the one writer behind `append`, `replay` and `verify`, so that they
/// cannot disagree. Its statements are prepared once and reused for every event.
///
/// An event that is neither a correction nor a retraction has, when it arrives, exactly one
/// version (`EventTimeline.currentVersions` of an event nothing targets yet): valid from its
/// `known_on`, open in both times, with its own data. It is written directly, with no read of
/// the views and no copy of its data. Only a correction or retraction reads and changes the
/// open versions of what it targets, through `EventTimeline.step`.
final class ViewProjector {
    let versions: VersionTable
    let streams: StreamTable
    let screening: ScreeningIndex
    let tallies: IncidentTallyTable
    let compliance: ComplianceCountTable
    let figures: FigureTable
    /// Stream keys by name, a bounded cache in front of `streams`.
    private var keys: [String: StreamKey] = [:]
    static let cachedKeys = 50_000
    /// Streams read ahead that have no key yet (`lookAhead`): their first event makes one
    /// without reading again.
    private var keyless: Set<String> = []

    init(database: any SQLDatabase) {
        versions = VersionTable(database: database)
        streams = StreamTable(database: database)
        screening = ScreeningIndex(database: database)
        tallies = IncidentTallyTable(database: database)
        compliance = ComplianceCountTable(database: database)
        figures = FigureTable(database: database)
    }

    /// Resets every kept statement (before COMMIT).
    func reset() {
        versions.reset()
        streams.reset()
        screening.reset()
        tallies.reset()
        compliance.reset()
        figures.reset()
    }

    /// Writes what the projector held back for the end of a batch (before COMMIT).
    func finish() throws {
        try screening.flush()
        try tallies.flush()
        try compliance.flush()
        reset()
    }

    /// The key of `stream`; for its first event (`occurredOn` given), a new key.
    func key(of stream: String, creatingOn occurredOn: Day? = nil) throws -> StreamKey? {
        if let key = keys[stream] { return key }
        var key = keyless.remove(stream) != nil ? nil : try streams.find(stream)
        if key == nil, let occurredOn {
            let created = try streams.insert(stream, occurredOn: occurredOn)
            if created.kind == .designation { screening.created(created.id) }
            tallies.noteCreation(of: created)
            key = created
        }
        if let key {
            if keys.count >= Self.cachedKeys { keys.removeAll(keepingCapacity: true) }
            keys[stream] = key
        }
        return key
    }

    /// Reads the keys of `names` at once, so that the events to come find them without a read
    /// each (on a server, a round trip each).
    func lookAhead(_ names: [String]) throws {
        let missing = names.filter { keys[$0] == nil }
        keyless.removeAll(keepingCapacity: true)
        guard !missing.isEmpty else { return }
        if keys.count + missing.count >= Self.cachedKeys { keys.removeAll(keepingCapacity: true) }
        var found: Set<String> = []
        try streams.findAll(missing) { name, key in
            keys[name] = key
            found.insert(name)
        }
        for name in missing where !found.contains(name) { keyless.insert(name) }
    }

    /// Writes the one version of an event that corrects and retracts nothing, at its own `seq`.
    func addUntouched(
        seq: Int64, type: EventType, occurredOn: Day, knownOn: Day, publisher: String, payload: EventPayload,
        stream: StreamKey
    ) throws {
        let content = EventContent.typed(payload)
        let row = VersionRow(
            seq: seq, fromSeq: seq, fromDay: ViewCodes.code(knownOn), toDay: Schema.openDay,
            toSeq: Schema.openSeq, stream: stream, type: type, amount: EventVersion.amount(of: type, content: content),
            actorID: try actorID(EventVersion.actor(of: type, content: content)), data: nil)
        try versions.insert(row)
        if stream.kind == .designation {
            try screening.add(
                payload, occurredOn: occurredOn, streamID: stream.id,
                bounds: .untouched(seq: seq, knownOn: row.fromDay))
        }
        tallies.noteChange(of: stream, at: seq, adding: row)
        if tallies.isFlushDue { try tallies.flush() }
        if case .figureReported(let figure) = payload {
            try figures.insert(
                figure, knownOn: knownOn, publisher: publisher, seq: seq, fromSeq: seq, fromDay: row.fromDay,
                toDay: row.toDay, toSeq: row.toSeq, sortDay: stream.sortDay)
        }
        if case .complianceReported(let report) = payload {
            compliance.add(report, stream: stream.id, fromDay: ViewCodes.code(knownOn), toDay: Schema.openDay, sign: 1)
            if compliance.isFlushDue { try compliance.flush() }
        }
    }

    /// Brings the versions up to date with the last event of `history`, a correction or a
    /// retraction at `seq`: closes the open versions it ends and writes those it opens.
    func applyChange(history: StreamHistory, stream: String, key: StreamKey, at seq: Int64) throws {
        // Flushed before the change is noted, never between the note and the change: a flush
        // there would take the incident as it stood before the change, forget that it changed,
        // and the change below would never reach the tallies.
        if tallies.isFlushDue { try tallies.flush() }
        tallies.noteChange(of: key, at: seq)
        var open: [OpenVersion] = []
        // The change itself (at `seq`) has no versions yet: only this call writes a change's
        // versions, below. Its targets' are read (on a server, a round trip each).
        for event in EventTimeline.affected(by: history) where event.seq != seq {
            open.append(contentsOf: try versions.openVersions(ofEventAt: event.seq))
        }
        let change =
            EventTimeline.correctionStep(open: open, after: history, stream: stream)
            ?? EventTimeline.step(open: open, after: history, stream: stream)
        for version in change.closed {
            try versions.close(version, at: seq)
            if key.kind == .figure { try figures.close(version, at: seq) }
            if key.kind == .designation { try screening.closeTerms(of: version, streamID: key.id, at: seq) }
            if key.kind == .resolution { try uncount(version, of: history, stream: key) }
        }
        var logData: [Int64: String] = [:]
        for version in change.opened {
            let event = version.event
            let original =
                try logData[event.seq]
                ?? {
                    guard let logged = history.event(id: event.id) else {
                        throw LedgerStoreError.corruptView(stream: stream)
                    }
                    let json = String(decoding: logged.event.payload.canonicalBytes, as: UTF8.self)
                    logData[event.seq] = json
                    return json
                }()
            let bounds = VersionBounds(
                seq: event.seq, fromSeq: version.fromSeq, fromDay: ViewCodes.code(version.fromDate),
                toDay: version.toDate.map(ViewCodes.code) ?? Schema.openDay, toSeq: version.toSeq ?? Schema.openSeq)
            try versions.insert(
                VersionRow(
                    seq: event.seq, fromSeq: bounds.fromSeq, fromDay: bounds.fromDay, toDay: bounds.toDay,
                    toSeq: bounds.toSeq, stream: key, type: event.type, amount: version.amount,
                    actorID: try actorID(version.actor), data: version.dataJSON == original ? nil : version.dataJSON))
            if key.kind == .designation, let payload = event.payload {
                try screening.add(payload, occurredOn: event.occurredOn, streamID: key.id, bounds: bounds)
            }
            if key.kind == .figure, event.type == .figureReported, case .figureReported(let figure)? = event.payload {
                try figures.insert(
                    figure, knownOn: event.knownOn, publisher: event.publisher, seq: event.seq,
                    fromSeq: version.fromSeq, fromDay: ViewCodes.code(version.fromDate),
                    toDay: version.toDate.map(ViewCodes.code) ?? Schema.openDay, toSeq: version.toSeq ?? Schema.openSeq,
                    sortDay: key.sortDay)
            }
            if version.toSeq == nil, case .complianceReported(let report)? = event.payload {
                compliance.add(
                    report, stream: key.id, fromDay: ViewCodes.code(version.fromDate),
                    toDay: version.toDate.map(ViewCodes.code) ?? Schema.openDay, sign: 1)
            }
        }
    }

    /// Takes back the count of a compliance report's version that `applyChange` closes.
    private func uncount(_ version: OpenVersion, of history: StreamHistory, stream: StreamKey) throws {
        guard let event = history.events.last(where: { $0.seq == version.content.seq }),
            event.event.type == .complianceReported
        else { return }
        let reader = StrictJSONReader(limits: JSONLimits(maxDepth: 64, maxStringBytes: .max))
        guard case .object(let data)? = try? reader.read(version.content.dataJSON),
            case .complianceReported(let report) = try EventPayload(type: .complianceReported, data: data)
        else { throw LedgerStoreError.corruptView(stream: event.event.stream.text) }
        compliance.add(
            report, stream: stream.id, fromDay: ViewCodes.code(version.content.fromDate),
            toDay: version.content.toDate.map(ViewCodes.code) ?? Schema.openDay, sign: -1)
    }

    private func actorID(_ actor: String?) throws -> Int64? {
        guard let actor else { return nil }
        guard let key = try key(of: actor) else { throw LedgerStoreError.corruptView(stream: actor) }
        return key.id
    }
}
