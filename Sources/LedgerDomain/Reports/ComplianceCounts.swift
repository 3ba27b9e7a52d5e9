/// How many counted compliance reports a resolution has, per obligation and status, as of a
/// day: what the obligations report shows. The reference meaning is `counted(in:)` over the
/// resolution's snapshot; a source may hand over the same counts kept ready (`EntitySource`).
public typealias ComplianceCounts = [String: [ComplianceStatus: Int64]]

extension Dictionary where Key == String, Value == [ComplianceStatus: Int64] {
    /// The counts of the compliance reports counted in `snapshot`.
    public static func counted(in snapshot: EntitySnapshot) -> ComplianceCounts {
        var counts: ComplianceCounts = [:]
        for event in snapshot.events where event.type == .complianceReported {
            if case .complianceReported(let report)? = event.payload {
                counts[report.obligation, default: [:]][report.status, default: 0] += 1
            }
        }
        return counts
    }
}
