/// Evaluates a polling strategy on a workload, for the tuner (`experiment tune`): the exact
/// expected per-trial score when the strategy's schedule is deterministic, and paired Monte Carlo
/// with common random numbers otherwise.
///
/// **Exact path.** With zero request latency and a strategy that draws nothing from its
/// generator (jitter off), the poll instants do not depend on the job: every poll before
/// detection sees `pending`. `fixedSchedule(_:)` drives the real `PollLoop` (so the deadline,
/// `.stop` and "never before the previous response" rules are the poller's own) against an
/// always-pending job and records the send instants; `OptimalSchedule.expectedScore` (the one
/// formula for the expected score of a fixed schedule) then integrates the duration
/// distribution over them. On unbounded support the schedule is cut where the tail mass
/// `1 − F(t)` falls below `tailMass` (default 1e-10) or after `maxExactPolls` polls; the mass
/// left after the cut counts as undetected (ER 1), so the exact value is a lower bound within
/// `wj · tail` of the truth.
///
/// **Monte Carlo path.** Trial `i` of every candidate polls the job seeded with
/// `SeedDerivation.jobSeed(runSeed: seed, trialIndex: i)` through `TrialSimulator` (the same
/// simulator as `experiment run --simulate`), with the strategy and network generators of
/// arm 0, trial `i`: every candidate sees the same jobs and the same random stream (common random
/// numbers), so differences between candidates are paired and far less noisy than their scores.
public struct ScheduleEvaluator: Sendable {
    /// The job model and the poller's settings.
    public struct Workload: Sendable {
        /// The job model trials draw from.
        public var job: JobParameters
        /// The exact duration law of `job` over sizes (`job.marginalDuration`: CDF, partial first
        /// moment, support), through which every duration model plugs in. Strategies that follow
        /// the per-job hint have no fixed schedule: they take the Monte Carlo path.
        public var distribution: any DurationLaw
        /// Deadline, request timeout and retry policy of the poll loop.
        public var loop: PollLoopConfiguration
        /// Simulated round trips; the exact path needs `.constant(0)`.
        public var latency: LatencyModel

        /// - Throws: `PollingCoreError.invalidField` when `job` is invalid.
        public init(job: JobParameters, loop: PollLoopConfiguration = PollLoopConfiguration(),
                    latency: LatencyModel = .constant(0)) throws {
            self.job = job
            try job.validate()
            self.distribution = job.marginalDuration
            self.loop = loop
            self.latency = latency
        }
    }

    /// What one candidate did on the common trials (Monte Carlo) or in expectation (exact).
    public struct Evaluation: Sendable, Hashable {
        /// The mean per-trial score at the evaluator's weights (exact expectation when `exact`).
        public var meanScore: Double
        /// Per-trial scores in trial order (empty for an exact evaluation).
        public var scores: [Double]
        /// Status calls per trial in trial order (empty for an exact evaluation).
        public var calls: [Int]
        /// Detection delay per trial in seconds, `+infinity` for an undetected trial (empty for
        /// an exact evaluation).
        public var delays: [Double]
        /// True when `meanScore` is the exact expectation.
        public var exact: Bool

        /// Mean status calls per trial (`nil` for an exact evaluation).
        public var meanCalls: Double? {
            calls.isEmpty ? nil : Double(calls.reduce(0, +)) / Double(calls.count)
        }
    }

    public let workload: Workload
    /// Score weights `(wi, wj)`.
    public let weights: OptimalSchedule.Weights
    /// Monte Carlo trials per candidate (common to all candidates).
    public let trials: Int
    /// The seed every job, strategy and network draw derives from.
    public let seed: UInt64
    /// Tail mass below which an exact schedule is cut. Default 1e-10.
    public var tailMass = 1e-10
    /// Most polls of an exact schedule. Default 200 000.
    public var maxExactPolls = 200_000

    /// - Parameters:
    ///   - workload: the job model and poller settings.
    ///   - weights: `(wi, wj)` of the per-trial score.
    ///   - trials: Monte Carlo trials per candidate (≥ 1).
    ///   - seed: the seed of the common random numbers.
    public init(workload: Workload, weights: OptimalSchedule.Weights, trials: Int, seed: UInt64) {
        self.workload = workload
        self.weights = weights
        self.trials = max(1, trials)
        self.seed = seed
    }

    /// True when `fixedSchedule` applies: zero latency.
    public var supportsExact: Bool { workload.latency == .constant(0) }

    /// The send instants (seconds from start) of a strategy whose schedule is fixed, against a
    /// job that stays pending, under the workload's poll-loop rules; cut as described in the
    /// type's documentation. `nil` when the latency is not zero or the schedule is random.
    ///
    /// A schedule counts as fixed when it is identical under a generator that always returns the
    /// lowest value and one that always returns the highest: every draw then had an empty range
    /// (jitter off, e.g. `[1, 1]` or `0`), whatever the strategy. The two runs also get different
    /// per-job hints (`accepted(_:)` with the workload's mean duration and twice it), so a
    /// strategy that follows the hint (`hint: job`, `duration_hint: job`) is not fixed.
    public func fixedSchedule<S: PollingStrategy>(_ strategy: S) -> [Double]? {
        guard supportsExact else { return nil }
        let mean = workload.job.meanDuration
        let hint = mean.isFinite && mean > 0 ? mean : 1
        let low = pendingSchedule(strategy, constant: 0, hint: hint)
        let high = pendingSchedule(strategy, constant: .max, hint: 2 * hint)
        return low == high ? low : nil
    }

    private func pendingSchedule<S: PollingStrategy>(_ strategy: S, constant: UInt64, hint: Double) -> [Double] {
        var rng = ConstantGenerator(value: constant)
        var hinted = strategy
        hinted.accepted(AcceptedJob(expectedDuration: hint))
        var loop = PollLoop(strategy: hinted, configuration: workload.loop)
        var offsets: [Double] = []
        let upper = workload.distribution.support.upperBound
        var action = loop.start(using: &rng)
        while case .send(let at, _, _) = action {
            let t = at.seconds
            offsets.append(t)
            if t >= upper || offsets.count >= maxExactPolls || 1 - workload.distribution.cdf(t) <= tailMass { break }
            action = loop.received(.status(.pending, httpStatus: 200, hint: nil), sent: at, received: at, using: &rng)
        }
        return offsets
    }

    /// The exact expected per-trial score of a fixed-schedule strategy (see the type's
    /// documentation), or `nil` when its schedule is not fixed or the latency is not zero.
    public func exactScore<S: PollingStrategy>(_ strategy: S) -> Double? {
        fixedSchedule(strategy).map {
            OptimalSchedule.expectedScore(schedule: $0, distribution: workload.distribution, weights: weights)
        }
    }

    /// Runs `trials` common trials of `strategy` in the simulator.
    /// - Parameter strategy: a fresh strategy; each trial starts from this value.
    public func sample(_ strategy: any PollingStrategy) -> Evaluation {
        let simulator = TrialSimulator(latency: workload.latency, configuration: workload.loop)
        var scores: [Double] = [], calls: [Int] = [], delays: [Double] = []
        scores.reserveCapacity(trials)
        calls.reserveCapacity(trials)
        delays.reserveCapacity(trials)
        for index in 0..<trials {
            var s = strategy
            var rng = SeededGenerator(seed: SeedDerivation.strategySeed(runSeed: seed, armIndex: 0, trialIndex: index))
            var network = SeededGenerator(seed: SeedDerivation.networkSeed(runSeed: seed, armIndex: 0, trialIndex: index))
            let record = simulator.run(arm: "tune", trialIndex: index,
                                       jobSeed: SeedDerivation.jobSeed(runSeed: seed, trialIndex: index),
                                       parameters: workload.job, strategy: &s, using: &rng, network: &network)
            let metrics = record.metrics
            // A simulated trial always has its ground truth (`TrialSimulator` knows `done`), so
            // its score is defined.
            guard let score = metrics.score(wi: weights.hit, wj: weights.efficiency) else {
                preconditionFailure("a simulated trial has no ground truth")
            }
            scores.append(score)
            calls.append(metrics.tries)
            delays.append(metrics.delay ?? .infinity)
        }
        let mean = scores.reduce(0, +) / Double(scores.count)
        return Evaluation(meanScore: mean, scores: scores, calls: calls, delays: delays, exact: false)
    }

    /// The exact evaluation when the schedule is fixed and `preferExact` is set, else Monte Carlo.
    public func evaluate(_ strategy: any PollingStrategy, preferExact: Bool = true) -> Evaluation {
        if preferExact, let score = exactScore(strategy) {
            return Evaluation(meanScore: score, scores: [], calls: [], delays: [], exact: true)
        }
        return sample(strategy)
    }
}

/// A generator that always returns the same value: with `0` every `uniform(a, b)` is `a`, with
/// `.max` it is (just below) `b`.
struct ConstantGenerator: RandomNumberGenerator {
    let value: UInt64

    mutating func next() -> UInt64 { value }
}
