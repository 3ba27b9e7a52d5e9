/// The checks an event must pass against what the log already holds (contract section 1,
/// "Appending"): stream creation, `expected_version`, and references that must resolve.
public enum StreamRules {
    /// Checks `event` against `state`, the stream it is appended to.
    ///
    /// `standingActor` answers whether an `actor/…` stream exists and stands; it may throw
    /// if looking it up fails. For a correction, returns its target's data after it, decoded
    /// once here for `StreamState.apply(_:correctedTarget:)`.
    @discardableResult
    public static func check(
        _ event: Event, in state: StreamState, standingActor: (String) throws -> Bool
    ) throws -> EventContent? {
        precondition(state.isWhole || !StreamState.needsWholeStream(event), "a partial stream state for \(event.type)")
        let kind = event.streamKind
        if !state.exists {
            guard event.type == kind.creatingType else {
                throw EventValidationError(
                    field: "type",
                    reason:
                        "stream \(event.stream) does not exist yet: its first event must be \(kind.creatingType.rawValue)"
                )
            }
        } else if event.type.createsStream {
            throw EventValidationError(
                field: "type",
                reason: "stream \(event.stream) already exists: \(event.type.rawValue) happens once per stream")
        }
        if let expected = event.expectedVersion, expected != state.version {
            throw EventValidationError(
                field: "expected_version",
                reason: "conflict: stream \(event.stream) holds \(state.version) events, expected \(expected)",
                isConflict: true)
        }
        switch event.payload {
        case .eventRetracted(let retraction):
            try checkTarget(retraction.target, of: event, in: state)
        case .eventCorrected(let correction):
            try checkTarget(correction.target, of: event, in: state)
            guard let targetType = state.type(of: correction.target), !targetType.isAmendment else {
                throw EventValidationError(
                    field: "data.target", reason: "a retraction or correction cannot itself be corrected")
            }
            let current = state.currentData(of: correction.target)?.json ?? JSONObject()
            let patched = MergePatch.apply(.object(correction.patch), to: .object(current))
            guard case .object(let patchedData) = patched else {
                throw EventValidationError(
                    field: "data.patch", reason: "the patch must leave the target's data an object")
            }
            let payload = try EventPayload(type: targetType, data: patchedData, path: "data.patch")
            try checkReferences(payload, in: state, path: "data.patch", standingActor: standingActor)
            if case .resolutionAdopted(let resolution) = payload {
                try checkKeepsReportedObligations(resolution, in: state)
            }
            return .typed(payload)
        default:
            try checkReferences(event.payload, in: state, path: "data", standingActor: standingActor)
        }
        return nil
    }

    private static func checkTarget(_ target: EventID, of event: Event, in state: StreamState)
        throws(EventValidationError)
    {
        guard let targetType = state.type(of: target) else {
            throw EventValidationError(
                field: "data.target", reason: "no event \"\(target)\" in stream \(event.stream)")
        }
        if targetType == .eventRetracted {
            throw EventValidationError(field: "data.target", reason: "a retraction cannot be retracted or corrected")
        }
        if state.isRetracted(target) {
            throw EventValidationError(field: "data.target", reason: "event \"\(target)\" is already retracted")
        }
    }

    private static func checkReferences(
        _ payload: EventPayload, in state: StreamState, path: String, standingActor: (String) throws -> Bool
    ) throws {
        switch payload {
        case .attributionMade(let attribution):
            guard state.isStanding else {
                throw EventValidationError(
                    field: "stream",
                    reason: "the theft report of \(state.stream) was retracted: nothing can be attributed to it")
            }
            guard try standingActor(attribution.actor) else {
                throw EventValidationError(
                    field: "\(path).actor", reason: "no identified actor \(attribution.actor) in the log")
            }
        case .complianceReported(let report):
            let obligations = state.obligationIDs
            guard obligations.contains(report.obligation) else {
                let known = obligations.joined(separator: ", ")
                throw EventValidationError(
                    field: "\(path).obligation",
                    reason: "resolution \(state.stream) has no obligation \"\(report.obligation)\" (it has: \(known))")
            }
        case .designationAmended(let amendment):
            try checkActive(state)
            guard let standing = state.designationStanding else { break }
            for (index, identifier) in amendment.removeIdentifiers.enumerated() where !standing.carries(identifier) {
                throw EventValidationError(
                    field: "\(path).remove_identifiers[\(index)]",
                    reason: "designation \(state.stream) carries no identifier \(identifier.label)")
            }
            for (index, alias) in amendment.removeAliases.enumerated() where !standing.hasAlias(alias) {
                throw EventValidationError(
                    field: "\(path).remove_aliases[\(index)]",
                    reason: "designation \(state.stream) has no alias \"\(alias)\"")
            }
            for (index, alias) in amendment.removeWeakAliases.enumerated() where !standing.hasWeakAlias(alias) {
                throw EventValidationError(
                    field: "\(path).remove_weak_aliases[\(index)]",
                    reason: "designation \(state.stream) has no weak alias \"\(alias)\"")
            }
            for (index, name) in amendment.removeOriginalScriptNames.enumerated()
            where !standing.hasOriginalScriptName(name) {
                throw EventValidationError(
                    field: "\(path).remove_original_script_names[\(index)]",
                    reason: "designation \(state.stream) has no original-script name \"\(name)\"")
            }
        case .designationRemoved:
            try checkActive(state)
        default:
            break
        }
    }

    /// A correction of a resolution may not take away an obligation that counted compliance
    /// reports name: they would be left pointing at nothing.
    private static func checkKeepsReportedObligations(_ resolution: ResolutionAdopted, in state: StreamState)
        throws(EventValidationError)
    {
        let kept = Set(resolution.obligations.map(\.id))
        let orphaned = state.reportsPerObligation.filter { $0.value > 0 && !kept.contains($0.key) }
        guard let (obligation, reports) = orphaned.min(by: { $0.key < $1.key }) else { return }
        throw EventValidationError(
            field: "data.patch",
            reason: """
                would delete obligation "\(obligation)" of \(state.stream), which \(reports) compliance \
                report\(reports == 1 ? "" : "s") name: retract or correct them first
                """)
    }

    private static func checkActive(_ state: StreamState) throws(EventValidationError) {
        if let removal = state.removalID {
            throw EventValidationError(
                field: "stream", reason: "designation \(state.stream) is not active: removed by event \"\(removal)\"")
        }
        if !state.isStanding {
            throw EventValidationError(field: "stream", reason: "designation \(state.stream) was retracted")
        }
    }
}
