import PollingCore
import Synchronization

/// What the runner learns about job durations for one arm, from that arm's finished trials:
/// the injected knowledge of `learned` strategies (strategies themselves never do I/O).
///
/// A detected trial gives an exact duration: the server's `run_time` from the final response,
/// recovered as `done − anchor`. A trial without detection gives a right-censored one (the job
/// ran at least until the trial ended). The estimate is refreshed when the number of
/// observations has grown by a quarter since the last refresh (and at the minimum the strategy
/// needs), so a 100 000-trial simulation re-estimates about 40 times, not 100 000. The injected
/// estimate is the Turnbull / Kaplan–Meier estimate, coarsened to at most 200 atoms (so a large
/// history costs no more to optimise than a small one) and smoothed
/// (`DurationDistribution.smoothed()`), so the schedule does not overfit the observed durations.
struct ArmKnowledge: Sendable {
    private var estimator = DurationEstimator()
    private var estimatedAt = 0
    /// The arm's strategy configuration (a `learned` one).
    let configuration: StrategyConfiguration
    let job: JobParameters
    /// Observations below which no estimate is computed.
    let minimum: Int
    /// The strategy for the current estimate, built once per refresh (building a `learned`
    /// strategy computes an optimal schedule).
    private(set) var strategy: any PollingStrategy

    init(configuration: StrategyConfiguration, job: JobParameters, minimum: Int) throws {
        self.configuration = configuration
        self.job = job
        self.minimum = max(1, minimum)
        self.strategy = try configuration.makeStrategy(context: StrategyContext(job: job))
    }

    /// Adds the outcome of a finished trial.
    mutating func learn(from trial: TrialRecord) throws {
        guard let create = trial.calls.first, create.kind == .create, trial.calls.count > 1 else { return }
        let anchor = create.sentNanos / 2 + trial.startNanos / 2
        if let done = trial.doneNanos, trial.outcome.detected {
            estimator.add(.exact(Double(done - anchor) / 1e9))
        } else {
            estimator.add(.rightCensored(after: Double(trial.endNanos - anchor) / 1e9))
        }
        let count = estimator.count
        if count >= minimum, count == minimum || Double(count) >= Double(estimatedAt) * 1.25 {
            var estimate = estimator.estimate()
            estimate.distribution = estimate.distribution?.coarsened(maxAtoms: 200).smoothed()
            strategy = try configuration.makeStrategy(context: StrategyContext(job: job, estimate: estimate))
            estimatedAt = count
        }
    }
}

/// The knowledge of every arm of a live run, shared by its concurrent trials. Live runs learn
/// from trials in the order they *finish*, so, unlike simulations, they are order-dependent.
final class SharedKnowledge: Sendable {
    private let job: JobParameters
    private let fixed: [StrategyConfiguration]
    private let learning: Mutex<[ArmKnowledge?]>

    /// - Throws: what building a strategy throws (an invalid `optimal` distribution, say).
    init(_ experiment: Experiment) throws {
        job = experiment.job
        fixed = try experiment.arms.map { try $0.strategy.resolved(job: experiment.job) }
        learning = Mutex(try experiment.arms.map { arm in
            try arm.strategy.learningMinimum.map {
                try ArmKnowledge(configuration: arm.strategy, job: experiment.job, minimum: $0)
            }
        })
    }

    /// A fresh strategy for arm `index`'s next trial: for a learning arm, the one built for its
    /// current estimate.
    func strategy(arm index: Int) throws -> any PollingStrategy {
        if let learned = learning.withLock({ $0[index]?.strategy }) { return learned }
        return try fixed[index].makeStrategy(context: StrategyContext(job: job))
    }

    /// Adds a finished trial of arm `index`.
    func learn(arm index: Int, from trial: TrialRecord) throws {
        try learning.withLock { try $0[index]?.learn(from: trial) }
    }
}

extension StrategyConfiguration {
    /// For a `learned` arm, the observations it needs before its estimate is used; `nil` for
    /// arms that do not learn.
    var learningMinimum: Int? {
        if case .learned(let c) = self { return c.minimumObservations }
        return nil
    }
}
