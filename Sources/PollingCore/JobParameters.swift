/// The parameters of a simulated job, as posted to `POST /jobs` and written in experiment files.
///
/// Seconds throughout. Valid when both delays are finite and non-negative and
/// `successRate` is in [0, 1]; see `validate()`.
public struct JobParameters: Codable, Sendable, Hashable {
    /// Base duration in seconds (`x` in the seed). Default 1.5 (the seed's headline).
    public var baseDelay: Double
    /// Variation in seconds (`y` in the seed). Default 0.9.
    public var varDelay: Double
    /// Probability that the job ends `completed` rather than `error`. Default 0.8 (the seed's).
    public var successRate: Double
    /// How the duration is drawn from `baseDelay` and `varDelay`. Default `.seed`.
    public var durationModel: DurationModel

    public init(baseDelay: Double = 1.5, varDelay: Double = 0.9, successRate: Double = 0.8,
                durationModel: DurationModel = .seed) {
        self.baseDelay = baseDelay
        self.varDelay = varDelay
        self.successRate = successRate
        self.durationModel = durationModel
    }

    enum CodingKeys: String, CodingKey {
        case baseDelay = "base_delay", varDelay = "var_delay", successRate = "success_rate"
        case durationModel = "duration_model"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = JobParameters()
        baseDelay = try c.decode(Double.self, forKey: .baseDelay)
        varDelay = try c.decode(Double.self, forKey: .varDelay)
        successRate = try c.decodeIfPresent(Double.self, forKey: .successRate) ?? defaults.successRate
        durationModel = try c.decodeIfPresent(DurationModel.self, forKey: .durationModel) ?? defaults.durationModel
    }

    /// The support of the duration in seconds.
    public var durationBounds: ClosedRange<Double> {
        durationModel.bounds(base: baseDelay, variation: varDelay)
    }

    /// Checks every field.
    /// - Throws: `PollingCoreError.invalidField` naming the first offending field
    ///   (`base_delay`, `var_delay`, `success_rate`) and the rule it breaks.
    public func validate() throws {
        for (name, value) in [("base_delay", baseDelay), ("var_delay", varDelay)] {
            guard value.isFinite, value >= 0 else {
                throw PollingCoreError.invalidField(name, "must be a finite number of seconds >= 0, got \(value)")
            }
        }
        guard successRate.isFinite, (0...1).contains(successRate) else {
            throw PollingCoreError.invalidField("success_rate", "must be a number in [0, 1], got \(successRate)")
        }
    }
}
