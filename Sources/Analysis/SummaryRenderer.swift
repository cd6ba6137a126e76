import Foundation

/// Renders a `SummaryReport` as text: a pure function of the report (golden-testable).
///
/// Table and CSV numbers use fixed decimals: tries 2, HR 4, delays 3 (seconds), ER 4, score 4,
/// lateness 1 (milliseconds);
/// an undefined value is `-` in the table and an empty field in CSV. JSON keeps full precision.
public enum SummaryRenderer {
    /// Renders the report in the given format.
    /// - Parameters:
    ///   - report: the report.
    ///   - format: table, CSV or JSON.
    /// - Returns: the text, ending with a newline.
    public static func render(_ report: SummaryReport, format: SummaryFormat) -> String {
        switch format {
        case .table: return table(report)
        case .csv: return csv(report)
        case .json: return json(report)
        }
    }

    /// The summary as an aligned text table under a two-line provenance header, with a footer
    /// explaining the HR kinds, the delay statistics and the score.
    /// - Parameter report: the report.
    /// - Returns: the text, ending with a newline.
    public static func table(_ report: SummaryReport) -> String {
        let run = report.run
        let git = run.gitSHA.map { String($0.prefix(12)) + (run.gitDirty == true ? " (dirty)" : "") } ?? "unknown"
        let first = report.runIDs.count > 1
            ? "runs \(report.runIDs.map(String.init).joined(separator: ", ")) (arms grouped by name; header of run \(run.runID))"
                + " | experiment \(run.experiment) | mode \(run.mode) | status \(run.status)"
            : "run \(run.runID) | experiment \(run.experiment) | mode \(run.mode) | status \(run.status)"
        var lines = [
            first,
            "seed \(run.seed) | started_at \(run.startedAt) | trials per arm \(run.trialsPerArm) | git \(git)",
            "",
        ]
        var table = TextTable(columns: [
            .init("arm", .left), .init("strategy", .left), .init("trials"), .init("completed"),
            .init("error"), .init("timed_out"), .init("failed"), .init("mean tries"),
            .init("aggregate HR"), .init("per-trial HR"), .init("mean delay s"), .init("p50 s"),
            .init("p90 s"), .init("p99 s"), .init("mean ER"), .init("score"),
            .init("late p50 ms"), .init("late p99 ms"),
        ])
        table.rows = report.arms.map { arm in
            [arm.name, arm.strategy, String(arm.trials), String(arm.completed), String(arm.errored),
             String(arm.timedOut), String(arm.failed)]
                + tableNumbers(arm) + [fixed(arm.p50LatenessMs, 1) ?? "-", fixed(arm.p99LatenessMs, 1) ?? "-"]
        }
        lines.append(table.render())
        if report.arms.isEmpty { lines.append("(no arms recorded)") }
        lines.append("")
        lines += footer(report)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary as CSV: a header row, then one row per arm (RFC 4180 quoting).
    /// Columns: run_id, experiment, arm_index, arm, strategy, trials, completed, error,
    /// timed_out, failed, mean_tries, aggregate_hr, per_trial_hr, mean_delay_s, p50_delay_s,
    /// p90_delay_s, p99_delay_s, mean_er, score_kind, wi, wj, score, then the 95 % CI half-widths
    /// mean_tries_ci95, per_trial_hr_ci95, mean_delay_s_ci95, mean_er_ci95, score_ci95, then the
    /// lateness percentiles p50_lateness_ms, p99_lateness_ms.
    /// - Parameter report: the report.
    /// - Returns: the text, each record ending with `\n`.
    public static func csv(_ report: SummaryReport) -> String {
        var text = CSV.record(csvHeader)
        for arm in report.arms {
            let n = numbers(arm).map { $0 ?? "" }
            text += CSV.record(
                [String(report.run.runID), report.run.experiment, String(arm.armIndex), arm.name,
                 arm.strategy, String(arm.trials), String(arm.completed), String(arm.errored),
                 String(arm.timedOut), String(arm.failed)]
                    + n.dropLast()
                    + [report.scoreKind.rawValue, ScoreWeights.format(report.weights.wi),
                       ScoreWeights.format(report.weights.wj), n.last ?? ""]
                    + [fixed(arm.meanTriesCI, 2), fixed(arm.perTrialHitRateCI, 4), fixed(arm.meanDelayCI, 3),
                       fixed(arm.meanEfficiencyRatioCI, 4), fixed(arm.scoreCI, 4),
                       fixed(arm.p50LatenessMs, 1), fixed(arm.p99LatenessMs, 1)].map { $0 ?? "" })
        }
        return text
    }

    /// The CSV header row's fields.
    public static let csvHeader = [
        "run_id", "experiment", "arm_index", "arm", "strategy", "trials", "completed", "error",
        "timed_out", "failed", "mean_tries", "aggregate_hr", "per_trial_hr", "mean_delay_s",
        "p50_delay_s", "p90_delay_s", "p99_delay_s", "mean_er", "score_kind", "wi", "wj", "score",
        "mean_tries_ci95", "per_trial_hr_ci95", "mean_delay_s_ci95", "mean_er_ci95", "score_ci95",
        "p50_lateness_ms", "p99_lateness_ms",
    ]

    /// The report as pretty-printed JSON with sorted keys: `{"arms": [...], "run": {...},
    /// "score_kind": "per-trial", "weights": {"wi": 1, "wj": 1}}`; every key present,
    /// `null` for undefined values.
    /// - Parameter report: the report.
    /// - Returns: the JSON text, ending with a newline.
    public static func json(_ report: SummaryReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // The report holds only strings, integers, booleans and finite or nil numbers (SQLite
        // has no NaN), so encoding cannot fail; a failure would be a programming error.
        guard let data = try? encoder.encode(report) else {
            preconditionFailure("SummaryReport is always encodable")
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The footer lines: what each kind of HR, the delays and the score mean.
    static func footer(_ report: SummaryReport) -> [String] {
        let wi = ScoreWeights.format(report.weights.wi)
        let wj = ScoreWeights.format(report.weights.wj)
        let score: String
        switch report.scoreKind {
        case .perTrial:
            score = "score (per-trial kind) = mean over trials of \(wi)*HR - \(wj)*ER, weights (wi, wj) = (\(wi), \(wj))"
        case .seed:
            score = "score (seed kind) = \(wi)*aggregate HR - \(wj)*mean ER, weights (wi, wj) = (\(wi), \(wj))"
        }
        var lines = [
            "aggregate HR = detected trials / all status calls; per-trial HR = mean over trials of 1/tries (0 if not detected)",
            "delays in seconds over detected trials (p50/p90/p99: Hyndman-Fan type 7); ER = delay / time to detect (1 if not detected)",
            "late p50/p99 ms = lateness of the status calls, sent - max(asked, previous receive), in ms (0 in simulation; - without asked instants)",
            "± = half-width of the 95 % confidence interval of the mean (Student t, n - 1 degrees of freedom)",
            score,
        ]
        if report.run.status != "finished" {
            lines.append("note: run status is \(report.run.status): figures cover the trials recorded so far")
        }
        let withoutTruth = report.arms.filter { $0.noGroundTruth > 0 }
        if !withoutTruth.isEmpty {
            let counts = withoutTruth.map { "\(TextEscaping.oneLine($0.name)) \($0.noGroundTruth)" }.joined(separator: ", ")
            lines.append("note: detected trials without ground truth (no acceptable run_time; \(counts)) count in the "
                         + "outcomes, tries and HR but not in delay, ER or score")
        }
        return lines
    }

    /// The formatted numeric cells of an arm, in table order: mean tries, aggregate HR,
    /// per-trial HR, mean delay, p50, p90, p99, mean ER, score; `nil` when undefined.
    static func numbers(_ arm: ArmSummary) -> [String?] {
        [fixed(arm.meanTries, 2), fixed(arm.aggregateHitRate, 4), fixed(arm.perTrialHitRate, 4),
         fixed(arm.meanDelay, 3), fixed(arm.p50Delay, 3), fixed(arm.p90Delay, 3),
         fixed(arm.p99Delay, 3), fixed(arm.meanEfficiencyRatio, 4), fixed(arm.score, 4)]
    }

    /// The table's numeric cells: means with `±` and the 95 % half-width where defined.
    static func tableNumbers(_ arm: ArmSummary) -> [String] {
        func withCI(_ value: Double?, _ ci: Double?, _ decimals: Int) -> String {
            guard let text = fixed(value, decimals) else { return "-" }
            guard let ci = fixed(ci, decimals) else { return text }
            return text + " ±" + ci
        }
        let n = numbers(arm).map { $0 ?? "-" }
        return [withCI(arm.meanTries, arm.meanTriesCI, 2), n[1],
                withCI(arm.perTrialHitRate, arm.perTrialHitRateCI, 4),
                withCI(arm.meanDelay, arm.meanDelayCI, 3), n[4], n[5], n[6],
                withCI(arm.meanEfficiencyRatio, arm.meanEfficiencyRatioCI, 4),
                withCI(arm.score, arm.scoreCI, 4)]
    }

    /// `value` with `decimals` fixed decimals (`-0.0000` is shown as `0.0000`); `nil` stays `nil`.
    static func fixed(_ value: Double?, _ decimals: Int) -> String? {
        guard let value, value.isFinite else { return nil }
        let text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }
}
