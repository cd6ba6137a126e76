#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension DurationSpec {
    /// One duration in seconds.
    ///
    /// Consumes **exactly one** 64-bit draw from `rng`, whatever the model: `seed`, `symmetric`,
    /// `weibull`, `exponential`, `lomax`, `empirical` and `fixed` map that draw `u ∈ [0, 1)`
    /// directly (inverse CDF; `seed` and `symmetric` exactly as before, so old runs keep their
    /// jobs); `lognormal`, `gamma`, `mixture` and `parts` seed a private `SeededGenerator` with it
    /// and draw from that. So a job's next draw (its outcome) is the same whatever the model, and
    /// a client may replace a model by the `fixed` duration it drew without shifting the outcome.
    ///
    /// Methods: normal deviates by Box–Muller; gamma by Marsaglia and Tsang (2000), "A simple
    /// method for generating gamma variables", with `Gamma(k) = Gamma(k+1) · U^(1/k)` for k < 1.
    public func draw<R: RandomNumberGenerator>(using rng: inout R) -> Double {
        switch self {
        case .seed(let b, let v):
            return b + rng.uniform(0, v)
        case .symmetric(let b, let v):
            return max(0, b + rng.uniform(-v, v))
        case .weibull(let k, let l):
            return l * pow(-log1p(-rng.unitInterval()), 1 / k)
        case .exponential(let m):
            return m * -log1p(-rng.unitInterval())
        case .lomax(let a, let l):
            return l * expm1(-log1p(-rng.unitInterval()) / a)
        case .empirical(let s):
            return s.value(at: rng.unitInterval())
        case .fixed(let s):
            _ = rng.next()
            return s
        case .lognormal(let m, let s):
            var sub = SeededGenerator(seed: rng.next())
            return m * exp(s * Self.standardNormal(using: &sub))
        case .gamma(let k, let t):
            var sub = SeededGenerator(seed: rng.next())
            return t * Self.standardGamma(k, using: &sub)
        case .mixture(let cs):
            var sub = SeededGenerator(seed: rng.next())
            let total = cs.reduce(0) { $0 + $1.weight }
            var target = sub.unitInterval() * total
            var chosen = cs.last { $0.weight > 0 }!
            for c in cs where c.weight > 0 {
                if target < c.weight { chosen = c; break }
                target -= c.weight
            }
            return chosen.model.draw(using: &sub)
        case .parts(let p):
            return p.draw(using: &rng)
        }
    }

    /// A standard normal deviate (Box–Muller, two draws).
    static func standardNormal<R: RandomNumberGenerator>(using rng: inout R) -> Double {
        let u1 = 1 - rng.unitInterval() // (0, 1]
        let u2 = rng.unitInterval()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A `Gamma(k, 1)` deviate (Marsaglia–Tsang).
    static func standardGamma<R: RandomNumberGenerator>(_ k: Double, using rng: inout R) -> Double {
        if k < 1 {
            let boost = pow(1 - rng.unitInterval(), 1 / k)
            return standardGamma(k + 1, using: &rng) * boost
        }
        let d = k - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = standardNormal(using: &rng)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = 1 - rng.unitInterval()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }
}
