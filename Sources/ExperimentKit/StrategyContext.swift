import PollingCore

/// What a strategy configuration may need, besides its own parameters, to build a strategy for
/// one trial: the experiment's job model (the default duration distribution of `optimal`) and
/// the injected duration estimate (for `learned`, built by the runner from earlier trials in
/// trial order). A value: strategies never do I/O.
public struct StrategyContext: Sendable, Hashable {
    /// The experiment's job model. Default `JobParameters()` (the seed's headline model).
    public var job: JobParameters
    /// The duration estimate from earlier trials. Default `.none` (no observations).
    public var estimate: DurationEstimate
    /// The experiment's per-trial deadline in seconds (`timeout`), which `optimal` and `learned`
    /// schedules account for (no poll after it; later jobs score as time-outs). Default nil.
    public var timeout: Double?

    /// - Parameters:
    ///   - job: the experiment's job model.
    ///   - estimate: the injected estimate, default none.
    ///   - timeout: the per-trial deadline in seconds, default none.
    public init(job: JobParameters = JobParameters(), estimate: DurationEstimate = .none, timeout: Double? = nil) {
        self.job = job
        self.estimate = estimate
        self.timeout = timeout
    }
}
