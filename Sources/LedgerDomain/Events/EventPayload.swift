/// The typed `data` of an event, one case per event type.
public enum EventPayload: Sendable, Equatable {
    case resolutionAdopted(ResolutionAdopted)
    case statementIssued(StatementIssued)
    case actorIdentified(ActorIdentified)
    case theftReported(TheftReported)
    case attributionMade(AttributionMade)
    case figureReported(FigureReported)
    case designationAdded(DesignationAdded)
    case designationAmended(DesignationAmended)
    case designationRemoved(DesignationRemoved)
    case complianceReported(ComplianceReported)
    case eventRetracted(EventRetracted)
    case eventCorrected(EventCorrected)

    /// Reads and validates `data` for an event of `type`; fields are named under `path`.
    public init(type: EventType, data: JSONObject, path: String = "data") throws(EventValidationError) {
        switch type {
        case .resolutionAdopted: self = .resolutionAdopted(try ResolutionAdopted(data, path: path))
        case .statementIssued: self = .statementIssued(try StatementIssued(data, path: path))
        case .actorIdentified: self = .actorIdentified(try ActorIdentified(data, path: path))
        case .theftReported: self = .theftReported(try TheftReported(data, path: path))
        case .attributionMade: self = .attributionMade(try AttributionMade(data, path: path))
        case .figureReported: self = .figureReported(try FigureReported(data, path: path))
        case .designationAdded: self = .designationAdded(try DesignationAdded(data, path: path))
        case .designationAmended: self = .designationAmended(try DesignationAmended(data, path: path))
        case .designationRemoved: self = .designationRemoved(try DesignationRemoved(data, path: path))
        case .complianceReported: self = .complianceReported(try ComplianceReported(data, path: path))
        case .eventRetracted: self = .eventRetracted(try EventRetracted(data, path: path))
        case .eventCorrected: self = .eventCorrected(try EventCorrected(data, path: path))
        }
    }
}
