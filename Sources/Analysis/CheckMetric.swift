/// The closed list of metrics `analyze check` can gate on, each with its direction and the floor
/// of its relative threshold.
///
/// Means are compared with t intervals (paired or Welch), percentiles with a bootstrap. Every
/// metric is per arm; delays are over detected trials only (a timed-out trial has no delay).
public enum CheckMetric: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Mean per-trial score `wi·HR − wj·ER` (DESIGN.md "Metrics"); higher is better.
    case score
    /// Mean per-trial HR (1/tries for a detected trial, 0 otherwise); higher is better.
    case hr
    /// Mean status calls per trial; lower is better.
    case meanTries = "mean_tries"
    /// Mean detection delay of detected trials, seconds; lower is better.
    case meanDelay = "mean_delay_s"
    /// Median delay, seconds (Hyndman–Fan type 7); lower is better.
    case p50Delay = "p50_delay_s"
    /// 90th percentile of delay, seconds; lower is better.
    case p90Delay = "p90_delay_s"
    /// 99th percentile of delay, seconds; lower is better.
    case p99Delay = "p99_delay_s"
    /// Mean efficiency ratio (1 for a trial that was not detected); lower is better.
    case er = "mean_er"

    /// `true` when a larger value is better (score and HR).
    public var higherIsBetter: Bool { self == .score || self == .hr }

    /// The quantile of a percentile metric (0.5, 0.9, 0.99), `nil` for a mean.
    public var quantile: Double? {
        switch self {
        case .p50Delay: return 0.5
        case .p90Delay: return 0.9
        case .p99Delay: return 0.99
        default: return nil
        }
    }

    /// Whether the metric is computed from delays (detected trials only).
    public var usesDelay: Bool { self == .meanDelay || quantile != nil }

    /// The smallest |baseline| a relative threshold is taken against: a threshold `r` allows a
    /// change of `r · max(|baseline|, floor)`. Scores can be 0 or negative and HR, ER can be 0,
    /// so a pure relative rule would allow nothing there: the floor is 0.01 (a hundredth of the
    /// unit) for score, HR, ER and tries, and 1 ms for delays.
    public var relativeFloor: Double { usesDelay ? 0.001 : 0.01 }

    /// Orders as declared.
    public static func < (lhs: CheckMetric, rhs: CheckMetric) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
