/// A job-duration model with its parameters (DESIGN.md, "Workloads"): what experiment files
/// write under `job.duration` and `POST /jobs` takes as `duration`.
///
/// Seconds throughout; `T` is one job's duration.
///
/// | model | definition |
/// | --- | --- |
/// | `seed(base, variation)` | `base + U(0, var)` (the seed's code) |
/// | `symmetric(base, variation)` | `max(0, base + U(−var, var))` |
/// | `lognormal(median, sigma)` | `ln T ~ Normal(ln median, sigma²)` |
/// | `gamma(shape k, scale θ)` | density ∝ `t^(k−1) e^(−t/θ)`, mean `kθ` |
/// | `weibull(shape k, scale λ)` | `F(t) = 1 − exp(−(t/λ)^k)` |
/// | `exponential(mean)` | `F(t) = 1 − exp(−t/mean)` |
/// | `lomax(shape α, scale λ)` | Pareto type II, `F(t) = 1 − (1 + t/λ)^(−α)` |
/// | `mixture` | one component drawn by weight, then its duration |
/// | `parts` | `count` independent part durations, summed (`sum`) or maximised (`max`) |
/// | `empirical` | one value of a sample drawn uniformly (already multiplied by its scale) |
/// | `fixed(seconds)` | always `seconds`: how a client sends a duration it resolved itself |
///
/// **API for strategies and tools** (all exact, no sampling):
/// - `draw(using:)`: one duration; consumes exactly one 64-bit draw of the generator passed in
///   (models that need more randomness seed a private `SeededGenerator` from that draw), so the
///   job's later draws (its outcome) line up whatever the model. `PlannedJob.draw` is the one
///   drawing function the server and the simulator share.
/// - `cdf(_:)` = `P(T ≤ t)`, `partialMoment(_:)` = `E[T; T ≤ t]` (closed forms; `parts` with
///   `max` by adaptive Gauss–Legendre quadrature, relative error ≤ 1e-12), `mean`, `quantile(_:)`,
///   `support` (upper bound `+∞` for unbounded models). They make `DurationSpec` a `DurationLaw`,
///   so `OptimalSchedule(distribution:weights:)` takes it directly.
/// - `validate()` checks every parameter and names the offending field (`duration.sigma`, …).
public indirect enum DurationSpec: Sendable, Hashable {
    case seed(base: Double, variation: Double)
    case symmetric(base: Double, variation: Double)
    case lognormal(median: Double, sigma: Double)
    case gamma(shape: Double, scale: Double)
    case weibull(shape: Double, scale: Double)
    case exponential(mean: Double)
    case lomax(shape: Double, scale: Double)
    case mixture([Component])
    case parts(Parts)
    case empirical(EmpiricalSample)
    case fixed(seconds: Double)

    /// One weighted component of a mixture; weights need not sum to 1 (they are normalised).
    public struct Component: Sendable, Hashable {
        /// Relative weight, finite and ≥ 0.
        public var weight: Double
        public var model: DurationSpec
        public init(weight: Double, model: DurationSpec) {
            self.weight = weight
            self.model = model
        }
    }

    /// A job split into `count` independent parts, each drawn from `part`.
    public struct Parts: Sendable, Hashable {
        /// How part durations combine.
        public enum Combine: String, Sendable, Hashable, CaseIterable {
            /// Sequential parts: `T = Σ parts`.
            case sum
            /// Parallel parts: `T = max parts`.
            case max
        }
        /// Number of parts, 1 … `Parts.maximumCount` (with `partSize`, the count of a job
        /// without a size; a sized job's count is `Parts.count(size:partSize:)`).
        public var count: Int
        public var combine: Combine
        public var part: DurationSpec
        /// `part_size`: the size one part covers (same unit as the job's size, > 0), or `nil`.
        /// When set, a sized job has `ceil(size / partSize)` parts instead of `count` (see
        /// `JobParameters.duration(size:)`); only allowed on the top-level model of a sized job.
        public var partSize: Double?

        public init(count: Int, combine: Combine, part: DurationSpec, partSize: Double? = nil) {
            self.count = count
            self.combine = combine
            self.part = part
            self.partSize = partSize
        }

        /// The number of parts of a job of size `size`: `ceil(size / partSize)`, clamped to
        /// `1 … maximumCount` (a size of 0 still makes one part; a size beyond 64 parts makes 64).
        /// The one function that maps sizes to part counts (server, simulator, hints, progress).
        public static func count(size: Double, partSize: Double) -> Int {
            let raw = (size / partSize).rounded(.up)
            guard raw.isFinite else { return raw > 0 ? maximumCount : 1 }
            return Int(min(Double(maximumCount), max(1, raw)))
        }

        /// The largest part count: 64 (the Irwin–Hall sum of uniform parts stays exact to about
        /// 1e-12 absolute up to there).
        public static let maximumCount = 64
    }

    /// The model's name as written in experiment files and JSON (`model: lognormal`).
    public var name: String {
        switch self {
        case .seed: "seed"
        case .symmetric: "symmetric"
        case .lognormal: "lognormal"
        case .gamma: "gamma"
        case .weibull: "weibull"
        case .exponential: "exponential"
        case .lomax: "lomax"
        case .mixture: "mixture"
        case .parts: "parts"
        case .empirical: "empirical"
        case .fixed: "fixed"
        }
    }

    /// Every model name, for error messages.
    public static let modelNames = ["seed", "symmetric", "lognormal", "gamma", "weibull", "exponential",
                                    "lomax", "mixture", "parts", "empirical", "fixed"]

    /// The legacy model of `base_delay`, `var_delay` and `duration_model`.
    public init(legacy model: DurationModel, base: Double, variation: Double) {
        switch model {
        case .seed: self = .seed(base: base, variation: variation)
        case .symmetric: self = .symmetric(base: base, variation: variation)
        }
    }

    /// True when the model (or a component or part of it) is `empirical`: such a model cannot
    /// travel to a job server, the client resolves the draw (see `JobParameters.resolvedForServer`).
    public var containsEmpirical: Bool {
        switch self {
        case .empirical: true
        case .mixture(let components): components.contains { $0.model.containsEmpirical }
        case .parts(let p): p.part.containsEmpirical
        default: false
        }
    }

    /// Checks every parameter.
    /// - Parameter field: the key path of this model in messages, e.g. `duration`.
    /// - Throws: `PollingCoreError.invalidField` naming the offending field
    ///   (e.g. `duration.sigma`, `duration.components[1].weight`) and the rule it breaks.
    public func validate(field: String = "duration") throws {
        func positive(_ key: String, _ v: Double) throws {
            guard v.isFinite, v > 0 else {
                throw PollingCoreError.invalidField("\(field).\(key)", "must be a finite number > 0, got \(v)")
            }
        }
        func nonNegative(_ key: String, _ v: Double) throws {
            guard v.isFinite, v >= 0 else {
                throw PollingCoreError.invalidField("\(field).\(key)", "must be a finite number >= 0, got \(v)")
            }
        }
        switch self {
        case .seed(let b, let v), .symmetric(let b, let v):
            try nonNegative("base", b)
            try nonNegative("var", v)
        case .lognormal(let m, let s):
            try positive("median", m)
            try positive("sigma", s)
        case .gamma(let k, let t), .weibull(let k, let t), .lomax(let k, let t):
            try positive("shape", k)
            try positive("scale", t)
        case .exponential(let m):
            try positive("mean", m)
        case .fixed(let s):
            try nonNegative("seconds", s)
        case .mixture(let components):
            guard !components.isEmpty else {
                throw PollingCoreError.invalidField("\(field).components", "must be a non-empty list of {weight, model, …}")
            }
            var total = 0.0
            for (i, c) in components.enumerated() {
                try nonNegative("components[\(i)].weight", c.weight)
                try c.model.validate(field: "\(field).components[\(i)]")
                total += c.weight
            }
            guard total > 0, total.isFinite else {
                throw PollingCoreError.invalidField("\(field).components", "weights must sum to a positive finite number, got \(total)")
            }
        case .parts(let p):
            guard (1...Parts.maximumCount).contains(p.count) else {
                throw PollingCoreError.invalidField("\(field).count", "must be a whole number in 1...\(Parts.maximumCount), got \(p.count)")
            }
            try p.part.validate(field: "\(field).part")
            if let size = p.partSize {
                try positive("part_size", size)
            }
            if p.combine == .sum, p.sumLaw == nil {
                throw PollingCoreError.invalidField("\(field).combine",
                    "sum needs a part model with an exact sum law: seed, symmetric with var <= base, exponential or gamma (use combine: max, or a mixture)")
            }
        case .empirical(let sample):
            guard !sample.values.isEmpty else {
                throw PollingCoreError.invalidField("\(field).file", "the sample is empty")
            }
        }
    }

    /// `E[T]` in seconds (`+∞` for a Lomax with shape ≤ 1).
    public var mean: Double {
        switch self {
        case .seed(let b, let v): return b + v / 2
        case .symmetric: return partialMoment(.infinity)
        case .lognormal(let m, let s): return m * exp(s * s / 2)
        case .gamma(let k, let t): return k * t
        case .weibull(let k, let l): return l * SpecialFunctions.gamma(1 + 1 / k)
        case .exponential(let m): return m
        case .lomax(let a, let l): return a > 1 ? l / (a - 1) : .infinity
        case .mixture(let cs):
            let total = cs.reduce(0) { $0 + $1.weight }
            return cs.reduce(0) { $0 + ($1.weight > 0 ? $1.weight * $1.model.mean : 0) } / total
        case .parts(let p):
            if p.combine == .sum { return Double(p.count) * p.part.mean }
            return partialMoment(.infinity)
        case .empirical(let s): return s.mean
        case .fixed(let s): return s
        }
    }

    /// The support `[lower, upper]` in seconds; `upper` is `+∞` for unbounded models.
    public var support: ClosedRange<Double> {
        switch self {
        case .seed(let b, let v): return b...(b + v)
        case .symmetric(let b, let v): return max(0, b - v)...(b + v)
        case .lognormal, .gamma, .weibull, .exponential, .lomax: return 0...Double.infinity
        case .mixture(let cs):
            let kept = cs.filter { $0.weight > 0 }.map(\.model.support)
            return (kept.map(\.lowerBound).min() ?? 0)...(kept.map(\.upperBound).max() ?? 0)
        case .parts(let p):
            let s = p.part.support
            return p.combine == .max ? s : (Double(p.count) * s.lowerBound)...(Double(p.count) * s.upperBound)
        case .empirical(let s): return s.values[0]...s.values[s.values.count - 1]
        case .fixed(let s): return s...s
        }
    }

    /// The same model with every duration multiplied by `factor` (> 0): the scale family used
    /// for per-job hints and `time_scale`. Exact for every model.
    public func scaled(by factor: Double) -> DurationSpec {
        switch self {
        case .seed(let b, let v): return .seed(base: b * factor, variation: v * factor)
        case .symmetric(let b, let v): return .symmetric(base: b * factor, variation: v * factor)
        case .lognormal(let m, let s): return .lognormal(median: m * factor, sigma: s)
        case .gamma(let k, let t): return .gamma(shape: k, scale: t * factor)
        case .weibull(let k, let l): return .weibull(shape: k, scale: l * factor)
        case .exponential(let m): return .exponential(mean: m * factor)
        case .lomax(let a, let l): return .lomax(shape: a, scale: l * factor)
        case .mixture(let cs): return .mixture(cs.map { Component(weight: $0.weight, model: $0.model.scaled(by: factor)) })
        case .parts(var p):
            p.part = p.part.scaled(by: factor)
            return .parts(p)
        case .empirical(let s): return .empirical(s.scaled(by: factor))
        case .fixed(let s): return .fixed(seconds: s * factor)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
