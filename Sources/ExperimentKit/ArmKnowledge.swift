import PollingCore
import Synchronization

/// What the runner learns about job durations for one arm, from that arm's finished trials:
/// the injected knowledge of `learned` strategies (strategies themselves never do I/O).
///
/// A detected trial gives an exact duration: the server's `run_time` from the final response,
/// recovered as `done − anchor`. A trial without detection tells only that the job was still
/// pending when its *last pending poll* was sent (the server answered between send and
/// receive, so the send instant is the bound every answer guarantees): it is right-censored
/// there, `T > sent − anchor` (0 when no poll answered pending), not at the trial's end. Censoring
/// at the end (the deadline) would claim the job ran longer than anyone saw and bias the
/// estimate upward whenever trials time out.
///
/// **Refit rule.** The estimate and its schedule are rebuilt only at fixed observation counts
/// (`isRefitPoint`): the strategy's minimum `m` (default 10), then `2m`, `4m`, … (doubling) while
/// below 1 000, then every multiple of 1 000 — 10, 20, 40, 80, 160, 320, 640, 1 000, 2 000, … —
/// and between refits every trial uses the latest schedule (with a minimum of 1 000 or more, the
/// first refit is at the first multiple of 1 000 not below it). A 10 000-trial simulation refits
/// 17 times, a 100 000-trial one 107 times. The rule depends on the count alone, so simulations
/// stay deterministic. The injected estimate is the Kaplan–Meier estimate (Turnbull's, were there
/// interval observations), coarsened to at most 200 atoms (so a large history costs no more to
/// optimise than a small one) and smoothed (`DurationDistribution.smoothed()`), so the schedule
/// does not overfit the observed durations.
struct ArmKnowledge: Sendable {
    private var estimator = DurationEstimator()
    /// Observations behind the installed strategy.
    private var installedAt = 0
    /// The arm's strategy configuration (a `learned` one).
    let configuration: StrategyConfiguration
    let job: JobParameters
    /// The experiment's per-trial deadline in seconds, if any.
    let timeout: Double?
    /// Real seconds per workload second.
    let scale: Double
    /// Observations below which no estimate is computed.
    let minimum: Int
    /// The strategy for the current estimate, built once per refresh (building a `learned`
    /// strategy computes an optimal schedule).
    private(set) var strategy: any PollingStrategy

    init(configuration: StrategyConfiguration, job: JobParameters, timeout: Double?, scale: Double = 1, minimum: Int) throws {
        self.configuration = configuration
        self.scale = scale
        self.job = job
        self.timeout = timeout
        self.minimum = max(1, minimum)
        self.strategy = try configuration.makeStrategy(context: StrategyContext(job: job, timeout: timeout))
    }

    /// The observations so far (for tests).
    var observations: [DurationEstimator.Observation] { estimator.observations }

    /// What a finished trial tells about its job's duration (see the type's documentation).
    /// - Parameter scale: real seconds per workload second (the experiment's `time_scale`); the
    ///   observation is in workload seconds.
    static func observation(from trial: TrialRecord, scale: Double = 1) -> DurationEstimator.Observation? {
        guard let create = trial.calls.first, create.kind == .create, trial.calls.count > 1 else { return nil }
        let anchor = create.sentNanos / 2 + trial.startNanos / 2
        if let done = trial.doneNanos, trial.outcome.detected {
            return .exact(Double(done - anchor) / 1e9 / scale)
        }
        let lastPending = trial.calls.last { $0.kind == .status && $0.result == .pending }
        return .rightCensored(after: lastPending.map { Double($0.sentNanos - anchor) / 1e9 / scale } ?? 0)
    }

    /// The divisor of a trial's observation: with `hint: job`, the job's hint in workload
    /// seconds (the `expected_duration` its `202` carried: `answeredExpectedDuration` of the request
    /// the runner sent for its seed, the server's own computation), so the estimator learns
    /// `T / hint`; 1 otherwise.
    func hintDivisor(_ trial: TrialRecord) -> Double {
        guard configuration.usesJobHint,
              let hint = CreateJobRequest(job: job, seed: trial.jobSeed).answeredExpectedDuration, hint > 0 else { return 1 }
        return hint
    }

    /// Adds the outcome of a finished trial (cheap).
    /// - Returns: a copy of the estimator when a refresh is due: build its strategy with
    ///   `strategy(for:)` outside any lock and hand it to `install(_:observations:)`.
    mutating func record(_ trial: TrialRecord) -> DurationEstimator? {
        guard let observation = Self.observation(from: trial, scale: scale * hintDivisor(trial)) else { return nil }
        estimator.add(observation)
        guard Self.isRefitPoint(count: estimator.count, minimum: minimum) else { return nil }
        return estimator
    }

    /// Refits every this many observations once the doubling passes it.
    static let refitPeriod = 1_000

    /// True at the observation counts where the estimate is rebuilt (see the type's
    /// documentation): `minimum · 2^k` below `refitPeriod`, then every multiple of `refitPeriod`.
    static func isRefitPoint(count: Int, minimum: Int) -> Bool {
        guard count >= minimum else { return false }
        if count >= refitPeriod { return count % refitPeriod == 0 }
        guard count % minimum == 0 else { return false }
        let ratio = count / minimum
        return ratio & (ratio - 1) == 0
    }

    /// The strategy for an estimator snapshot (the expensive part: Turnbull's EM and an optimal
    /// schedule).
    func strategy(for snapshot: DurationEstimator) throws -> any PollingStrategy {
        var estimate = snapshot.estimate()
        estimate.distribution = estimate.distribution?.coarsened(maxAtoms: 200).smoothed()
        return try configuration.makeStrategy(context: StrategyContext(job: job, estimate: estimate, timeout: timeout))
    }

    /// Installs a strategy built from `observations` observations, unless a newer one is in place.
    mutating func install(_ built: any PollingStrategy, observations: Int) {
        guard observations > installedAt else { return }
        strategy = built
        installedAt = observations
    }

    /// Adds a finished trial and refreshes the strategy when due (single-threaded use).
    mutating func learn(from trial: TrialRecord) throws {
        if let snapshot = record(trial) { install(try strategy(for: snapshot), observations: snapshot.count) }
    }
}

/// The knowledge of every arm of a live run, shared by its concurrent trials. Live runs learn
/// from trials in the order they *finish*, so, unlike simulations, they are order-dependent.
final class SharedKnowledge: Sendable {
    private let job: JobParameters
    private let timeout: Double?
    private let timeScale: Double
    private let fixed: [StrategyConfiguration]
    private let learning: Mutex<[ArmKnowledge?]>

    /// - Throws: what building a strategy throws (an invalid `optimal` distribution, say).
    init(_ experiment: Experiment) throws {
        job = experiment.job
        timeout = experiment.timeout
        timeScale = experiment.timeScale
        fixed = try experiment.arms.map { try $0.strategy.resolved(job: experiment.job, timeout: experiment.timeout) }
        learning = Mutex(try experiment.arms.map { arm in
            try arm.strategy.learningMinimum.map {
                try ArmKnowledge(configuration: arm.strategy, job: experiment.job, timeout: experiment.timeout,
                                 scale: experiment.timeScale, minimum: $0)
            }
        })
    }

    /// A fresh strategy for arm `index`'s next trial: for a learning arm, the one built for its
    /// current estimate.
    /// Strategies think in workload time; with a `time_scale` they are wrapped in a
    /// `TimeScaledStrategy`.
    func strategy(arm index: Int) throws -> any PollingStrategy {
        let strategy = try learning.withLock({ $0[index]?.strategy })
            ?? fixed[index].makeStrategy(context: StrategyContext(job: job, timeout: timeout))
        return timeScale == 1 ? strategy : TimeScaledStrategy(strategy, scale: timeScale)
    }

    /// Adds a finished trial of arm `index`. The estimate and schedule are rebuilt outside the
    /// lock (live workers take it for every new trial), then installed unless a newer one won.
    func learn(arm index: Int, from trial: TrialRecord) throws {
        let due = learning.withLock { arms -> (ArmKnowledge, DurationEstimator)? in
            guard let knowledge = arms[index], let snapshot = arms[index]?.record(trial) else { return nil }
            return (knowledge, snapshot)
        }
        guard let (knowledge, snapshot) = due else { return }
        let built = try knowledge.strategy(for: snapshot)
        learning.withLock { $0[index]?.install(built, observations: snapshot.count) }
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
