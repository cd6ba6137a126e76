import Analysis
import Foundation
import GRDB
import Testing
import TraceStore

@Suite struct SummaryReportTests {
    /// One run: the reference arm, a fast arm (2 trials, 1 try each), and an arm without trials.
    static func oneRun() throws -> (Fixture, Int64) {
        let f = try Fixture()
        let e = try f.experiment("seed-headline")
        let run = try f.run(experimentID: e)
        try f.referenceArm(runID: run)
        let fast = try f.arm(runID: run, index: 1, name: "one-poll", strategy: "constant")
        // delay 0.4 of 2.4 s → ER 1/6; delay 0 → ER 0.
        try f.trial(armID: fast, index: 0, start: 0, done: 2.0, detect: 2.4, outcome: "completed", tries: 1)
        try f.trial(armID: fast, index: 1, start: 0, done: 2.4, detect: 2.4, outcome: "completed", tries: 1)
        try f.arm(runID: run, index: 2, name: "idle", strategy: "exponential")
        return (f, run)
    }

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    @Test func referenceArmMetricsMatchHandCalculation() throws {
        let (f, run) = try Self.oneRun()
        let report = try SummaryReport.load(from: f.queue)
        #expect(report.run.runID == run)
        #expect(report.arms.map(\.name) == ["seed", "one-poll", "idle"])
        let arm = report.arms[0]
        #expect(arm.trials == 4)
        #expect(arm.completed == 2)
        #expect(arm.errored == 1)
        #expect(arm.timedOut == 1)
        #expect(arm.failed == 0)
        #expect(close(arm.meanTries, 3.5))
        #expect(close(arm.aggregateHitRate, 3.0 / 14.0))                     // 3 detected / 14 calls
        #expect(close(arm.perTrialHitRate, (1.0 / 3 + 1.0 / 2 + 1.0 / 5 + 0) / 4))  // 31/120
        #expect(close(arm.meanDelay, 1.0))                                    // (1.5 + 1 + 0.5) / 3
        #expect(close(arm.p50Delay, 1.0))
        #expect(close(arm.p90Delay, 1.4))                                     // 1 + 0.8 · 0.5
        #expect(close(arm.p99Delay, 1.49))                                    // 1 + 0.98 · 0.5
        #expect(close(arm.meanEfficiencyRatio, 0.625))                        // (.75 + .5 + .25 + 1) / 4
        #expect(close(arm.score, 31.0 / 120 - 0.625))                         // per-trial, (1, 1)
        // tries 3, 2, 5, 4: s = √(5/3) = 1.29099, t(0.975, 3) = 3.18245 → 3.18245 · 1.29099 / 2.
        #expect(close(arm.meanTriesCI, 2.05426, 1e-4))
        // delays 1.5, 1, 0.5: s = 0.5, t(0.975, 2) = 4.30265 → 4.30265 · 0.5 / √3 = 1.24207.
        #expect(close(arm.meanDelayCI, 1.24207, 1e-4))
        // ER 0.75, 0.5, 0.25, 1: s = √(0.3125/3) = 0.32275 → 3.18245 · 0.32275 / 2 = 0.51357.
        #expect(close(arm.meanEfficiencyRatioCI, 0.51357, 1e-4))
    }

    /// Aggregate HR has one definition (issue 10 item 23): the `arm_summary` view, the summary and
    /// the seed-kind sweep give 3 detected / 14 calls for the reference arm and nothing for an idle arm.
    @Test func aggregateHitRateAgreesEverywhere() throws {
        let (f, run) = try Self.oneRun()
        let view = try f.queue.read { db in
            try Double?.fetchAll(db, sql: "SELECT aggregate_hr FROM arm_summary WHERE run_id = ? ORDER BY arm_id", arguments: [run])
        }
        #expect(view == [3.0 / 14, 1.0])
        let summary = try SummaryReport.load(from: f.queue, scoreKind: .seed)
        #expect(summary.arms.map(\.aggregateHitRate) == [3.0 / 14, 1.0, nil])
        let grid = try WeightGrid.parse("1:1:1", field: "wi")
        let sweep = try SweepReport.load(from: f.queue, scoreKind: .seed, wi: grid, wj: grid)
        #expect(sweep.arms.map(\.hitRate) == [3.0 / 14, 1.0])
    }

    @Test func scoresAtBothKindsAndWeights() throws {
        let (f, _) = try Self.oneRun()
        let w12 = try ScoreWeights(wi: 1, wj: 2)
        let perTrial11 = try SummaryReport.load(from: f.queue, weights: .unit, scoreKind: .perTrial)
        let perTrial12 = try SummaryReport.load(from: f.queue, weights: w12, scoreKind: .perTrial)
        let seed11 = try SummaryReport.load(from: f.queue, weights: .unit, scoreKind: .seed)
        let seed12 = try SummaryReport.load(from: f.queue, weights: w12, scoreKind: .seed)
        #expect(close(perTrial11.arms[0].score, -44.0 / 120))    // 31/120 − 75/120
        #expect(close(perTrial12.arms[0].score, -119.0 / 120))   // 31/120 − 150/120
        #expect(close(seed11.arms[0].score, 3.0 / 14 - 0.625))
        #expect(close(seed12.arms[0].score, 3.0 / 14 - 1.25))
        #expect(seed12.scoreKind == .seed && seed12.weights == w12)
        // Second arm: HR 1 on both trials, ERs 1/6 and 0 → per-trial (1, 2) = 1 − 2 · 1/12.
        #expect(close(perTrial12.arms[1].score, 1 - 2.0 / 12))
        #expect(close(seed12.arms[1].score, 1 - 2.0 / 12))
    }

    @Test func secondArmAndArmWithoutTrials() throws {
        let (f, _) = try Self.oneRun()
        let report = try SummaryReport.load(from: f.queue)
        let fast = report.arms[1]
        #expect(fast.trials == 2 && fast.completed == 2)
        #expect(close(fast.aggregateHitRate, 1))
        #expect(close(fast.meanDelay, 0.2))
        #expect(close(fast.p90Delay, 0.36))                     // [0, 0.4]: 0.9 · 0.4
        #expect(close(fast.meanEfficiencyRatio, 1.0 / 12))      // (1/6 + 0) / 2
        let idle = report.arms[2]
        #expect(idle.trials == 0 && idle.completed == 0)
        #expect(idle.meanTries == nil && idle.aggregateHitRate == nil && idle.p50Delay == nil && idle.score == nil)
    }

    @Test func armWithOnlyUndetectedTrials() throws {
        let f = try Fixture()
        let run = try f.run(experimentID: try f.experiment("x"))
        let arm = try f.arm(runID: run, index: 0, name: "stuck", strategy: "constant")
        try f.trial(armID: arm, index: 0, start: 0, done: nil, detect: nil, outcome: "failed", tries: 0)
        try f.trial(armID: arm, index: 1, start: 0, done: 9, detect: nil, outcome: "timed_out", tries: 2)
        let s = try SummaryReport.load(from: f.queue).arms[0]
        #expect(s.failed == 1 && s.timedOut == 1)
        #expect(close(s.aggregateHitRate, 0))        // 0 detected / 2 calls
        #expect(close(s.perTrialHitRate, 0))
        #expect(s.meanDelay == nil && s.p50Delay == nil && s.p99Delay == nil)
        #expect(close(s.meanEfficiencyRatio, 1))
        #expect(close(s.score, -1))
    }

    @Test func provenanceHeader() throws {
        let (f, run) = try Self.oneRun()
        let header = try SummaryReport.load(from: f.queue).run
        #expect(header == RunHeader(
            runID: run, experiment: "seed-headline", mode: "simulated", status: "finished",
            seed: "42", startedAt: "2025-06-01T12:00:00Z", endedAt: nil, trialsPerArm: 4,
            gitSHA: "0123456789abcdef0123", gitDirty: true))
    }

    @Test func summaryTextForAGivenRun() throws {
        let (f, run) = try Self.oneRun()
        let text = try RunSummary.summaryText(reader: f.queue, runID: run)
        #expect(text.hasPrefix("run \(run) | experiment seed-headline"))
        #expect(text.contains("0.2143"))   // aggregate HR 3/14
        #expect(text.contains("0.2583"))   // per-trial HR 31/120
        #expect(throws: AnalysisError.unknownRun(id: run + 1, latest: run)) {
            try RunSummary.summaryText(reader: f.queue, runID: run + 1)
        }
    }

    @Test func allRunsOfAnExperimentAreGroupedByArmName() throws {
        let (f, first) = try Self.oneRun()
        let e = try f.queue.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM experiment") }!
        let second = try f.run(experimentID: e)
        let arm = try f.arm(runID: second, index: 0, name: "seed", strategy: "seed")
        try f.trial(armID: arm, index: 0, start: 0, done: 1, detect: 1, outcome: "completed", tries: 1)
        let report = try SummaryReport.load(from: f.queue, selector: .experiment("seed-headline"), allRuns: true)
        #expect(report.runIDs == [first, second] && report.run.runID == second)
        #expect(report.arms.map(\.name) == ["seed", "one-poll", "idle"])
        #expect(report.arms[0].trials == 5)                      // 4 + 1
        #expect(close(report.arms[0].meanTries, 15.0 / 5))       // (14 + 1) / 5
        #expect(close(report.arms[0].aggregateHitRate, 4.0 / 15))
        let latestOnly = try SummaryReport.load(from: f.queue, selector: .experiment("seed-headline"))
        #expect(latestOnly.runIDs == [second] && latestOnly.arms.map(\.trials) == [1])
    }

    @Test func loadsThroughATraceDatabaseOpenedReadOnly() throws {
        let (f, run) = try Self.oneRun()
        let database = try TraceDatabase.openReadOnly(path: f.path)
        let report = try SummaryReport.load(from: database.reader, selector: .experiment("seed-headline"))
        #expect(report.run.runID == run)
        #expect(report.arms.map(\.trials) == [4, 2, 0])
    }
}
