import Testing
@testable import Analysis

@Suite struct RegressionCheckTests {
    func line(_ metric: CheckMetric, p: Double, difference: Double, baseline: Double = 10,
              limit: CheckThresholds.Limit = .relative(0.05)) -> RegressionCheck.Line {
        RegressionCheck.Line(
            arm: "a", metric: metric, n: 10, baseline: baseline, candidate: baseline + difference,
            difference: difference, lower: nil, upper: nil, p: p, pHolm: p,
            allowed: limit.allowed(baseline: baseline, metric: metric), limit: limit, verdict: .unchanged)
    }

    @Test func holmAdjustsStepDownByHand() {
        // p = 0.01, 0.04, 0.03, 0.005 (m = 4). Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03,
        // 0.03·2 = 0.06, 0.04·1 = 0.04 → max-accumulated 0.06.
        let lines = [0.01, 0.04, 0.03, 0.005].map { line(.meanTries, p: $0, difference: 5) }
        let adjusted = RegressionCheck.applyHolm(lines)
        let expected = [0.03, 0.06, 0.06, 0.02]
        for (got, want) in zip(adjusted.map(\.pHolm), expected) { #expect(abs(got - want) < 1e-12) }
        #expect(adjusted.map(\.verdict) == [.regression, .unchanged, .unchanged, .regression])
    }

    @Test func directionsAndLimits() {
        // tries up by 0.4 on 10 with a 5 % limit (0.5): worse but within the limit.
        #expect(RegressionCheck.verdict(line(.meanTries, p: 0.001, difference: 0.4)) == .withinLimit)
        #expect(RegressionCheck.verdict(line(.meanTries, p: 0.001, difference: 0.6)) == .regression)
        #expect(RegressionCheck.verdict(line(.meanTries, p: 0.001, difference: -3)) == .improved)
        #expect(RegressionCheck.verdict(line(.score, p: 0.001, difference: 3)) == .improved)
        #expect(RegressionCheck.verdict(line(.score, p: 0.2, difference: -3)) == .unchanged)
        // A baseline score of 0: 2 % of the floor 0.01 allows 0.0002.
        #expect(RegressionCheck.verdict(line(.score, p: 0.001, difference: -0.001, baseline: 0, limit: .relative(0.02))) == .regression)
        #expect(RegressionCheck.verdict(line(.score, p: 0.001, difference: -0.0001, baseline: 0, limit: .relative(0.02))) == .withinLimit)
    }

    @Test func pairedAndWelchIntervalsByHand() {
        // Differences 1, 2, 3: mean 2, sd 1, se 1/√3, t(0.975, 2) = 4.302653 → half 2.484138.
        let paired = TInterval.paired([0, 0, 0], [1, 2, 3])
        #expect(abs(paired.point - 2) < 1e-12)
        #expect(abs((paired.upper ?? 0) - (2 + 2.484138)) < 1e-5)
        // t = 2√3 = 3.4641 with 2 df: two-sided p = 0.07418 (tables).
        #expect(abs(paired.p - 0.07418) < 1e-4)
        // Welch with equal samples shifted: identical variances 1, n 3 → se √(2/3), df 4.
        let welch = TInterval.welch([1, 2, 3], [2, 3, 4])
        #expect(abs(welch.point - 1) < 1e-12)
        #expect(abs((welch.upper ?? 0) - (1 + 2.776445 * (2.0 / 3).squareRoot())) < 1e-5)
    }

    @Test func thresholdsParseAndNameTheBadKey() throws {
        let parsed = try CheckThresholds.parse("score: 2%\np99_delay_s: 0.05\n", file: "t.yaml")
        #expect(parsed.limits == [.score: .relative(0.02), .p99Delay: .absolute(0.05)])
        #expect(throws: AnalysisError.invalidField("t.yaml:2: p98", "unknown metric (known metrics: \(CheckThresholds.known))")) {
            try CheckThresholds.parse("score: 2%\np98: 1%\n", file: "t.yaml")
        }
        #expect(throws: AnalysisError.self) { try CheckThresholds.parse("score: -2%\n", file: "t.yaml") }
        #expect(throws: AnalysisError.self) { try CheckThresholds.parse("- score\n", file: "t.yaml") }
    }
}
