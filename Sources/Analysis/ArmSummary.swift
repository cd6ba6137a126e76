/// The per-arm line of a run summary (DESIGN.md "Metrics").
///
/// Rates are fractions in [0, 1]; delays are seconds as `Double`, over detected trials only.
/// A value is `nil` when it is undefined (no trials, no detected trial, no status call).
public struct ArmSummary: Sendable, Hashable, Encodable {
    /// `arm.arm_index`, the arm's position in the experiment file.
    public var armIndex: Int
    /// `arm.name`.
    public var name: String
    /// `arm.strategy`, the strategy kind.
    public var strategy: String
    /// Trials recorded.
    public var trials: Int
    /// Trials whose job completed and was detected.
    public var completed: Int
    /// Trials whose job ended in `error` and was detected.
    public var errored: Int
    /// Trials that hit the deadline without detection.
    public var timedOut: Int
    /// Trials that failed (transport or server errors) without detection.
    public var failed: Int
    /// Mean number of status calls per trial.
    public var meanTries: Double?
    /// Aggregate HR = detected trials / all status calls of all trials.
    public var aggregateHitRate: Double?
    /// Per-trial HR = mean over trials of `1/n` (0 for an undetected trial).
    public var perTrialHitRate: Double?
    /// Mean detection delay in seconds over detected trials.
    public var meanDelay: Double?
    /// Median detection delay in seconds (Hyndman–Fan type 7).
    public var p50Delay: Double?
    /// 90th percentile of the detection delay in seconds (Hyndman–Fan type 7).
    public var p90Delay: Double?
    /// 99th percentile of the detection delay in seconds (Hyndman–Fan type 7).
    public var p99Delay: Double?
    /// Mean efficiency ratio over all trials (1 for an undetected trial).
    public var meanEfficiencyRatio: Double?
    /// The score at the report's weights and kind.
    public var score: Double?
    /// Detected trials without ground truth (no acceptable `run_time`, error code
    /// `no_ground_truth`): they count in the outcomes, tries and HR, but have no delay or ER, so
    /// `meanDelay`, the percentiles, `meanEfficiencyRatio` and the score leave them out.
    public var noGroundTruth: Int
    /// Half-width of the 95 % Student t confidence interval of `meanTries`.
    public var meanTriesCI: Double?
    /// Half-width of the 95 % confidence interval of `perTrialHitRate`.
    public var perTrialHitRateCI: Double?
    /// Half-width of the 95 % confidence interval of `meanDelay` (seconds).
    public var meanDelayCI: Double?
    /// Half-width of the 95 % confidence interval of `meanEfficiencyRatio`.
    public var meanEfficiencyRatioCI: Double?
    /// Half-width of the 95 % confidence interval of the per-trial score; `nil` for the seed
    /// kind (a ratio of sums, not a mean of per-trial values).
    public var scoreCI: Double?
    /// Median lateness of the arm's status calls in milliseconds (`PollingCore.CallLateness`:
    /// `sent − max(asked, previous receive)`; Hyndman–Fan type 7); `nil` without asked instants.
    public var p50LatenessMs: Double?
    /// 99th percentile of the lateness in milliseconds (as `p50LatenessMs`).
    public var p99LatenessMs: Double?

    /// Creates an arm line (tests and renderers; `SummaryReport.load` reads it from SQL).
    public init(
        armIndex: Int, name: String, strategy: String, trials: Int,
        completed: Int, errored: Int, timedOut: Int, failed: Int,
        meanTries: Double?, aggregateHitRate: Double?, perTrialHitRate: Double?,
        meanDelay: Double?, p50Delay: Double?, p90Delay: Double?, p99Delay: Double?,
        meanEfficiencyRatio: Double?, score: Double?, noGroundTruth: Int = 0,
        meanTriesCI: Double? = nil, perTrialHitRateCI: Double? = nil, meanDelayCI: Double? = nil,
        meanEfficiencyRatioCI: Double? = nil, scoreCI: Double? = nil,
        p50LatenessMs: Double? = nil, p99LatenessMs: Double? = nil
    ) {
        self.p50LatenessMs = p50LatenessMs
        self.p99LatenessMs = p99LatenessMs
        self.armIndex = armIndex
        self.name = name
        self.strategy = strategy
        self.trials = trials
        self.completed = completed
        self.errored = errored
        self.timedOut = timedOut
        self.failed = failed
        self.meanTries = meanTries
        self.aggregateHitRate = aggregateHitRate
        self.perTrialHitRate = perTrialHitRate
        self.meanDelay = meanDelay
        self.p50Delay = p50Delay
        self.p90Delay = p90Delay
        self.p99Delay = p99Delay
        self.meanEfficiencyRatio = meanEfficiencyRatio
        self.score = score
        self.noGroundTruth = noGroundTruth
        self.meanTriesCI = meanTriesCI
        self.perTrialHitRateCI = perTrialHitRateCI
        self.meanDelayCI = meanDelayCI
        self.meanEfficiencyRatioCI = meanEfficiencyRatioCI
        self.scoreCI = scoreCI
    }

    enum CodingKeys: String, CodingKey {
        case armIndex = "arm_index", name = "arm", strategy, trials, completed
        case errored = "error", timedOut = "timed_out", failed
        case meanTries = "mean_tries", aggregateHitRate = "aggregate_hr"
        case perTrialHitRate = "per_trial_hr", meanDelay = "mean_delay_s"
        case p50Delay = "p50_delay_s", p90Delay = "p90_delay_s", p99Delay = "p99_delay_s"
        case meanEfficiencyRatio = "mean_er", score
        case meanTriesCI = "mean_tries_ci95", perTrialHitRateCI = "per_trial_hr_ci95"
        case meanDelayCI = "mean_delay_s_ci95", meanEfficiencyRatioCI = "mean_er_ci95", scoreCI = "score_ci95"
        case noGroundTruth = "no_ground_truth"
        case p50LatenessMs = "p50_lateness_ms", p99LatenessMs = "p99_lateness_ms"
    }

    /// Encodes every key, `null` for undefined values, so that the JSON shape never varies.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(armIndex, forKey: .armIndex)
        try c.encode(name, forKey: .name)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(trials, forKey: .trials)
        try c.encode(completed, forKey: .completed)
        try c.encode(errored, forKey: .errored)
        try c.encode(timedOut, forKey: .timedOut)
        try c.encode(failed, forKey: .failed)
        try c.encode(meanTries, forKey: .meanTries)
        try c.encode(aggregateHitRate, forKey: .aggregateHitRate)
        try c.encode(perTrialHitRate, forKey: .perTrialHitRate)
        try c.encode(meanDelay, forKey: .meanDelay)
        try c.encode(p50Delay, forKey: .p50Delay)
        try c.encode(p90Delay, forKey: .p90Delay)
        try c.encode(p99Delay, forKey: .p99Delay)
        try c.encode(meanEfficiencyRatio, forKey: .meanEfficiencyRatio)
        try c.encode(score, forKey: .score)
        try c.encode(meanTriesCI, forKey: .meanTriesCI)
        try c.encode(perTrialHitRateCI, forKey: .perTrialHitRateCI)
        try c.encode(meanDelayCI, forKey: .meanDelayCI)
        try c.encode(meanEfficiencyRatioCI, forKey: .meanEfficiencyRatioCI)
        try c.encode(scoreCI, forKey: .scoreCI)
        try c.encode(noGroundTruth, forKey: .noGroundTruth)
        try c.encode(p50LatenessMs, forKey: .p50LatenessMs)
        try c.encode(p99LatenessMs, forKey: .p99LatenessMs)
    }
}
