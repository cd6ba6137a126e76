/// Learns the duration distribution from earlier trials and polls at its optimal schedule.
///
/// The estimate is injected (`DurationEstimate`, built by `DurationEstimator` from earlier
/// trials in trial order by the runner); the strategy does no I/O. With fewer than
/// `minimumObservations` observations (or no distribution) it explores with `exploration`
/// (default: exponential backoff from 0.1 s, ×2, capped at 0.5 s, no jitter, first poll at 0,
/// a small cap so that the interval-censored observations it yields stay short). Otherwise it
/// behaves exactly like `OptimalStrategy` for `OptimalSchedule(distribution: estimate, weights:)`
/// (with the `options` passed in; runs use a grid of `scheduleGridSize` candidates).
///
/// Bounds: those of `ExponentialStrategy` while exploring, those of `OptimalStrategy` after.
public struct LearnedStrategy: PollingStrategy, Hashable {
    /// Default number of observations needed before trusting the estimate: 10.
    public static let defaultMinimumObservations = 10

    /// Candidate grid of a learned schedule (`OptimalSchedule.Options.gridSize`): 150 instead of
    /// `optimal`'s 600. The refinement step moves every poll off the grid to its local optimum
    /// anyway, and an estimate from n observations is uncertain far beyond a 1/150 grid step: on
    /// lognormal (median 30 s, σ 0.5) estimates from 10 … 5 000 observations the two grids'
    /// schedules score within 1e-7 of each other, and the 150-point one costs 10–15 times less
    /// (measured in a debug build; `learned` recomputes its schedule as it learns).
    public static let scheduleGridSize = 150

    /// What the strategy does for this trial.
    public enum Mode: Sendable, Hashable {
        /// Too little data: exploring with a backoff.
        case exploring(ExponentialStrategy)
        /// Polling at the optimal schedule of the estimate.
        case optimal(OptimalStrategy)
    }

    /// The mode chosen at creation.
    public private(set) var mode: Mode

    /// The default exploring strategy: exponential backoff from 0.1 s, doubling, capped at 0.5 s.
    public static let defaultExploration = try! ExponentialStrategy(initial: 0.1, multiplier: 2, maxInterval: 0.5)  // valid constants

    /// - Parameters:
    ///   - estimate: the injected duration estimate.
    ///   - weights: score weights `(wi, wj)` to optimise.
    ///   - minimumObservations: observations needed to leave exploration, default 10.
    ///   - exploration: the exploring strategy, default described above.
    ///   - options: tuning of the schedule search.
    /// - Throws: `PollingCoreError.invalidField("weights", …)` for non-finite weights.
    public init(estimate: DurationEstimate, weights: OptimalSchedule.Weights,
                minimumObservations: Int = LearnedStrategy.defaultMinimumObservations,
                exploration: ExponentialStrategy = LearnedStrategy.defaultExploration,
                options: OptimalSchedule.Options = OptimalSchedule.Options()) throws {
        guard weights.hit.isFinite, weights.efficiency.isFinite else {
            throw PollingCoreError.invalidField("weights", "must be two finite numbers [wi, wj], got [\(weights.hit), \(weights.efficiency)]")
        }
        if let distribution = estimate.distribution, estimate.observationCount >= minimumObservations {
            let schedule = try OptimalSchedule(distribution: distribution, weights: weights, options: options)
            mode = .optimal(OptimalStrategy(schedule: schedule))
        } else {
            mode = .exploring(exploration)
        }
    }

    public mutating func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        switch mode {
        case .exploring(let s):
            return s.firstPoll(using: &rng)
        case .optimal(let s):
            return s.firstPoll(using: &rng)
        }
    }

    public mutating func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        switch mode {
        case .exploring(var s):
            let d = s.nextPoll(after: observation, using: &rng)
            mode = .exploring(s)
            return d
        case .optimal(let s):
            return s.nextPoll(after: observation, using: &rng)
        }
    }
}
