import Analysis
import Testing

@Suite struct StatisticsTests {
    func close(_ a: Double?, _ b: Double, _ tolerance: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    /// Student t table values (two-sided 95 %: p = 0.975).
    @Test(arguments: [(1.0, 12.706), (2.0, 4.303), (5.0, 2.571), (9.0, 2.262), (30.0, 2.042), (120.0, 1.980)])
    func tQuantileMatchesTables(df: Double, expected: Double) {
        #expect(close(StudentT.quantile(0.975, degreesOfFreedom: df), expected, 0.0006))
        #expect(close(StudentT.quantile(0.025, degreesOfFreedom: df), -expected, 0.0006))
    }

    /// Welch's ν can fall between 1 and 2 with tiny arms; reference t(0.975, ν) from the exact
    /// distribution (issue 10 item 6; R's `qt(0.975, ν)`): Hill's approximation alone was 17 % high
    /// at ν = 1.01, 5 % at 1.2 and 1 % at 1.5.
    @Test(arguments: [(1.01, 12.4127), (1.2, 8.6488), (1.5, 6.0167), (2.0, 4.3027), (3.0, 3.1824)])
    func tQuantileIsExactForSmallFractionalDegreesOfFreedom(df: Double, expected: Double) {
        #expect(close(StudentT.quantile(0.975, degreesOfFreedom: df), expected, 0.00006 * expected))
        #expect(close(StudentT.quantile(0.025, degreesOfFreedom: df), -expected, 0.00006 * expected))
    }

    @Test func tQuantileTendsToTheNormal() {
        #expect(close(StudentT.quantile(0.975, degreesOfFreedom: 1e6), 1.95996, 0.0001))
        #expect(close(StudentT.quantile(0.975, degreesOfFreedom: .infinity), 1.959964, 1e-6))
        #expect(close(StudentT.normalQuantile(0.975), 1.959964, 1e-6))
        #expect(close(StudentT.normalQuantile(0.5), 0, 1e-12))
        #expect(close(StudentT.normalQuantile(0.001), -3.090232, 1e-6))
        #expect(close(StudentT.quantile(0.995, degreesOfFreedom: 10), 3.169, 0.001))
        #expect(StudentT.quantile(1, degreesOfFreedom: 3).isNaN)
        #expect(StudentT.quantile(0.5, degreesOfFreedom: 3) == 0)
    }

    /// Sample 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, s = √(32/7) = 2.13809,
    /// t(0.975, 7) = 2.36462, half-width = 2.36462 · 2.13809 / √8 = 1.78749.
    @Test func meanEstimateOfAKnownSample() throws {
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        let e = try #require(MeanEstimate.of(values))
        #expect(e.count == 8 && e.mean == 5)
        #expect(close(e.standardDeviation, 2.138090, 1e-6))
        #expect(close(e.halfWidth, 1.78749, 1e-4))
        #expect(close(e.lower, 3.21251, 1e-4) && close(e.upper, 6.78749, 1e-4))
        // The same from SQL-style moments: Σx = 40, Σx² = 232.
        let m = try #require(MeanEstimate.of(count: 8, sum: 40, sumOfSquares: 232))
        #expect(close(m.halfWidth, e.halfWidth ?? 0, 1e-12))
        #expect(MeanEstimate.of([3])?.halfWidth == nil)
        #expect(MeanEstimate.of([]) == nil)
    }

    /// Pairs (1, 2), (2, 4), (3, 5): differences 1, 2, 2; mean 5/3, s = √(1/3),
    /// half-width = t(0.975, 2) · s / √3 = 4.30265 · 0.57735 / 1.73205 = 1.43422.
    @Test func pairedIntervalByHand() throws {
        let line = try #require(Comparison.pairedLine(.tries, [1, 2, 3], [2, 4, 5], minEffect: 0.05, names: ("a", "b")))
        #expect(close(line.difference, 5.0 / 3, 1e-12))
        #expect(close(line.lower, 5.0 / 3 - 1.43422, 1e-4))
        #expect(close(line.upper, 5.0 / 3 + 1.43422, 1e-4))
        #expect(close(line.relative, 5.0 / 6, 1e-12))   // (5/3) / mean(a) = (5/3) / 2
        #expect(line.verdict == "a better")   // more tries in b: lower is better, a wins
    }

    /// A = 1, 2, 3 (mean 2, var 1), B = 4, 6, 8 (mean 6, var 4): se = √(1/3 + 4/3) = 1.29099,
    /// ν = (5/3)² / ((1/3)²/2 + (4/3)²/2) = 2.94118, t(0.975, 2.94118) = 3.21874 (scipy),
    /// half-width = 4.15540: the interval [−0.155, 8.155] contains 0.
    @Test func welchIntervalByHand() throws {
        let line = try #require(Comparison.welchLine(.score, [1, 2, 3], [4, 6, 8], minEffect: 0.05, names: ("a", "b")))
        #expect(line.difference == 4)
        #expect(close(line.upper.map { $0 - 4 }, 4.15540, 0.001))
        #expect(close(line.lower.map { 4 - $0 }, 4.15540, 0.001))
        #expect(line.verdict == "no significant difference")
    }

    @Test func verdictNeedsSignificanceAndEffect() {
        // Significant (all differences equal) but 1 % relative: below a 5 % minimum.
        let small = Comparison.pairedLine(.delay, [1, 1, 1, 1], [1.01, 1.0101, 1.0099, 1.01], minEffect: 0.05, names: ("a", "b"))
        #expect(small?.verdict == "significant but below the minimum effect")
        let large = Comparison.pairedLine(.delay, [1, 1, 1, 1], [0.5, 0.51, 0.49, 0.5], minEffect: 0.05, names: ("a", "b"))
        #expect(large?.verdict == "b better")
        let noise = Comparison.pairedLine(.delay, [1, 1, 1, 1], [0.5, 1.5, 0.5, 1.5], minEffect: 0.05, names: ("a", "b"))
        #expect(noise?.verdict == "no significant difference")
    }

    /// With A's mean 0 there is no relative difference (issue 10 item 7): the minimum effect
    /// applies to the absolute difference instead of being skipped.
    @Test func minimumEffectIsAbsoluteWhenTheBaselineMeanIsZero() {
        // Differences 0.01, 0.0101, 0.0099, 0.01: significant, mean 0.01 < 0.05.
        let tiny = Comparison.pairedLine(.er, [0, 0, 0, 0], [0.01, 0.0101, 0.0099, 0.01], minEffect: 0.05, names: ("a", "b"))
        #expect(tiny?.relative == nil)
        #expect(tiny?.verdict == "significant but below the minimum effect")
        let large = Comparison.pairedLine(.er, [0, 0, 0, 0], [0.2, 0.21, 0.19, 0.2], minEffect: 0.05, names: ("a", "b"))
        #expect(large?.verdict == "a better")   // B's ER is 0.2 higher: lower is better
    }
}
