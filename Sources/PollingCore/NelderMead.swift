/// The Nelder–Mead simplex method (J. A. Nelder and R. Mead, "A simplex method for function
/// minimization", The Computer Journal 7(4), 1965), derivative-free, on the unit cube.
///
/// Standard coefficients: reflection 1, expansion 2, contraction 1/2, shrink 1/2. Every trial
/// point is clamped to `[0, 1]^d` before evaluation (the tuner maps the cube to parameter
/// ranges). Deterministic: no random draws; ties keep the earlier vertex, so the same function
/// and start give the same path, bit for bit.
public enum NelderMead {
    /// A minimum found.
    public struct Result: Sendable, Hashable {
        /// The best point, in `[0, 1]^d`.
        public var point: [Double]
        /// `f(point)`.
        public var value: Double
        /// Function evaluations used.
        public var evaluations: Int
    }

    /// Minimises `f` from `start` with an initial simplex of `start` plus `step` along each axis
    /// (minus `step` when that would leave the cube).
    /// - Parameters:
    ///   - start: a point of `[0, 1]^d`, d ≥ 1.
    ///   - step: initial simplex size in cube units, e.g. 0.1.
    ///   - maxEvaluations: the evaluation budget.
    ///   - tolerance: stop when the simplex's values span less than this.
    ///   - f: the function to minimise (must accept any point of the cube).
    /// - Returns: the best point seen.
    public static func minimize(start: [Double], step: Double, maxEvaluations: Int, tolerance: Double = 1e-10,
                                _ f: ([Double]) -> Double) -> Result {
        let d = start.count
        var evaluations = 0
        func clamp(_ x: [Double]) -> [Double] { x.map { min(1, max(0, $0)) } }
        func eval(_ x: [Double]) -> Double {
            evaluations += 1
            let v = f(x)
            return v.isNaN ? .infinity : v
        }
        var simplex: [[Double]] = [clamp(start)]
        for i in 0..<d {
            var x = simplex[0]
            x[i] = x[i] + step <= 1 ? x[i] + step : x[i] - step
            simplex.append(clamp(x))
        }
        var values = simplex.map(eval)
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if values[d] - values[0] <= tolerance { break }
            var centroid = Array(repeating: 0.0, count: d)
            for vertex in simplex.dropLast() { for i in 0..<d { centroid[i] += vertex[i] / Double(d) } }
            func along(_ t: Double) -> [Double] { clamp((0..<d).map { centroid[$0] + t * (simplex[d][$0] - centroid[$0]) }) }
            let reflected = along(-1), fr = eval(reflected)
            if fr < values[0] {
                let expanded = along(-2), fe = eval(expanded)
                if fe < fr { simplex[d] = expanded; values[d] = fe } else { simplex[d] = reflected; values[d] = fr }
            } else if fr < values[d - 1] {
                simplex[d] = reflected; values[d] = fr
            } else {
                let outside = fr < values[d]
                let contracted = along(outside ? -0.5 : 0.5), fc = eval(contracted)
                if fc < (outside ? fr : values[d]) {
                    simplex[d] = contracted; values[d] = fc
                } else {
                    for j in 1...d {
                        simplex[j] = clamp((0..<d).map { simplex[0][$0] + 0.5 * (simplex[j][$0] - simplex[0][$0]) })
                        values[j] = eval(simplex[j])
                    }
                }
            }
        }
        let best = values.indices.min { (values[$0], $0) < (values[$1], $1) }!
        return Result(point: simplex[best], value: values[best], evaluations: evaluations)
    }
}
