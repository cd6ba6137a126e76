import Analysis
import Foundation
import Testing

@Suite struct SummaryRendererTests {
    /// A fixed model: the reference arm of `Fixture`, an arm with a comma and a quote in its
    /// name, and an arm with nothing detected.
    static func model(kind: ScoreKind = .perTrial, weights: ScoreWeights = .unit, status: String = "finished") -> SummaryReport {
        SummaryReport(
            run: RunHeader(
                runID: 7, experiment: "seed-headline", mode: "simulated", status: status, seed: "42",
                startedAt: "2025-06-01T12:00:00Z", endedAt: "2025-06-01T12:00:05Z", trialsPerArm: 4,
                gitSHA: "0123456789abcdef0123", gitDirty: true),
            weights: weights, scoreKind: kind,
            arms: [
                ArmSummary(
                    armIndex: 0, name: "seed", strategy: "seed", trials: 4, completed: 2, errored: 1,
                    timedOut: 1, failed: 0, meanTries: 3.5, aggregateHitRate: 3.0 / 14,
                    perTrialHitRate: 31.0 / 120, meanDelay: 1, p50Delay: 1, p90Delay: 1.4, p99Delay: 1.49,
                    meanEfficiencyRatio: 0.625, score: -44.0 / 120, p50LatenessMs: 0.3, p99LatenessMs: 12.34),
                ArmSummary(
                    armIndex: 1, name: "exp, \"fast\"", strategy: "exponential", trials: 10, completed: 10,
                    errored: 0, timedOut: 0, failed: 0, meanTries: 12, aggregateHitRate: 1.0 / 12,
                    perTrialHitRate: 1.0 / 12, meanDelay: 0.0125, p50Delay: 0.01, p90Delay: 0.02,
                    p99Delay: 0.0299, meanEfficiencyRatio: 0.00625, score: 1.0 / 12 - 0.00625),
                ArmSummary(
                    armIndex: 2, name: "stuck", strategy: "constant", trials: 1, completed: 0, errored: 0,
                    timedOut: 0, failed: 1, meanTries: 0, aggregateHitRate: nil, perTrialHitRate: 0,
                    meanDelay: nil, p50Delay: nil, p90Delay: nil, p99Delay: nil,
                    meanEfficiencyRatio: 1, score: -1),
            ])
    }

    @Test func tableGolden() {
        let expected = """
            run 7 | experiment seed-headline | mode simulated | status finished
            seed 42 | started_at 2025-06-01T12:00:00Z | trials per arm 4 | git 0123456789ab (dirty)

            arm          strategy     trials  completed  error  timed_out  failed  mean tries  aggregate HR  per-trial HR  mean delay s  p50 s  p90 s  p99 s  mean ER    score  late p50 ms  late p99 ms
            -----------  -----------  ------  ---------  -----  ---------  ------  ----------  ------------  ------------  ------------  -----  -----  -----  -------  -------  -----------  -----------
            seed         seed              4          2      1          1       0        3.50        0.2143        0.2583         1.000  1.000  1.400  1.490   0.6250  -0.3667          0.3         12.3
            exp, "fast"  exponential      10         10      0          0       0       12.00        0.0833        0.0833         0.013  0.010  0.020  0.030   0.0063   0.0771            -            -
            stuck        constant          1          0      0          0       1        0.00             -        0.0000             -      -      -      -   1.0000  -1.0000            -            -

            aggregate HR = detected trials / all status calls; per-trial HR = mean over trials of 1/tries (0 if not detected)
            delays in seconds over detected trials (p50/p90/p99: Hyndman-Fan type 7); ER = delay / time to detect (1 if not detected)
            late p50/p99 ms = lateness of the status calls, sent - max(asked, previous receive), in ms (0 in simulation; - without asked instants)
            ± = half-width of the 95 % confidence interval of the mean (Student t, n - 1 degrees of freedom)
            score (per-trial kind) = mean over trials of 1*HR - 1*ER, weights (wi, wj) = (1, 1)

            """
        #expect(SummaryRenderer.table(Self.model()) == expected)
        #expect(SummaryRenderer.render(Self.model(), format: .table) == expected)
    }

    @Test func tableFooterNamesTheSeedKindAndUnfinishedRuns() throws {
        let text = SummaryRenderer.table(
            Self.model(kind: .seed, weights: try ScoreWeights(wi: 1, wj: 0.5), status: "interrupted"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "run 7 | experiment seed-headline | mode simulated | status interrupted")
        #expect(lines.suffix(3) == [
            "score (seed kind) = 1*aggregate HR - 0.5*mean ER, weights (wi, wj) = (1, 0.5)",
            "note: run status is interrupted: figures cover the trials recorded so far",
            "",
        ])
    }

    @Test func tableWithoutGitOrArms() {
        var model = Self.model()
        model.run.gitSHA = nil
        model.run.gitDirty = nil
        model.arms = []
        let lines = SummaryRenderer.table(model).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "seed 42 | started_at 2025-06-01T12:00:00Z | trials per arm 4 | git unknown")
        #expect(lines[4].allSatisfy { $0 == "-" || $0 == " " })   // the rule under the titles
        #expect(lines[5] == "(no arms recorded)")
    }

    @Test func csvGolden() {
        let expected = #"""
            run_id,experiment,arm_index,arm,strategy,trials,completed,error,timed_out,failed,mean_tries,aggregate_hr,per_trial_hr,mean_delay_s,p50_delay_s,p90_delay_s,p99_delay_s,mean_er,score_kind,wi,wj,score,mean_tries_ci95,per_trial_hr_ci95,mean_delay_s_ci95,mean_er_ci95,score_ci95,p50_lateness_ms,p99_lateness_ms
            7,seed-headline,0,seed,seed,4,2,1,1,0,3.50,0.2143,0.2583,1.000,1.000,1.400,1.490,0.6250,per-trial,1,1,-0.3667,,,,,,0.3,12.3
            7,seed-headline,1,"exp, ""fast""",exponential,10,10,0,0,0,12.00,0.0833,0.0833,0.013,0.010,0.020,0.030,0.0063,per-trial,1,1,0.0771,,,,,,,
            7,seed-headline,2,stuck,constant,1,0,0,0,1,0.00,,0.0000,,,,,1.0000,per-trial,1,1,-1.0000,,,,,,,

            """#
        #expect(SummaryRenderer.csv(Self.model()) == expected)
        // Every record has as many fields as the header (the quoted comma is not a separator).
        #expect(SummaryRenderer.csvHeader.count == 29)
    }

    @Test func csvQuotingFollowsRFC4180() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        #expect(CSV.field(" padded") == "\" padded\"")
        #expect(CSV.record(["x", "y,z", ""]) == "x,\"y,z\",\n")
    }

    @Test func jsonHasSortedKeysNullsAndFullPrecision() throws {
        let text = SummaryRenderer.json(Self.model(kind: .seed, weights: try ScoreWeights(wi: 1, wj: 2)))
        #expect(text.hasSuffix("}\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["arms", "run", "run_ids", "score_kind", "weights"])
        #expect(object["run_ids"] as? [Int] == [7])
        #expect(object["score_kind"] as? String == "seed")
        let weights = try #require(object["weights"] as? [String: Double])
        #expect(weights == ["wi": 1, "wj": 2])
        let run = try #require(object["run"] as? [String: Any])
        #expect(run["run_id"] as? Int == 7 && run["git_dirty"] as? Bool == true)
        let arms = try #require(object["arms"] as? [[String: Any]])
        #expect(arms.count == 3)
        #expect(arms[0].count == 25)                                  // every key, always
        #expect(arms[0]["no_ground_truth"] as? Int == 0)
        #expect(abs((arms[0]["aggregate_hr"] as? Double ?? 0) - 3.0 / 14) < 1e-15)
        #expect(arms[2]["aggregate_hr"] is NSNull && arms[2]["p50_delay_s"] is NSNull)
        #expect(arms[0]["p99_lateness_ms"] as? Double == 12.34 && arms[2]["p50_lateness_ms"] is NSNull)
        // Stable key order in the text itself: sorted within each object.
        let armKeys = text.split(separator: "\n").filter { $0.hasPrefix("      \"") }
            .prefix(24).map { $0.split(separator: "\"")[1] }
        #expect(armKeys == armKeys.sorted())
        #expect(SummaryRenderer.json(Self.model()) == SummaryRenderer.json(Self.model()))
    }

    @Test func tableShowsConfidenceIntervalsAndSeveralRuns() {
        var model = Self.model()
        model.runIDs = [3, 7]
        model.arms = [model.arms[0]]
        model.arms[0].meanTriesCI = 2.05426
        model.arms[0].meanDelayCI = 0.5
        let lines = SummaryRenderer.table(model).split(separator: "\n")
        #expect(lines[0].hasPrefix("runs 3, 7 (arms grouped by name; header of run 7) | experiment seed-headline"))
        #expect(lines[4].contains("3.50 ±2.05"))
        #expect(lines[4].contains("1.000 ±0.500"))
        #expect(lines[4].contains("0.2583  "))          // per-trial HR without a CI: no ±
    }

    @Test func fixedDecimalsNeverShowNegativeZero() {
        var model = Self.model()
        model.arms = [model.arms[0]]
        model.arms[0].score = -0.00001
        #expect(SummaryRenderer.csv(model).hasSuffix(",per-trial,1,1,0.0000,,,,,,0.3,12.3\n"))
    }
}
