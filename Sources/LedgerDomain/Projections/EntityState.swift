/// An entity's state in a few words of JSON, as `ledger history` shows it after each event.
public enum EntityState {
    /// The state of a snapshot; `null` when the entity does not exist (yet, or any more).
    public static func describe(_ snapshot: EntitySnapshot?) -> JSONValue {
        guard let snapshot else { return .null }
        var state = snapshot.creation.content.json
        switch snapshot.kind {
        case .incident:
            let attributions: [JSONValue] = snapshot.events.compactMap { event in
                guard case .attributionMade(let attribution)? = event.payload else { return nil }
                return .object(
                    JSONObject([
                        "actor": .string(attribution.actor), "attributed_by": .string(attribution.attributedBy),
                        "confidence": .string(attribution.confidence.rawValue),
                        "known_on": .string(event.knownOn.description),
                    ]))
            }
            state["attributions"] = .array(attributions)
        case .resolution:
            var counts: [String: Int] = [:]
            for event in snapshot.events {
                if let key = complianceKey(of: event) { counts[key, default: 0] += 1 }
            }
            state["compliance_reports"] = complianceReports(counts)
        case .designation:
            if let view = DesignationView(snapshot) {
                state["entity"] = .string(view.entity)
                if let program = view.program { state["program"] = .string(program) }
                state["aliases"] = .array(view.aliases.map(JSONValue.string))
                if !view.weakAliases.isEmpty { state["weak_aliases"] = .array(view.weakAliases.map(JSONValue.string)) }
                if !view.originalScriptNames.isEmpty {
                    state["original_script_names"] = .array(view.originalScriptNames.map(JSONValue.string))
                }
                state["identifiers"] = .array(view.identifiers.map { .string($0.label) })
                state["active"] = .bool(view.removedOn == nil)
                state["removed_on"] = view.removedOn.map { .string($0.description) } ?? .null
            }
        case .actor, .statement, .figure:
            break
        }
        state["sources"] = .array(distinct(snapshot.events.map(\.publisher)).map(JSONValue.string))
        return .object(state)
    }

    /// What a compliance report adds to its resolution's state: "obligation status".
    static func complianceKey(of event: CountedEvent) -> String? {
        guard event.type == .complianceReported, case .complianceReported(let report)? = event.payload else {
            return nil
        }
        return "\(report.obligation) \(report.status.rawValue)"
    }

    /// A resolution's `compliance_reports` member, from the counts by key.
    static func complianceReports(_ counts: [String: Int]) -> JSONValue {
        .object(
            JSONObject(
                counts.keys.sorted().filter { counts[$0]! > 0 }.map {
                    JSONObject.Member(key: $0, value: .number(String(counts[$0]!)))
                }))
    }
}
