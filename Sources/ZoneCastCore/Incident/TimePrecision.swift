/// How precisely a source knows when an incident happened. Models that need a time within the interval spread
/// the incident over it rather than pretending it happened at its start (see METHODS.md on the point process).
public enum TimePrecision: String, Hashable, Sendable, Codable, CaseIterable {
    /// To the minute or better.
    case exact
    /// The hour is known, the minute is not.
    case hour
    /// Only the date is known.
    case day

    /// Length of the interval the true time lies in, in seconds.
    public var intervalSeconds: Int64 {
        switch self {
        case .exact: 60
        case .hour: 3_600
        case .day: 86_400
        }
    }

    /// The coarser of two precisions, for merging rows of one incident.
    public func coarsest(_ other: TimePrecision) -> TimePrecision {
        intervalSeconds >= other.intervalSeconds ? self : other
    }
}
