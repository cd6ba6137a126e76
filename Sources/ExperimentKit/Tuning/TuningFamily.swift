import Foundation
import PollingCore

/// A strategy family that `experiment tune` searches: its tunable parameters and how a point of
/// the search space becomes a `StrategyConfiguration`.
///
/// Ranges scale with the workload: `scale` is the duration's upper bound when it is finite, else
/// its 0.999-quantile (`TuningScale`). Time parameters range over `[scale / 1000, 2 · scale]` on a
/// log scale; initial delays over `[0, 1.2 · scale]` linearly (0 = poll at once); multipliers over
/// `[1, 4]`; relative jitter over `[0, 0.5]`. Parameters not tuned, and why:
/// - `seed`'s jitter stays `[1, 1]`: for a known duration distribution no random schedule beats
///   the best fixed one (DESIGN.md, theory), and the seed exposes no other jitter form;
/// - `aws.max_attempts`, `kubernetes.steps`: a limit only ever ends a trial undetected;
/// - `google-lro.timeout`: likewise; it stays at the experiment's `timeout` or api-core's 900 s.
public enum TuningFamily: String, Sendable, Hashable, CaseIterable {
    case exponential
    case constant
    case seed
    case grpc
    case aws
    case googleLRO = "google-lro"
    case smithy
    case kubernetes
    case azure

    /// One continuous parameter: its key in the experiment file and its range.
    public struct Parameter: Sendable, Hashable {
        /// The key as spelt in experiment files (e.g. `initial_delay`).
        public var key: String
        /// The range in natural units (seconds, or a factor).
        public var lower: Double
        public var upper: Double
        /// Searched on a log scale.
        public var logarithmic: Bool

        /// The value at cube coordinate `u ∈ [0, 1]`.
        public func value(at u: Double) -> Double {
            let u = min(1, max(0, u))
            return logarithmic ? lower * pow(upper / lower, u) : lower + (upper - lower) * u
        }
    }

    /// The continuous parameters, for a workload of time scale `scale` seconds.
    public func parameters(scale: Double) -> [Parameter] {
        let time = { (key: String) in Parameter(key: key, lower: scale / 1000, upper: 2 * scale, logarithmic: true) }
        let delay = { (key: String) in Parameter(key: key, lower: 0, upper: 1.2 * scale, logarithmic: false) }
        let factor = { (key: String) in Parameter(key: key, lower: 1, upper: 4, logarithmic: false) }
        let jitter = { (key: String) in Parameter(key: key, lower: 0, upper: 0.5, logarithmic: false) }
        switch self {
        case .exponential: return [time("initial"), factor("multiplier"), time("max_interval"), delay("initial_delay")]
        case .constant: return [time("interval"), delay("initial_delay")]
        case .seed: return [time("initial_interval"), time("max_interval"), time("duration_hint")]
        case .grpc: return [time("initial"), factor("multiplier"), jitter("jitter"), time("max_backoff"), delay("initial_delay")]
        case .aws: return [time("base"), time("cap"), delay("initial_delay")]
        case .googleLRO: return [time("initial"), factor("multiplier"), time("max_delay")]
        case .smithy: return [time("min_delay"), time("max_delay")]
        case .kubernetes: return [time("duration"), factor("factor"), jitter("jitter"), time("cap"), delay("initial_delay")]
        case .azure: return [time("interval"), delay("initial_delay")]
        }
    }

    /// The categorical choices (the exponential family's jitter kinds); `[""]` when none.
    public var choices: [String] {
        self == .exponential ? JitterKind.allCases.map(\.rawValue) : [""]
    }

    /// The configuration at `values` (natural units, in `parameters` order) and `choice`.
    /// Smithy's `max_delay` is raised to at least `min_delay`; `google-lro`'s `timeout` is the
    /// experiment's `timeout` (seconds, default 900).
    /// - Throws: `PollingCoreError.invalidField` when a value is outside the strategy's own
    ///   range (never for values inside `parameters(scale:)`).
    public func configuration(_ values: [Double], choice: String, timeout: Double?) throws -> StrategyConfiguration {
        let v = values
        switch self {
        case .exponential:
            return .exponential(try ExponentialStrategy(initial: v[0], multiplier: v[1], maxInterval: v[2],
                                                    jitter: JitterKind(rawValue: choice) ?? .none, initialDelay: v[3]))
        case .constant:
            return .constant(ConstantStrategy(interval: v[0], initialDelay: v[1]))
        case .seed:
            return .seed(SeedStrategy(initialInterval: v[0], maxInterval: v[1], jitter: 1...1, durationHint: v[2]))
        case .grpc:
            return .grpc(try GRPCBackoffStrategy(initial: v[0], multiplier: v[1], jitter: v[2], maxBackoff: v[3], initialDelay: v[4]))
        case .aws:
            return .aws(try AWSStandardRetryStrategy(base: v[0], cap: v[1], maxAttempts: nil, initialDelay: v[2]))
        case .googleLRO:
            return .googleLRO(try GoogleLROStrategy(initial: v[0], multiplier: v[1], maxDelay: v[2], timeout: timeout ?? 900))
        case .smithy:
            return .smithy(try SmithyWaiterStrategy(minDelay: v[0], maxDelay: max(v[0], v[1])))
        case .kubernetes:
            return .kubernetes(try KubernetesBackoffStrategy(duration: v[0], factor: v[1], jitter: v[2], steps: nil, cap: v[3],
                                                         initialDelay: v[4]))
        case .azure:
            return .azure(AzureLROStrategy(interval: v[0], initialDelay: v[1]))
        }
    }

    /// Parses a family name as given to `--family`.
    /// - Throws: `ExperimentError.invalidArgument` listing the known families.
    public static func named(_ name: String) throws -> TuningFamily {
        guard let family = TuningFamily(rawValue: name) else {
            throw ExperimentError.invalidArgument(
                "--family", "unknown family '\(name)' (use one of: \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return family
    }
}

/// The time scale of a workload, for the tuner's parameter ranges: the duration's upper bound
/// when finite and positive, else its 0.999-quantile, at least 1 ms.
public enum TuningScale {
    /// - Parameter distribution: the duration law.
    /// - Returns: seconds.
    public static func of(_ distribution: any DurationLaw) -> Double {
        let upper = distribution.support.upperBound
        if upper.isFinite, upper > 0 { return upper }
        return max(distribution.quantile(0.999), 1e-3)
    }
}
