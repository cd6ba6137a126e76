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

    /// - Parameters:
    ///   - job: the experiment's job model.
    ///   - estimate: the injected estimate, default none.
    public init(job: JobParameters = JobParameters(), estimate: DurationEstimate = .none) {
        self.job = job
        self.estimate = estimate
    }
}
