import PollingCore
import Testing

@Suite struct MetricsTests {
    let second: Int64 = 1_000_000_000

    @Test func detectedTrialMetricsMatchHandCalculation() {
        // start 0, done 1.0 s, detect 1.5 s, 3 polls: delay 0.5, ER 0.5/1.5, HR 1/3.
        let m = TrialMetrics(startNanos: 0, doneNanos: second, detectNanos: 3 * second / 2, tries: 3)
        #expect(m.delay == 0.5)
        #expect(abs(m.efficiencyRatio! - 1.0 / 3) < 1e-12)
        #expect(abs(m.hitRate - 1.0 / 3) < 1e-12)
        #expect(abs(m.score(wi: 1, wj: 1)!) < 1e-12)
        #expect(abs(m.score(wi: 2, wj: 1)! - 1.0 / 3) < 1e-12)
    }

    @Test func jobDoneBeforePollingStartedCountsFromStart() {
        // delay = detect − max(done, start) = 2 − 1; ER = 1 / (2 − 1) = 1.
        let m = TrialMetrics(startNanos: second, doneNanos: second / 2, detectNanos: 2 * second, tries: 1)
        #expect(m.delay == 1)
        #expect(m.efficiencyRatio == 1)
        #expect(m.hitRate == 1)
    }

    @Test func detectedTrialWithoutGroundTruthHasNoDelayOrER() {
        // Detected at 1.5 s with 3 polls but no true completion instant: HR 1/3 stands, delay,
        // ER and the per-trial score are unknown (not delay = time to detect and ER = 1).
        let m = TrialMetrics(startNanos: 0, doneNanos: nil, detectNanos: 3 * second / 2, tries: 3)
        #expect(m.lacksGroundTruth)
        #expect(m.delay == nil)
        #expect(m.efficiencyRatio == nil)
        #expect(m.score(wi: 1, wj: 1) == nil)
        #expect(abs(m.hitRate - 1.0 / 3) < 1e-12)
    }

    @Test func undetectedTrialHasErOneAndHitRateZero() {
        let m = TrialMetrics(startNanos: 0, doneNanos: nil, detectNanos: nil, tries: 7)
        #expect(m.delay == nil)
        #expect(m.efficiencyRatio == 1)
        #expect(m.hitRate == 0)
        #expect(m.score(wi: 1, wj: 1) == -1)
    }

    @Test func percentilesUseLinearInterpolationBetweenClosestRanks() {
        // Hyndman–Fan type 7: h = (n − 1)p.
        #expect(Statistics.percentile(sorted: [1, 2, 3, 4], 0.5) == 2.5)
        #expect(abs(Statistics.percentile(sorted: [1, 2, 3, 4], 0.9)! - 3.7) < 1e-12)
        #expect(abs(Statistics.percentile(sorted: [0.5, 1, 1.5], 0.9)! - 1.4) < 1e-12)
        #expect(Statistics.percentile(sorted: [5], 0.99) == 5)
        #expect(Statistics.percentile(sorted: [], 0.5) == nil)
        #expect(Statistics.mean([1, 2, 6]) == 3)
        // Sample sd (n − 1): √(32/7) = 2.13809; the population sd (2) must not pass (issue 10 item 8).
        #expect(abs(Statistics.standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])! - (32.0 / 7).squareRoot()) < 1e-12)
    }

    @Test func trialRecordCountsOnlyStatusCallsAsTries() {
        let calls = [CallRecord(sequence: 0, kind: .create, sentNanos: 0, receivedNanos: 1),
                     CallRecord(sequence: 1, kind: .status, sentNanos: 1, receivedNanos: 2, result: .pending),
                     CallRecord(sequence: 2, kind: .status, sentNanos: 3, receivedNanos: 4, result: .completed)]
        let t = TrialRecord(arm: "a", trialIndex: 0, jobID: "j1", jobSeed: 1, plannedDurationNanos: 2, startNanos: 1,
                            doneNanos: 3, detectNanos: 4, endNanos: 4, outcome: .completed, calls: calls)
        #expect(t.tries == 2)
        #expect(t.metrics.hitRate == 0.5)
    }
}

@Suite struct SmoothingTests {
    @Test func smoothingSpreadsAtomsToTheMidpointsOfTheirNeighbours() throws {
        // Atoms at 1, 2, 4 (mass 1/3 each) → uniform on [1, 1.5], [1.5, 3], [3, 4].
        let d = try DurationDistribution.empirical([1, 2, 4]).smoothed()
        #expect(d.pieces.map { [$0.lower, $0.upper] } == [[1, 1.5], [1.5, 3], [3, 4]])
        #expect(abs(d.mean - (1.25 + 2.25 + 3.5) / 3) < 1e-12)
    }

    @Test func coarseningKeepsGroupMeansAndMass() throws {
        let d = try DurationDistribution.empirical([1, 2, 3, 4, 5, 6]).coarsened(maxAtoms: 3)
        #expect(zip(d.pieces.map(\.lower), [1.5, 3.5, 5.5]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(d.pieces.allSatisfy { abs($0.mass - 1.0 / 3) < 1e-12 })
        #expect(abs(d.mean - 3.5) < 1e-12)
    }
}
