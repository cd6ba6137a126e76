import Analysis
import Foundation
import GRDB
import Testing
import TraceStore

/// Issue 10, item 3: a detected trial without ground truth (`done_ns` NULL) has NULL delay and ER
/// in the views, and summaries count it separately instead of taking delay = time to detect and
/// ER = 1.
@Suite struct GroundTruthSummaryTests {
    /// One arm, two completed trials: trial 0 start 0, done 1, detect 2, 2 tries (delay 1,
    /// ER 0.5); trial 1 detected at 3 s with 1 try, no ground truth.
    static func fixture() throws -> Fixture {
        let f = try Fixture()
        let run = try f.run(experimentID: try f.experiment("truth"))
        let arm = try f.arm(runID: run, index: 0, name: "a", strategy: "constant")
        try f.trial(armID: arm, index: 0, start: 0, done: 1, detect: 2, outcome: "completed", tries: 2)
        try f.trial(armID: arm, index: 1, start: 0, done: nil, detect: 3, outcome: "completed", tries: 1)
        return f
    }

    @Test func viewsGiveNullDelayAndERAndCountTheTrial() throws {
        let f = try Self.fixture()
        try f.queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT delay_s, er, hr, no_ground_truth FROM trial_metrics ORDER BY trial_index")
            #expect(rows[0]["delay_s"] == 1.0)
            #expect(rows[0]["er"] == 0.5)
            #expect(rows[0]["no_ground_truth"] == 0)
            #expect((rows[1]["delay_s"] as Double?) == nil)
            #expect((rows[1]["er"] as Double?) == nil)
            #expect(rows[1]["hr"] == 1.0)
            #expect(rows[1]["no_ground_truth"] == 1)
            let summary = try #require(try Row.fetchOne(db, sql: "SELECT * FROM arm_summary"))
            #expect(summary["completed"] == 2)
            #expect(summary["no_ground_truth"] == 1)
            #expect(summary["mean_delay_s"] == 1.0)
            #expect(summary["mean_er"] == 0.5)
            #expect(abs((summary["aggregate_hr"] as Double) - 2.0 / 3) < 1e-12)
        }
    }

    /// Tries and HR over both trials (1.5; per-trial HR (1/2 + 1)/2 = 0.75); delay, ER and the
    /// per-trial score over trial 0 alone (1 s, 0.5, 1/2 − 0.5 = 0).
    @Test func summaryCountsTrialsWithoutGroundTruthSeparately() throws {
        let f = try Self.fixture()
        let report = try SummaryReport.load(from: f.queue)
        let arm = report.arms[0]
        #expect(arm.trials == 2)
        #expect(arm.completed == 2)
        #expect(arm.noGroundTruth == 1)
        #expect(arm.meanTries == 1.5)
        #expect(arm.perTrialHitRate == 0.75)
        #expect(arm.meanDelay == 1.0)
        #expect(arm.meanEfficiencyRatio == 0.5)
        #expect(arm.score == 0)
        let text = SummaryRenderer.render(report, format: .table)
        #expect(text.contains("note: detected trials without ground truth (no acceptable run_time; a 1)"))
    }
}
