import PollingCore

/// One arm's strategy as written in an experiment file: a `strategy` kind plus its parameters,
/// each with a documented default. Unknown keys are rejected (a typo must not silently fall
/// back to a default).
///
/// Kinds (seconds throughout):
/// - `constant`: `interval` (default 0.5), `initial_delay` (0).
/// - `exponential`: `initial` (0.1), `multiplier` (2), `max_interval` (3),
///   `jitter` (`none` | `full` | `equal` | `decorrelated`, default `none`), `initial_delay` (0).
/// - `seed`: `initial_interval` (0.1), `max_interval` (3), `jitter` ([a, b], default [1, 1]),
///   `duration_hint` (none; seconds, or `job` for each job's `expected_duration`).
/// - `grpc`: `initial` (1), `multiplier` (1.6), `jitter` (0.2), `max_backoff` (120), `initial_delay` (0).
/// - `aws`: `base` (1), `cap` (20), `max_attempts` (none), `initial_delay` (0).
/// - `google-lro`: `initial` (1), `multiplier` (1.5), `max_delay` (20), `timeout` (900).
/// - `smithy`: `min_delay` (2), `max_delay` (120).
/// - `kubernetes`: `duration` (1), `factor` (2), `jitter` (0.1), `steps` (none), `cap` (60), `initial_delay` (0).
/// - `azure`: `interval` (30), `initial_delay` (none = `interval`).
/// - `hinted`: `interval` (1), `min_interval` (0.05), `max_interval` (30), `initial_delay` (0).
/// - `long-poll`: `wait` (20), `error_delay` (1).
/// - `sse`: `wait` (60): server-sent events, one subscription per status call.
/// - `webhook`: `wait` (30), `fallback_interval` (0.5): a callback, polling after `wait` without one.
/// - `progress`: `initial` (1), `multiplier` (2), `min_interval` (0.05), `max_interval` (30);
///   needs `server: {progress: true}` (`ProgressStrategy`).
/// - `optimal`: `weights` ([wi, wj], default [1, 1]), `distribution` (default: the experiment's
///   job model; or `{kind: uniform, lower, upper}` / `{kind: empirical, durations: [...]}`),
///   `fallback_interval` (default: the schedule's last gap), `hint` (`none` default, or `job`:
///   the unit schedule of `T / expected_duration`, scaled by each job's hint).
/// - `learned`: `weights` ([1, 1]), `min_observations` (10), `hint` (`none` or `job`: learn
///   `T / expected_duration` and scale by each job's hint).
/// Each preset's defaults and source are documented on its `PollingCore` type.
public enum StrategyConfiguration: Sendable, Hashable {
    case constant(ConstantStrategy)
    case exponential(ExponentialStrategy)
    case seed(SeedStrategy)
    case grpc(GRPCBackoffStrategy)
    case aws(AWSStandardRetryStrategy)
    case googleLRO(GoogleLROStrategy)
    case smithy(SmithyWaiterStrategy)
    case kubernetes(KubernetesBackoffStrategy)
    case azure(AzureLROStrategy)
    case hinted(HintedStrategy)
    case longPoll(LongPollStrategy)
    case sse(SSEStrategy)
    case webhook(WebhookStrategy)
    case progress(ProgressStrategy)
    case optimal(OptimalConfiguration)
    case learned(LearnedConfiguration)

    /// Keys every arm has besides its strategy parameters.
    static let armKeys = ["name", "strategy", "cancel_at_deadline", "retry"]

    /// Every strategy kind, as spelt in files.
    public static let kinds = ["constant", "exponential", "seed", "grpc", "aws", "google-lro", "smithy",
                               "kubernetes", "azure", "hinted", "long-poll", "sse", "webhook", "progress", "optimal", "learned"]

    /// The kind, as spelt in files.
    public var kind: String {
        switch self {
        case .constant: return "constant"
        case .exponential: return "exponential"
        case .seed: return "seed"
        case .grpc: return "grpc"
        case .aws: return "aws"
        case .googleLRO: return "google-lro"
        case .smithy: return "smithy"
        case .kubernetes: return "kubernetes"
        case .azure: return "azure"
        case .hinted: return "hinted"
        case .longPoll: return "long-poll"
        case .sse: return "sse"
        case .webhook: return "webhook"
        case .progress: return "progress"
        case .optimal: return "optimal"
        case .learned: return "learned"
        }
    }

    /// True for kinds whose strategy depends on the `StrategyContext` (`optimal` without a
    /// precomputed schedule, `learned`).
    public var needsContext: Bool {
        switch self {
        case .optimal(let c): return c.offsets == nil
        case .learned: return true
        default: return false
        }
    }

    /// A fresh strategy for one trial.
    ///
    /// `optimal` uses the precomputed schedule when resolved (`resolved(job:)`), else computes it
    /// from `context.job` (or the arm's own `distribution`) on every call; `learned` uses
    /// `context.estimate`.
    /// - Parameter context: the job model and the injected estimate.
    /// - Throws: `PollingCoreError` when a schedule cannot be computed (invalid job model).
    public func makeStrategy(context: StrategyContext) throws -> any PollingStrategy {
        switch self {
        case .optimal(let c):
            let optimal = OptimalStrategy(offsets: try c.schedule(job: context.job, timeout: context.timeout), fallbackInterval: c.fallbackInterval)
            return c.usesJobHint ? Self.hintScaled(optimal, job: context.job) : optimal
        case .learned(let c):
            let learned = try LearnedStrategy(estimate: context.estimate, weights: c.weights, minimumObservations: c.minimumObservations,
                                              options: OptimalSchedule.Options(gridSize: LearnedStrategy.scheduleGridSize,
                                                                               deadline: c.usesJobHint ? nil : context.timeout))
            return c.usesJobHint ? Self.hintScaled(learned, job: context.job) : learned
        default:
            return makeStrategy()
        }
    }

    /// `unit` (a strategy in units of the job's hint) scaled by each job's `expected_duration`;
    /// a job without a hint is scaled by the workload's mean duration.
    static func hintScaled(_ unit: any PollingStrategy, job: JobParameters) -> any PollingStrategy {
        let mean = job.meanDuration
        return TimeScaledStrategy(unit, scale: mean.isFinite && mean > 0 ? mean : 1, followsJobHint: true)
    }

    /// True for arms that use each job's hint (`hint: job`, `duration_hint: job`).
    public var usesJobHint: Bool {
        switch self {
        case .optimal(let c): return c.usesJobHint
        case .learned(let c): return c.usesJobHint
        case .seed(let s): return s.usesJobHint
        default: return false
        }
    }

    /// A fresh strategy for one trial, without context.
    ///
    /// Exact for every kind for which `needsContext` is false. For the others it stands in the
    /// default context (`StrategyContext()`: the seed's headline job model, no estimate, so
    /// `learned` explores); use `makeStrategy(context:)` for them.
    public func makeStrategy() -> any PollingStrategy {
        switch self {
        case .constant(let s): return s
        case .exponential(let s): return s
        case .seed(let s): return s
        case .grpc(let s): return s
        case .aws(let s): return s
        case .googleLRO(let s): return s
        case .smithy(let s): return s
        case .kubernetes(let s): return s
        case .azure(let s): return s
        case .hinted(let s): return s
        case .longPoll(let s): return s
        case .sse(let s): return s
        case .webhook(let s): return s
        case .progress(let s): return s
        case .optimal(let c):
            let offsets = (try? c.schedule(job: JobParameters())) ?? []
            return OptimalStrategy(offsets: offsets, fallbackInterval: c.fallbackInterval)
        case .learned(let c):
            let exploring = try? LearnedStrategy(estimate: .none, weights: c.weights, minimumObservations: c.minimumObservations)
            return exploring ?? LearnedStrategy.defaultExploration
        }
    }

    /// This configuration with an `optimal` arm's schedule computed for `job` (once per arm,
    /// instead of once per trial); other kinds are returned unchanged.
    /// - Throws: `PollingCoreError` when the job model is invalid.
    public func resolved(job: JobParameters, timeout: Double? = nil) throws -> StrategyConfiguration {
        guard case .optimal(var c) = self, c.offsets == nil else { return self }
        c.offsets = try c.schedule(job: job, timeout: timeout)
        return .optimal(c)
    }

    /// The parameters as a JSON object with sorted keys (stored in `arm.parameters`).
    public var parametersJSON: String {
        let pairs = parameterPairs
        return "{" + pairs.sorted { $0.0 < $1.0 }.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    static func json(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func json(_ value: Double?) -> String { value.map { json($0) } ?? "null" }
}

extension StrategyConfiguration {
    /// Builds a configuration from the keys of one arm (the `name` key excluded).
    /// - Throws: `ExperimentError.invalidField` naming the key path (e.g. `arms[1].jitter`).
    static func parse(_ fields: FieldReader) throws -> StrategyConfiguration {
        let kind = try fields.string("strategy")
        switch kind {
        case "constant":
            try fields.allow(armKeys + ["interval", "initial_delay"])
            let s = ConstantStrategy(interval: try fields.seconds("interval", default: 0.5, positive: true),
                                     initialDelay: try fields.seconds("initial_delay", default: 0))
            return .constant(s)
        case "exponential":
            try fields.allow(armKeys + ["initial", "multiplier", "max_interval", "jitter", "initial_delay"])
            let initial = try fields.seconds("initial", default: 0.1, positive: true)
            let maxInterval = try fields.seconds("max_interval", default: 3, positive: true)
            let multiplier = try fields.multiplier("multiplier", default: 2)
            let jitterName = try fields.optionalString("jitter") ?? "none"
            guard let jitter = JitterKind(rawValue: jitterName) else {
                throw fields.invalid("jitter", "unknown jitter '\(jitterName)' (use one of: \(JitterKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let initialDelay = try fields.seconds("initial_delay", default: 0)
            return .exponential(try fields.checked {
                try ExponentialStrategy(initial: initial, multiplier: multiplier, maxInterval: maxInterval,
                                        jitter: jitter, initialDelay: initialDelay)
            })
        case "seed":
            try fields.allow(armKeys + ["initial_interval", "max_interval", "jitter", "duration_hint"])
            let jitter = try fields.numberPair("jitter", default: (1, 1))
            guard jitter.0 >= 0, jitter.0 <= jitter.1 else {
                throw fields.invalid("jitter", "must be [a, b] with 0 <= a <= b, got [\(jitter.0), \(jitter.1)]")
            }
            let perJob = fields.value("duration_hint")?.string == "job"
            let hint = perJob ? nil : try fields.optionalSeconds("duration_hint")
            return .seed(SeedStrategy(initialInterval: try fields.seconds("initial_interval", default: 0.1, positive: true),
                                      maxInterval: try fields.seconds("max_interval", default: 3, positive: true),
                                      jitter: jitter.0...jitter.1, durationHint: hint, usesJobHint: perJob))
        case "optimal":
            try fields.allow(armKeys + ["weights", "distribution", "fallback_interval", "hint"])
            let configuration = OptimalConfiguration(weights: try fields.weights("weights"),
                                                     distribution: try fields.distributionSource("distribution"),
                                                     fallbackInterval: try fields.optionalSeconds("fallback_interval"),
                                                     usesJobHint: try fields.jobHint("hint"))
            if configuration.usesJobHint, configuration.distribution != .jobModel {
                throw fields.invalid("hint", "hint: job scales the job model's unit schedule; remove 'distribution' or the hint")
            }
            return .optimal(configuration)
        case "learned":
            try fields.allow(armKeys + ["weights", "min_observations", "hint"])
            return .learned(LearnedConfiguration(
                weights: try fields.weights("weights"),
                minimumObservations: try fields.integer("min_observations", default: LearnedStrategy.defaultMinimumObservations,
                                                        range: 1...1_000_000_000),
                usesJobHint: try fields.jobHint("hint")))
        default:
            if let preset = try parsePreset(kind, fields) { return preset }
            throw fields.invalid("strategy", "unknown strategy '\(kind)' (use one of: \(kinds.joined(separator: ", ")))")
        }
    }
}
