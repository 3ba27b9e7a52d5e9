/// The canonical JSON (RFC 8785) of an event's `data`, written straight from its typed
/// payload: the bytes the log stores and the chain hashes. Validation refuses unknown
/// members, `null` and non-integer numbers, so the payload holds everything `data` said and
/// these bytes equal `CanonicalJSON` of the `data` as given (a test holds them to it for
/// every fixture, seed and random event).
extension EventPayload {
    /// Appends the canonical bytes of the event's `data` to `output`.
    public func writeCanonical(to output: inout [UInt8]) {
        var object = CanonicalObject(&output)
        switch self {
        case .resolutionAdopted(let resolution):
            object.string("body", resolution.body, to: &output)
            object.list("obligations", resolution.obligations, to: &output) { obligation, output in
                var member = CanonicalObject(&output)
                if let appliesTo = obligation.appliesTo { member.string("applies_to", appliesTo, to: &output) }
                if let deadline = obligation.deadline { member.string("deadline", deadline.description, to: &output) }
                member.string("id", obligation.id, to: &output)
                member.string("summary", obligation.summary, to: &output)
                member.close(&output)
            }
            object.string("symbol", resolution.symbol, to: &output)
            object.string("title", resolution.title, to: &output)
        case .statementIssued(let statement):
            object.strings("issuers", statement.issuers, to: &output)
            object.string("kind", statement.kind.rawValue, to: &output)
            object.strings("mentions", statement.mentions, to: &output)
            object.string("summary", statement.summary, to: &output)
        case .actorIdentified(let actor):
            object.strings("aliases", actor.aliases, to: &output)
            object.string("name", actor.name, to: &output)
            if let state = actor.sponsorState { object.string("sponsor_state", state, to: &output) }
        case .theftReported(let theft):
            object.integer("amount_usd", theft.amountUSD, to: &output)
            object.strings("assets", theft.assets, to: &output)
            object.strings("methods", theft.methods, to: &output)
            object.string("victim", theft.victim, to: &output)
            if let country = theft.victimCountry { object.string("victim_country", country, to: &output) }
        case .attributionMade(let attribution):
            object.string("actor", attribution.actor, to: &output)
            object.string("attributed_by", attribution.attributedBy, to: &output)
            object.string("confidence", attribution.confidence.rawValue, to: &output)
        case .figureReported(let figure):
            object.string("metric", figure.metric.rawValue, to: &output)
            object.string("period", figure.periodText, to: &output)
            object.string("subject", figure.subject, to: &output)
            object.integer("value", figure.value, to: &output)
        case .designationAdded(let added):
            object.strings("aliases", added.aliases, to: &output)
            object.string("entity", added.entity, to: &output)
            object.string("entity_type", added.entityType.rawValue, to: &output)
            object.identifiers("identifiers", added.identifiers, to: &output)
            object.string("list", added.list, to: &output)
            if let names = added.originalScriptNames { object.strings("original_script_names", names, to: &output) }
            if let program = added.program { object.string("program", program, to: &output) }
            if let aliases = added.weakAliases { object.strings("weak_aliases", aliases, to: &output) }
        case .designationAmended(let amended):
            if amended.given.contains(.addAliases) { object.strings("add_aliases", amended.addAliases, to: &output) }
            if amended.given.contains(.addIdentifiers) {
                object.identifiers("add_identifiers", amended.addIdentifiers, to: &output)
            }
            if amended.given.contains(.addOriginalScriptNames) {
                object.strings("add_original_script_names", amended.addOriginalScriptNames, to: &output)
            }
            if amended.given.contains(.addWeakAliases) {
                object.strings("add_weak_aliases", amended.addWeakAliases, to: &output)
            }
            if let entity = amended.entity { object.string("entity", entity, to: &output) }
            if let program = amended.program { object.string("program", program, to: &output) }
            if amended.given.contains(.removeAliases) {
                object.strings("remove_aliases", amended.removeAliases, to: &output)
            }
            if amended.given.contains(.removeIdentifiers) {
                object.identifiers("remove_identifiers", amended.removeIdentifiers, to: &output)
            }
            if amended.given.contains(.removeOriginalScriptNames) {
                object.strings("remove_original_script_names", amended.removeOriginalScriptNames, to: &output)
            }
            if amended.given.contains(.removeWeakAliases) {
                object.strings("remove_weak_aliases", amended.removeWeakAliases, to: &output)
            }
        case .designationRemoved(let removal):
            object.string("reason", removal.reason, to: &output)
        case .complianceReported(let report):
            object.string("obligation", report.obligation, to: &output)
            object.string("party", report.party, to: &output)
            object.string("status", report.status.rawValue, to: &output)
            object.string("summary", report.summary, to: &output)
        case .eventRetracted(let retraction):
            object.string("reason", retraction.reason, to: &output)
            object.string("target", retraction.target.text, to: &output)
        case .eventCorrected(let correction):
            object.key("patch", to: &output)
            CanonicalJSON.write(.object(correction.patch), to: &output)
            object.string("reason", correction.reason, to: &output)
            object.string("target", correction.target.text, to: &output)
        }
        object.close(&output)
    }

    /// The canonical bytes of the event's `data`.
    public var canonicalBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        writeCanonical(to: &bytes)
        return bytes
    }

    /// The event's `data` as a JSON object, for what works on JSON by the contract's rules:
    /// a correction's merge patch and `history`'s state. Read back from the canonical bytes,
    /// so it holds exactly what the log stores.
    public var json: JSONObject {
        let reader = StrictJSONReader(limits: JSONLimits(maxDepth: 64, maxStringBytes: .max))
        // Our own canonical bytes always read as an object.
        guard case .object(let object)? = try? reader.read(canonicalBytes) else { return JSONObject() }
        return object
    }
}

/// Writes one JSON object's members, given in JCS order (the callers' keys are ASCII and
/// written sorted), with the commas between them.
private struct CanonicalObject {
    private var isFirst = true

    init(_ output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
    }

    mutating func key(_ name: StaticString, to output: inout [UInt8]) {
        if !isFirst { output.append(UInt8(ascii: ",")) }
        isFirst = false
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func string(_ name: StaticString, _ value: String, to output: inout [UInt8]) {
        key(name, to: &output)
        CanonicalJSON.writeString(value, to: &output)
    }

    mutating func integer(_ name: StaticString, _ value: Int64, to output: inout [UInt8]) {
        key(name, to: &output)
        output.append(contentsOf: String(value).utf8)
    }

    mutating func strings(_ name: StaticString, _ values: [String], to output: inout [UInt8]) {
        list(name, values, to: &output) { value, output in CanonicalJSON.writeString(value, to: &output) }
    }

    mutating func identifiers(_ name: StaticString, _ values: [Identifier], to output: inout [UInt8]) {
        list(name, values, to: &output) { identifier, output in
            var member = CanonicalObject(&output)
            member.string("kind", identifier.kind.rawValue, to: &output)
            member.string("value", identifier.value, to: &output)
            member.close(&output)
        }
    }

    mutating func list<Element>(
        _ name: StaticString, _ values: [Element], to output: inout [UInt8],
        element: (Element, inout [UInt8]) -> Void
    ) {
        key(name, to: &output)
        output.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            element(value, &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    func close(_ output: inout [UInt8]) {
        output.append(UInt8(ascii: "}"))
    }
}
