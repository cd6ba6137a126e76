/// The parameters of a simulated job, as posted to `POST /jobs` and written in experiment files.
///
/// Seconds throughout. The duration model is either a `duration` object (`DurationSpec`, any
/// workload model) or, as before, `base_delay` / `var_delay` / `duration_model` (the seed's and
/// the symmetric uniform models); giving both is an error. Valid when the model's parameters are
/// and `successRate` is in [0, 1]; see `validate()`.
public struct JobParameters: Codable, Sendable, Hashable {
    /// Base duration in seconds (`x` in the seed). Default 1.5 (the seed's headline). Ignored
    /// when `duration` is set.
    public var baseDelay: Double
    /// Variation in seconds (`y` in the seed). Default 0.9. Ignored when `duration` is set.
    public var varDelay: Double
    /// Probability that the job ends `completed` rather than `error`. Default 0.8 (the seed's).
    public var successRate: Double
    /// How the duration is drawn from `baseDelay` and `varDelay`. Default `.seed`.
    public var durationModel: DurationModel
    /// The duration model as a `duration` object; `nil` = the legacy keys above. Default nil.
    public var duration: DurationSpec?
    /// The size model (`job.size` in experiment files), or `nil` for unsized jobs. Default nil.
    /// It does not travel in JSON: the runner sends each job's drawn size (`CreateJobRequest.size`).
    /// See `JobParameters+Size.swift`.
    public var sizeModel: DurationSpec?

    public init(baseDelay: Double = 1.5, varDelay: Double = 0.9, successRate: Double = 0.8,
                durationModel: DurationModel = .seed, duration: DurationSpec? = nil) {
        self.baseDelay = baseDelay
        self.varDelay = varDelay
        self.successRate = successRate
        self.durationModel = durationModel
        self.duration = duration
    }

    /// A job whose duration follows `duration` (times its size, when `size` is given).
    public init(duration: DurationSpec, successRate: Double = 0.8, size: DurationSpec? = nil) {
        self.init(baseDelay: 0, varDelay: 0, successRate: successRate, duration: duration)
        self.sizeModel = size
    }

    /// The duration model in force: `duration`, or the legacy model of the three old keys.
    public var durationSpec: DurationSpec {
        duration ?? DurationSpec(legacy: durationModel, base: baseDelay, variation: varDelay)
    }

    enum CodingKeys: String, CodingKey {
        case baseDelay = "base_delay", varDelay = "var_delay", successRate = "success_rate"
        case durationModel = "duration_model", duration
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = JobParameters()
        successRate = try c.decodeIfPresent(Double.self, forKey: .successRate) ?? defaults.successRate
        duration = try c.decodeIfPresent(DurationSpec.self, forKey: .duration)
        if duration != nil {
            for key in [CodingKeys.baseDelay, .varDelay, .durationModel] where c.contains(key) {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                    "give either a duration object or base_delay/var_delay/duration_model, not both")
            }
            baseDelay = 0
            varDelay = 0
            durationModel = .seed
        } else {
            baseDelay = try c.decode(Double.self, forKey: .baseDelay)
            varDelay = try c.decode(Double.self, forKey: .varDelay)
            durationModel = try c.decodeIfPresent(DurationModel.self, forKey: .durationModel) ?? defaults.durationModel
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(successRate, forKey: .successRate)
        if let duration {
            try c.encode(duration, forKey: .duration)
        } else {
            try c.encode(baseDelay, forKey: .baseDelay)
            try c.encode(varDelay, forKey: .varDelay)
            try c.encode(durationModel, forKey: .durationModel)
        }
    }

    /// The support of the duration in seconds (upper bound `+∞` for unbounded models).
    public var durationBounds: ClosedRange<Double> { durationSpec.support }

    /// What to send a job server for the job seeded with `seed`: these parameters, except that a
    /// model holding an `empirical` sample (which does not travel, its values live with the
    /// client) is replaced by the `fixed` duration this job draws. Because every model consumes
    /// exactly one draw (`DurationSpec.draw`), the server then draws the same outcome.
    /// The resolved job is unsized (its fixed duration already includes the size).
    public func resolvedForServer(seed: UInt64) -> JobParameters {
        guard let duration, duration.containsEmpirical else { return self }
        var resolved = self
        resolved.duration = .fixed(seconds: PlannedJob.draw(self, seed: seed).duration)
        resolved.sizeModel = nil
        return resolved
    }

    /// Checks every field.
    /// - Parameter sized: jobs carry a size (default: when there is a size model; `POST /jobs`
    ///   passes whether the request has `size`).
    /// - Throws: `PollingCoreError.invalidField` naming the first offending field
    ///   (`base_delay`, `var_delay`, `duration.sigma`, `size.shape`, `success_rate`, …) and the
    ///   rule it breaks.
    public func validate(sized: Bool? = nil) throws {
        if let duration {
            try duration.validate(field: "duration")
            try validateSizing(sized: sized ?? (sizeModel != nil))
        } else {
            for (name, value) in [("base_delay", baseDelay), ("var_delay", varDelay)] {
                guard value.isFinite, value >= 0 else {
                    throw PollingCoreError.invalidField(name, "must be a finite number of seconds >= 0, got \(value)")
                }
            }
        }
        guard successRate.isFinite, (0...1).contains(successRate) else {
            throw PollingCoreError.invalidField("success_rate", "must be a number in [0, 1], got \(successRate)")
        }
    }
}
