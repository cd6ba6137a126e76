#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact distribution functions of the duration models (seconds).
///
/// Partial first moments `G(t) = E[T; T ≤ t]`:
/// - uniform on `[a, b]`: `F(t)·(a + min(t, b))/2`; a point mass `c`: `c·[c ≤ t]`;
/// - lognormal: `e^(μ+σ²/2) Φ((ln t − μ − σ²)/σ)` with `μ = ln median`;
/// - gamma: `kθ P(k+1, t/θ)`; exponential = gamma with k = 1;
/// - Weibull: `λ Γ(1+1/k) P(1+1/k, (t/λ)^k)` (substitute `x = (u/λ)^k`);
/// - Lomax: `G = ∫₀ᵗ S(u) du − t S(t)` with `S(t) = (1+t/λ)^(−α)` and
///   `∫₀ᵗ S = λ (1 − (1+t/λ)^(1−α))/(α−1)` (`λ ln(1+t/λ)` at α = 1), via `expm1`/`log1p`;
/// - `parts` with `max`: `F = F_p^n`, `G(t) = t F(t) − ∫ F_p^n` by adaptive Gauss–Legendre
///   between the part's breakpoints (exact for uniform parts up to n = 19, ≤ 1e-12 relative else);
/// - `parts` with `sum`: uniform parts give `n·a + w·(Irwin–Hall)`, whose CDF and integral are the
///   alternating sums `Σ (−1)^k C(n,k)(y−k)^n / n!` (Irwin 1927, Hall 1927), evaluated on the
///   lower half and reflected (`F(y) = 1 − F(n − y)`) to limit cancellation; gamma and
///   exponential parts sum to a gamma with shape `n·k`.
/// `P` is `SpecialFunctions.regularizedGammaP`, `Φ` `SpecialFunctions.normalCDF`.
extension DurationSpec {
    /// `F(t) = P(T ≤ t)`.
    public func cdf(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        switch self {
        case .seed(let b, let v): return Self.uniformCDF(t, b, b + v)
        case .symmetric(let b, let v):
            let atom = v > b ? (v - b) / (2 * v) : 0
            guard t >= 0 else { return 0 }
            return atom + (1 - atom) * Self.uniformCDF(t, max(0, b - v), b + v)
        case .lognormal(let m, let s):
            return t <= 0 ? 0 : SpecialFunctions.normalCDF((log(t) - log(m)) / s)
        case .gamma(let k, let th): return SpecialFunctions.regularizedGammaP(k, max(0, t) / th)
        case .weibull(let k, let l): return t <= 0 ? 0 : -expm1(-pow(t / l, k))
        case .exponential(let m): return t <= 0 ? 0 : -expm1(-t / m)
        case .lomax(let a, let l): return t <= 0 ? 0 : -expm1(-a * log1p(t / l))
        case .mixture(let cs):
            let total = cs.reduce(0) { $0 + $1.weight }
            return cs.reduce(0) { $0 + ($1.weight > 0 ? $1.weight * $1.model.cdf(t) : 0) } / total
        case .parts(let p):
            if p.combine == .max { return pow(p.part.cdf(t), Double(p.count)) }
            return p.sumLaw!.cdf(t)
        case .empirical(let s): return s.cdf(t)
        case .fixed(let s): return t >= s ? 1 : 0
        }
    }

    /// `G(t) = E[T; T ≤ t]` in seconds (`E[T]` at `t = +∞`).
    public func partialMoment(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        guard t >= 0 else { return 0 }
        switch self {
        case .seed(let b, let v): return Self.uniformMoment(t, b, b + v)
        case .symmetric(let b, let v):
            let atom = v > b ? (v - b) / (2 * v) : 0
            return (1 - atom) * Self.uniformMoment(t, max(0, b - v), b + v)
        case .lognormal(let m, let s):
            guard t > 0 else { return 0 }
            if t.isInfinite { return mean }
            return m * exp(s * s / 2) * SpecialFunctions.normalCDF((log(t) - log(m) - s * s) / s)
        case .gamma(let k, let th): return k * th * SpecialFunctions.regularizedGammaP(k + 1, t / th)
        case .weibull(let k, let l):
            let a = 1 + 1 / k
            return l * SpecialFunctions.gamma(a) * SpecialFunctions.regularizedGammaP(a, pow(t / l, k))
        case .exponential(let m): return m * SpecialFunctions.regularizedGammaP(2, t / m)
        case .lomax(let a, let l):
            if t.isInfinite { return mean }
            let logGrowth = log1p(t / l)                    // ln(1 + t/λ)
            let survival = exp(-a * logGrowth)              // S(t)
            let integral = a == 1 ? l * logGrowth : l * expm1((1 - a) * logGrowth) / (1 - a)
            return max(0, integral - t * survival)
        case .mixture(let cs):
            let total = cs.reduce(0) { $0 + $1.weight }
            return cs.reduce(0) { $0 + ($1.weight > 0 ? $1.weight * $1.model.partialMoment(t) : 0) } / total
        case .parts(let p):
            if p.combine == .sum { return p.sumLaw!.partialMoment(t) }
            return p.maxPartialMoment(t)
        case .empirical(let s): return s.partialMoment(t)
        case .fixed(let s): return t >= s ? s : 0
        }
    }

    /// The quantile `Q(p) = inf{t: F(t) ≥ p}` for `p ∈ (0, 1)`, by bisection on `cdf` to a relative
    /// width of 1e-13 (seconds).
    public func quantile(_ p: Double) -> Double {
        let s = support
        guard p > 0 else { return s.lowerBound }
        var lo = s.lowerBound
        var hi = s.upperBound
        if hi.isInfinite {
            hi = max(1, lo * 2, mean.isFinite ? mean : 1)
            while cdf(hi) < p && hi < 1e300 { lo = hi; hi *= 2 }
        }
        if p >= 1 { return hi }
        for _ in 0..<400 {
            let mid = (lo + hi) / 2
            if cdf(mid) >= p { hi = mid } else { lo = mid }
            if hi - lo <= 1e-13 * max(hi, 1e-300) { break }
        }
        return hi
    }

    /// The finite instants where `F` has a kink or a jump (piece ends, atoms), ascending; the
    /// schedule search adds them to its candidates and the quadrature splits there.
    public var breakpoints: [Double] {
        switch self {
        case .seed(let b, let v): return v > 0 ? [b, b + v] : [b]
        case .symmetric(let b, let v): return Array(Set([max(0, b - v), b + v] + (v > b ? [0] : []))).sorted()
        case .lognormal, .gamma, .weibull, .exponential, .lomax: return [0]
        case .mixture(let cs): return Array(Set(cs.flatMap(\.model.breakpoints))).sorted()
        case .parts(let p):
            if p.combine == .max { return p.part.breakpoints }
            let s = support
            return s.upperBound.isFinite ? [s.lowerBound, s.upperBound] : [s.lowerBound]
        case .empirical(let s): return Array(Set(s.values)).sorted()
        case .fixed(let s): return [s]
        }
    }

    /// True when all the mass sits on finitely many points (empirical samples, fixed durations).
    public var isDiscrete: Bool {
        switch self {
        case .empirical, .fixed: return true
        case .seed(_, let v), .symmetric(_, let v): return v == 0
        case .mixture(let cs): return cs.allSatisfy { $0.weight == 0 || $0.model.isDiscrete }
        case .parts(let p): return p.part.isDiscrete && p.combine == .max
        default: return false
        }
    }

    static func uniformCDF(_ t: Double, _ a: Double, _ b: Double) -> Double {
        if t < a { return 0 }
        if t >= b { return 1 }
        return (t - a) / (b - a)
    }

    static func uniformMoment(_ t: Double, _ a: Double, _ b: Double) -> Double {
        if t < a { return 0 }
        if b <= a { return a }
        let top = min(t, b)
        return (top - a) / (b - a) * (a + top) / 2
    }
}

extension DurationSpec.Parts {
    /// The exact law of a sum of `count` parts, when there is one.
    enum SumLaw: Sendable, Hashable {
        /// `n·lower + width · IrwinHall(n)`.
        case uniform(lower: Double, width: Double, count: Int)
        /// `Gamma(shape, scale)`.
        case gamma(shape: Double, scale: Double)

        func cdf(_ t: Double) -> Double {
            switch self {
            case .gamma(let k, let th): return SpecialFunctions.regularizedGammaP(k, max(0, t) / th)
            case .uniform(let a, let w, let n):
                let shift = Double(n) * a
                if w == 0 { return t >= shift ? 1 : 0 }
                return IrwinHall.cdf((t - shift) / w, n)
            }
        }

        func partialMoment(_ t: Double) -> Double {
            guard t >= 0 else { return 0 }
            switch self {
            case .gamma(let k, let th): return k * th * SpecialFunctions.regularizedGammaP(k + 1, t / th)
            case .uniform(let a, let w, let n):
                let shift = Double(n) * a
                if w == 0 { return t >= shift ? shift : 0 }
                if t.isInfinite { return shift + w * Double(n) / 2 }
                // G(t) = t F(t) − ∫_shift^t F = t F(t) − w · I((t − shift)/w).
                let y = (t - shift) / w
                return max(0, t * IrwinHall.cdf(y, n) - w * IrwinHall.integral(y, n))
            }
        }
    }

    /// The exact sum law of this part model, or nil when it has none that PollLab implements.
    var sumLaw: SumLaw? {
        switch part {
        case .seed(let b, let v): return .uniform(lower: b, width: v, count: count)
        case .symmetric(let b, let v) where v <= b: return .uniform(lower: b - v, width: 2 * v, count: count)
        case .fixed(let s): return .uniform(lower: s, width: 0, count: count)
        case .exponential(let m): return .gamma(shape: Double(count), scale: m)
        case .gamma(let k, let th): return .gamma(shape: Double(count) * k, scale: th)
        default: return nil
        }
    }

    /// `E[max; max ≤ t] = t F_p(t)^n − ∫ F_p^n` (exact sums for an empirical part, adaptive
    /// Gauss–Legendre between breakpoints otherwise; to `+∞` the integral of `1 − F_p^n` is cut
    /// where it falls below 1e-17).
    func maxPartialMoment(_ t: Double) -> Double {
        let n = Double(count)
        if case .empirical(let s) = part {
            // Step function: F_p^n is constant between consecutive distinct values.
            var g = 0.0, previous = 0.0
            for v in Array(Set(s.values)).sorted() where v <= t {
                let f = pow(s.cdf(v), n)
                g += v * (f - previous)
                previous = f
            }
            return g
        }
        let f: (Double) -> Double = { pow(part.cdf($0), n) }
        let lower = part.support.lowerBound
        var top = t
        if t.isInfinite {
            top = part.support.upperBound
            if top.isInfinite { top = part.quantile(1 - 1e-17 / n) }
        }
        guard top > lower else { return t >= lower ? lower * f(lower) : 0 }
        let cuts = [lower] + part.breakpoints.filter { $0 > lower && $0 < top } + [top]
        var integral = 0.0
        for (a, b) in zip(cuts, cuts.dropFirst()) { integral += SpecialFunctions.integrate(f, from: a, to: b) }
        return max(0, top * f(top) - integral)
    }
}

/// The Irwin–Hall law of the sum of `n` independent `U(0, 1)` (Irwin 1927; Hall 1927).
enum IrwinHall {
    /// `Σ_{k ≤ y} (−1)^k C(n,k) (y−k)^m / (k! (n−k)! … )` with `m = n` (CDF) or `n + 1` (integral).
    private static func alternatingSum(_ y: Double, _ n: Int, power: Int) -> Double {
        var sum = 0.0
        let top = min(n, Int(y.rounded(.down)))
        guard top >= 0 else { return 0 }
        let logFactorialN = SpecialFunctions.logGamma(Double(power) + 1)
        for k in 0...top {
            let logC = SpecialFunctions.logGamma(Double(n) + 1) - SpecialFunctions.logGamma(Double(k) + 1) - SpecialFunctions.logGamma(Double(n - k) + 1)
            let term = exp(logC + Double(power) * log(y - Double(k)) - logFactorialN)
            sum += k % 2 == 0 ? term : -term
        }
        return sum
    }

    /// `F(y)`, reflected above `n/2`.
    static func cdf(_ y: Double, _ n: Int) -> Double {
        let nd = Double(n)
        if y <= 0 { return 0 }
        if y >= nd { return 1 }
        if y > nd / 2 { return 1 - cdf(nd - y, n) }
        return min(1, max(0, alternatingSum(y, n, power: n)))
    }

    /// `I(y) = ∫_0^y F`, with `I(y) = y − n/2 + I(n − y)` above `n/2`.
    static func integral(_ y: Double, _ n: Int) -> Double {
        let nd = Double(n)
        if y <= 0 { return 0 }
        if y >= nd { return y - nd / 2 }
        if y > nd / 2 { return y - nd / 2 + integral(nd - y, n) }
        return max(0, alternatingSum(y, n, power: n + 1))
    }
}
