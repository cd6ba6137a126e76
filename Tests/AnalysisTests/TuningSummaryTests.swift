import Analysis
import Foundation
import Testing
import TraceStore

@Suite struct TuningSummaryTests {
    static func provenance(objective: String = "score", bound: Double? = nil) -> TuningProvenance {
        TuningProvenance(experimentName: "x", workloadHash: "h", workload: "w", objective: objective, wi: 1, wj: 1,
                         sloP99Delay: bound, budget: 4, seed: 1, optimalScore: 0.9, createdAt: Date(timeIntervalSince1970: 0),
                         gitSHA: nil, gitDirty: nil, host: "h", toolchain: "t")
    }

    static func family(_ name: String, _ scores: [Double], calls: [Double] = [1, 1, 1, 1],
                       delays: [Double] = [0, 0, 0, 0], exact: Double? = nil) -> TuningSummary.Family {
        .init(name: name, strategy: name, parametersJSON: "{}",
              candidates: [.init(label: name, exactScore: exact, scores: scores, calls: calls, delays: delays)],
              sensitivity: [], armYAML: "- name: \(name)", sdk: [], evaluations: 1)
    }

    /// Differences (0.1, −0.1, 0.1, −0.1): mean 0, so the 95 % interval contains 0 → tied.
    /// Differences (0.5, 0.5, 0.6, 0.4): mean 0.5, sd 0.0816, t(0.975, 3) = 3.182, interval
    /// 0.5 ± 0.130 = [0.370, 0.630] → not tied.
    @Test func constructedTies() throws {
        let a = [1.0, 0.0, 1.0, 0.0]
        #expect(TuningSummary.tied(a, [1.1, -0.1, 1.1, -0.1]))
        let far = [1.5, 0.5, 1.6, 0.4]
        #expect(!TuningSummary.tied(a, far))
        let d = try #require(TuningSummary.pairedDifference(a, far))
        #expect(abs(d.lower! - 0.370) < 0.002 && abs(d.upper! - 0.630) < 0.002)

        let summary = TuningSummary(provenance: Self.provenance(), optimal: nil, families: [
            Self.family("a", a), Self.family("b", [1.1, -0.1, 1.1, -0.1]), Self.family("c", [0.5, -0.5, 0.6, -0.6]),
        ])
        let records = summary.records()
        // Means: a 0.5, b 0.5 (ranked after a by order), c 0.0; a and b tied, c not.
        #expect(records.map(\.family) == ["a", "b", "c"])
        #expect(records.map(\.tiedWithBest) == [true, true, false])
        #expect(records[0].gapToOptimal.map { abs($0 - (0.5 - 0.9)) < 1e-12 } == true)
        #expect(summary.render().contains("1  a"))
    }

    /// SLO: a family whose p99 upper bound misses the bound ranks after a feasible one even with
    /// fewer calls; with fewer than 299 trials there is no bound, so none is feasible.
    @Test func sloRanking() {
        let n = 300
        let ok = Self.family("ok", Array(repeating: 0, count: n), calls: Array(repeating: 3, count: n),
                             delays: Array(repeating: 0.1, count: n))
        let cheap = Self.family("cheap", Array(repeating: 0, count: n), calls: Array(repeating: 1, count: n),
                                delays: Array(repeating: 0.1, count: n - 1) + [.infinity])
        let summary = TuningSummary(provenance: Self.provenance(objective: "slo", bound: 0.5), optimal: nil, families: [cheap, ok])
        let records = summary.records()
        #expect(records.map(\.family) == ["ok", "cheap"])
        #expect(records[1].p99DelayUpperBound == .infinity)
        #expect(TuningSummary.p99(Array(repeating: 0.1, count: n - 1) + [.infinity]).upperBound == .infinity)
    }
}
