import PollingCore

/// Where an `optimal` arm takes its duration distribution from.
public enum DistributionSource: Sendable, Hashable {
    /// The experiment's job model (`StrategyContext.job`), the default.
    case jobModel
    /// A fixed distribution given in the file (`distribution:` key).
    case fixed(DurationDistribution)
}

/// An `optimal` arm: weights, a distribution source, an optional fallback interval, and the
/// schedule once resolved (`StrategyConfiguration.resolved(job:)` computes it once per arm).
public struct OptimalConfiguration: Sendable, Hashable {
    /// Score weights `(wi, wj)` to optimise. File default `[1, 1]`.
    public var weights: OptimalSchedule.Weights
    /// The distribution the schedule is optimal for. File default: the job model.
    public var distribution: DistributionSource
    /// Seconds between polls after the schedule; `nil` = `OptimalStrategy`'s default.
    public var fallbackInterval: Double?
    /// `hint: job`: the schedule is optimal for the law of `T / expected_duration`
    /// (`JobParameters.hintNormalisedDuration`) and each job's hint scales it (exact for scale
    /// families, see there). The unit schedule ignores the deadline (it differs from job to
    /// job in hint units); the poller still stops at it. File default false (hint-blind: optimal
    /// for the marginal law of `T`, `JobParameters.marginalDuration`).
    public var usesJobHint: Bool
    /// The precomputed schedule (offsets in seconds, or in hint units with `usesJobHint`), or
    /// `nil` until resolved.
    public var offsets: [Double]?

    public init(weights: OptimalSchedule.Weights, distribution: DistributionSource = .jobModel,
                fallbackInterval: Double? = nil, usesJobHint: Bool = false, offsets: [Double]? = nil) {
        self.weights = weights
        self.distribution = distribution
        self.fallbackInterval = fallbackInterval
        self.usesJobHint = usesJobHint
        self.offsets = offsets
    }

    /// The schedule's offsets for `job` (the precomputed ones when resolved); in units of the
    /// job's hint with `usesJobHint`.
    /// - Parameters:
    ///   - job: the job model (used unless the arm gives its own `distribution`).
    ///   - timeout: the per-trial deadline in seconds, if any (see `OptimalSchedule.Options.deadline`).
    /// - Throws: `PollingCoreError` when the distribution cannot be built (or, with a hint, the
    ///   mean duration is not finite).
    public func schedule(job: JobParameters, timeout: Double? = nil) throws -> [Double] {
        if let offsets { return offsets }
        try job.validate()
        if usesJobHint {
            guard job.durationSpec.mean.isFinite else {
                throw PollingCoreError.invalidField("hint", "needs a duration model with a finite mean (expected_duration is infinite)")
            }
            return try OptimalSchedule(distribution: job.hintNormalisedDuration, weights: weights).offsets
        }
        let options = OptimalSchedule.Options(deadline: timeout)
        switch distribution {
        case .jobModel: return try OptimalSchedule(distribution: job.marginalDuration, weights: weights, options: options).offsets
        case .fixed(let fixed): return try OptimalSchedule(distribution: fixed, weights: weights, options: options).offsets
        }
    }
}

/// A `learned` arm: weights and the number of observations needed before leaving exploration.
public struct LearnedConfiguration: Sendable, Hashable {
    /// Score weights `(wi, wj)` to optimise. File default `[1, 1]`.
    public var weights: OptimalSchedule.Weights
    /// Observations needed before polling optimally. File default 10.
    public var minimumObservations: Int
    /// `hint: job`: learn the law of `T / expected_duration` (each observation divided by its
    /// job's hint) and scale the schedule by each job's hint; the schedule then ignores the
    /// deadline (see `OptimalConfiguration.usesJobHint`). File default false.
    public var usesJobHint: Bool

    public init(weights: OptimalSchedule.Weights, minimumObservations: Int = LearnedStrategy.defaultMinimumObservations,
                usesJobHint: Bool = false) {
        self.weights = weights
        self.minimumObservations = minimumObservations
        self.usesJobHint = usesJobHint
    }
}

extension FieldReader {
    /// `weights: [wi, wj]`, finite, default `[1, 1]`.
    func weights(_ key: String) throws -> OptimalSchedule.Weights {
        let pair = try numberPair(key, default: (1, 1))
        return OptimalSchedule.Weights(hit: pair.0, efficiency: pair.1)
    }

    /// `hint: none | job` (default none): whether the arm uses each job's `expected_duration`.
    func jobHint(_ key: String) throws -> Bool {
        switch try optionalString(key) ?? "none" {
        case "none": return false
        case "job": return true
        case let other: throw invalid(key, "must be none or job (job = scale by each job's expected_duration), got '\(other)'")
        }
    }

    /// A list of finite numbers of seconds ≥ 0.
    func secondsList(_ key: String) throws -> [Double] {
        let node = try node(key)
        guard node.sequence != nil, !node.array().isEmpty else {
            throw invalid(key, "must be a non-empty list of durations in seconds like [1.6, 2.0, 2.3]")
        }
        return try node.array().map { item in
            guard item.scalar != nil, let v = item.float, v.isFinite, v >= 0 else {
                throw invalid(key, "must hold only finite numbers of seconds >= 0, got '\(item.string ?? "a collection")'")
            }
            return v
        }
    }

    /// `distribution: {kind: uniform, lower: L, upper: U}` or `{kind: empirical, durations: [...]}`;
    /// absent = the job model.
    func distributionSource(_ key: String) throws -> DistributionSource {
        guard value(key) != nil else { return .jobModel }
        let fields = try mapping(key)
        switch try fields.string("kind") {
        case "uniform":
            try fields.allow(["kind", "lower", "upper"])
            let lower = try fields.seconds("lower"), upper = try fields.seconds("upper")
            guard upper >= lower else { throw fields.invalid("upper", "must be >= lower (\(lower)), got \(upper)") }
            return .fixed(try DurationDistribution.uniform(lower, upper))
        case "empirical":
            try fields.allow(["kind", "durations"])
            return .fixed(try DurationDistribution.empirical(try fields.secondsList("durations")))
        case let other:
            throw fields.invalid("kind", "unknown distribution kind '\(other)' (use one of: uniform, empirical; omit `distribution` for the job model)")
        }
    }
}
