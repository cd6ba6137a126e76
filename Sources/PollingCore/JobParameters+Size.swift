#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Job sizes and per-job hints (DESIGN.md, "Workloads"; issue 11 item 2).
///
/// With a size model (`job.size: {model…}` in experiment files), each job has a size `S` (e.g.
/// minutes of video; any unit, ≥ 0), drawn from its own seed, and its duration is drawn from
/// `duration(size: S)`:
/// - `T = S × D` with `D` a draw of the duration model (`duration.scaled(by: S)`), or,
/// - when the duration model is `parts` with `part_size`, `T` is that model with
///   `count = Parts.count(size: S, partSize:)` = `ceil(S / part_size)` parts (each part drawn
///   from the part model, unscaled).
///
/// The per-job hint a client receives in the `202` body is `expected_duration = E[T | S]`
/// (`expectedDuration(size:)`), exact from the model: `S·E[D]`, or `count · E[part]` for `sum`
/// and `E[max of count parts]` for `max`. Jobs without a size get `E[T]` of the model.
///
/// Where sizes are drawn: the job's size comes from a sub-stream of its seed
/// (`SeedDerivation.sizeSeed(jobSeed:)`), so the job's own stream (duration, then outcome) is the
/// same as an unsized job's and old runs keep their jobs. The runner draws it
/// (`size(seed:)`) and sends it with `POST /jobs` (`size`); the server never draws a size (it does
/// not know the size model): a request without `size` is an unsized job.
extension JobParameters {
    /// The size of the job seeded `seed`: one draw of `sizeModel` from the sub-stream
    /// `SeededGenerator(seed: SeedDerivation.sizeSeed(jobSeed: seed))`; `nil` without a size model.
    public func size(seed: UInt64) -> Double? {
        guard let sizeModel else { return nil }
        var rng = SeededGenerator(seed: SeedDerivation.sizeSeed(jobSeed: seed))
        return max(0, sizeModel.draw(using: &rng))
    }

    /// The law of a job's duration given its size (seconds): the duration model itself when
    /// `size` is nil; `parts` with `part_size` with `ceil(size / part_size)` parts; otherwise the
    /// duration model scaled by `size` (`T = S × D`). A `parts` model with `part_size` and no size
    /// keeps its `count`.
    public func duration(size: Double?) -> DurationSpec {
        let spec = durationSpec
        guard let size else { return spec }
        if case .parts(var p) = spec, let partSize = p.partSize {
            p.count = DurationSpec.Parts.count(size: size, partSize: partSize)
            return .parts(p)
        }
        return spec.scaled(by: size)
    }

    /// `expected_duration = E[T | S = size]` in seconds (`E[T]` of the duration model when
    /// `size` is nil): the per-job hint of the `202` body, computed by the server and the
    /// simulator alike (see the type's documentation).
    public func expectedDuration(size: Double?) -> Double {
        duration(size: size).mean
    }

    /// `E[T]` over sizes and durations, in seconds: `E[S]·E[D]`, or for `parts` with
    /// `part_size` the mean of `marginalDuration`.
    public var meanDuration: Double {
        guard let sizeModel else { return durationSpec.mean }
        if case .parts(let p) = durationSpec, p.partSize != nil { return marginalDuration.mean }
        return sizeModel.mean * durationSpec.mean
    }

    /// The number of strata of `sizeStrata`: 200.
    public static let sizeStrataCount = 200

    /// `sizeStrataCount` sizes standing for the size model, with equal weights: the quantiles
    /// `Q_S((k + ½)/K)` (midpoint rule in probability), for laws of `T` that have no closed
    /// form.
    private func sizeStrata(_ model: DurationSpec) -> [Double] {
        let k = Self.sizeStrataCount
        return (0..<k).map { max(0, model.quantile((Double($0) + 0.5) / Double(k))) }
    }

    /// The marginal law of a job's duration `T` over sizes (seconds): what a strategy that
    /// ignores the hint faces (hint-blind `optimal`).
    /// - no size model: the duration model;
    /// - lognormal size × lognormal duration: exactly lognormal with median `m_S·m_D` and
    ///   sigma `√(σ_S² + σ_D²)` (a product of independent lognormals);
    /// - `parts` with `part_size`: exactly the mixture over counts `n` of `n` parts, weighted by
    ///   `P(ceil(S / part_size) = n) = F_S(n·part_size) − F_S((n−1)·part_size)` (the last count
    ///   takes the rest of the mass, as `Parts.count` clamps);
    /// - other products: the equal-weight mixture of `D` scaled by `sizeStrataCount` size
    ///   quantiles (midpoint rule; documented approximation, error shrinking as 1/K²).
    public var marginalDuration: DurationSpec {
        guard let sizeModel else { return durationSpec }
        let spec = durationSpec
        if case .parts(let p) = spec, let partSize = p.partSize {
            return .mixture(countWeights(sizeModel, partSize: partSize).map { n, w in
                var q = p
                q.count = n
                return DurationSpec.Component(weight: w, model: .parts(q))
            })
        }
        switch (sizeModel, spec) {
        case (.lognormal(let ms, let ss), .lognormal(let md, let sd)):
            return .lognormal(median: ms * md, sigma: (ss * ss + sd * sd).squareRoot())
        case (.fixed(let s), _):
            return spec.scaled(by: s)
        default:
            return .mixture(sizeStrata(sizeModel).map { DurationSpec.Component(weight: 1, model: spec.scaled(by: max($0, 1e-12))) })
        }
    }

    /// The law of `T / E[T | S]` (dimensionless): what hint-aware `optimal` and `learned`
    /// optimise for, before scaling the unit schedule by each job's hint.
    /// - no size, or a duration scaled by the size (`T = S × D`): exactly `D / E[D]`, the same for
    ///   every size (a scale family: the unit schedule scaled by the hint is the optimal schedule
    ///   given the size);
    /// - `parts` with `part_size`: exactly the mixture over counts `n` (weights as in
    ///   `marginalDuration`) of `T_n / E[T_n]`. The hint then tells the count, and the shape of
    ///   `T_n / E[T_n]` depends on `n`, so one unit schedule scaled by the hint is optimal for the
    ///   mixture, not for each count (documented approximation).
    public var hintNormalisedDuration: DurationSpec {
        let spec = durationSpec
        if let sizeModel, case .parts(let p) = spec, let partSize = p.partSize {
            return .mixture(countWeights(sizeModel, partSize: partSize).map { n, w in
                var q = p
                q.count = n
                let law = DurationSpec.parts(q)
                return DurationSpec.Component(weight: w, model: law.scaled(by: 1 / law.mean))
            })
        }
        return spec.scaled(by: 1 / spec.mean)
    }

    /// `(count, P(count))` for counts with positive probability.
    private func countWeights(_ size: DurationSpec, partSize: Double) -> [(Int, Double)] {
        let top = DurationSpec.Parts.maximumCount
        var out: [(Int, Double)] = []
        var previous = 0.0
        for n in 1...top {
            let f = n == top ? 1 : size.cdf(Double(n) * partSize)
            let w = f - previous
            if w > 0 { out.append((n, w)) }
            previous = max(previous, f)
        }
        return out
    }

    /// Checks a size sent with a job (`POST /jobs` `size`): finite and ≥ 0.
    /// - Throws: `PollingCoreError.invalidField(field, …)`.
    public static func validate(size: Double, field: String = "size") throws {
        guard size.isFinite, size >= 0 else {
            throw PollingCoreError.invalidField(field, "must be a finite number >= 0 (the job's size, e.g. minutes of video), got \(size)")
        }
    }

    /// Checks the size model and how the duration model uses sizes.
    /// - Parameter sized: jobs carry a size (a size model, or `POST /jobs` with `size`).
    /// - Throws: `PollingCoreError.invalidField` naming `size…` (parameters, or an infinite or
    ///   zero mean: a size model needs a finite positive mean, e.g. lomax needs shape > 1) or
    ///   `duration.part_size` (needs sizes; only on the top-level model).
    func validateSizing(sized: Bool) throws {
        if let sizeModel {
            try sizeModel.validate(field: "size")
            let mean = sizeModel.mean
            guard mean.isFinite, mean > 0 else {
                throw PollingCoreError.invalidField("size", "model \(sizeModel.name) has mean \(mean); a size model needs a finite mean > 0 (e.g. lomax needs shape > 1)")
            }
            if sizeModel.containsEmpirical == false, sizeModel.support.lowerBound < 0 {
                throw PollingCoreError.invalidField("size", "sizes must be >= 0")
            }
        }
        let spec = durationSpec
        if case .parts(let p) = spec {
            if p.partSize != nil, !sized {
                throw PollingCoreError.invalidField("duration.part_size", "needs job sizes (job.size in experiment files, size in POST /jobs)")
            }
            if p.part.hasPartSize { throw PollingCoreError.invalidField("duration.part.part_size", "is only allowed on the top-level duration model") }
        } else if spec.hasPartSize {
            throw PollingCoreError.invalidField("duration.part_size", "is only allowed on the top-level duration model")
        }
    }
}

extension DurationSpec {
    /// True when this model or one nested in it is `parts` with `part_size`.
    var hasPartSize: Bool {
        switch self {
        case .parts(let p): p.partSize != nil || p.part.hasPartSize
        case .mixture(let cs): cs.contains { $0.model.hasPartSize }
        default: false
        }
    }
}

extension SeedDerivation {
    /// The seed of a job's size sub-stream, from the job's seed (so drawing the size does not
    /// shift the job's duration and outcome draws).
    public static func sizeSeed(jobSeed: UInt64) -> UInt64 {
        var sm = SplitMix64(state: jobSeed ^ 0x5349_5A45_5349_5A45)  // "SIZESIZE"
        return sm.next()
    }
}
