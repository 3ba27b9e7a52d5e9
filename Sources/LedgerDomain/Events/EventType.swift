/// The kind of entity a stream is about: the part of a stream name before the `/`.
public enum StreamKind: String, Sendable, CaseIterable {
    case resolution, statement, actor, incident, figure, designation

    /// The event type that creates a stream of this kind, once, as its first event.
    public var creatingType: EventType {
        switch self {
        case .resolution: .resolutionAdopted
        case .statement: .statementIssued
        case .actor: .actorIdentified
        case .incident: .theftReported
        case .figure: .figureReported
        case .designation: .designationAdded
        }
    }
}

/// The twelve event types of the contract (section 2).
public enum EventType: String, Sendable, CaseIterable {
    case resolutionAdopted = "resolution.adopted"
    case statementIssued = "statement.issued"
    case actorIdentified = "actor.identified"
    case theftReported = "theft.reported"
    case attributionMade = "attribution.made"
    case figureReported = "figure.reported"
    case designationAdded = "designation.added"
    case designationAmended = "designation.amended"
    case designationRemoved = "designation.removed"
    case complianceReported = "compliance.reported"
    case eventRetracted = "event.retracted"
    case eventCorrected = "event.corrected"

    /// The stream kind this type must be appended to; nil for retractions and corrections,
    /// which go to whatever stream their target is in.
    public var streamKind: StreamKind? {
        switch self {
        case .resolutionAdopted, .complianceReported: .resolution
        case .statementIssued: .statement
        case .actorIdentified: .actor
        case .theftReported, .attributionMade: .incident
        case .figureReported: .figure
        case .designationAdded, .designationAmended, .designationRemoved: .designation
        case .eventRetracted, .eventCorrected: nil
        }
    }

    /// Whether this type creates its stream.
    public var createsStream: Bool {
        StreamKind.allCases.contains { $0.creatingType == self }
    }

    /// Whether this type mends another event (a retraction or a correction).
    public var isAmendment: Bool {
        self == .eventRetracted || self == .eventCorrected
    }
}
