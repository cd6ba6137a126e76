import GRDB

/// The HTML report of an experiment (`analyze report --format html`): one self-contained file
/// (inline SVG and CSS; no script, font, image or network access) with the provenance and
/// summary tables of the Markdown report and six plots (`ECDFChart`, `TriesChart`,
/// `ParetoChart`, `TimelineChart`, `WinnerHeatMap`, `IntervalChart`).
///
/// A pure function of the database, like `ExperimentReport`: the same database gives the same
/// bytes. Large runs are summarised deterministically (quantile points for the CDFs, a fixed
/// sample of trials for the timeline), so the file stays small.
public enum HTMLReport {
    /// Renders the report of an experiment.
    /// - Parameters:
    ///   - reader: a results database.
    ///   - experiment: the experiment name.
    ///   - options: as for the Markdown report.
    /// - Returns: the HTML document, ending with a newline.
    /// - Throws: `AnalysisError` (unknown experiment, no runs, `.database`).
    public static func render(reader: any DatabaseReader, experiment: String,
                              options: ExperimentReport.Options = .init()) throws -> String {
        try ExperimentReport.read(reader, experiment: experiment, options: options) { db, runIDs in
            try render(db, runIDs: runIDs, options: options)
        }
    }

    static let style = """
        body{font-family:sans-serif;max-width:980px;margin:24px auto;padding:0 12px;color:#111;background:#fff}
        h1{font-size:22px}h2{font-size:17px;margin-top:28px}
        table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #bbb;padding:2px 6px;text-align:left}
        pre{font-size:11px;background:#f6f6f6;padding:8px;overflow-x:auto}
        figure{margin:18px 0}figcaption{font-size:12px;color:#333;max-width:640px}
        """

    static func render(_ db: Database, runIDs: [Int64], options: ExperimentReport.Options) throws -> String {
        let summary = try SummaryReport.fetch(db, runIDs: runIDs, weights: options.weights, scoreKind: .perTrial)
        let title = "PollLab report: experiment " + summary.run.experiment
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<title>\(TextEscaping.html(title))</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n"
        out += "<h1>\(TextEscaping.html(title))</h1>\n<h2>Provenance</h2>\n<table>\n<tr>"
        out += ExperimentReport.provenanceColumns.map { "<th>\(TextEscaping.html($0))</th>" }.joined() + "</tr>\n"
        for row in try ExperimentReport.provenanceCells(db, runIDs: runIDs) {
            out += "<tr>" + row.map { "<td>\(TextEscaping.html($0))</td>" }.joined() + "</tr>\n"
        }
        out += "</table>\n<h2>Summary (means with 95 % confidence intervals)</h2>\n"
        out += "<pre>\(preformatted(SummaryRenderer.table(summary)))</pre>\n<h2>Plots</h2>\n"
        for (svg, caption) in try plots(db, runIDs: runIDs, summary: summary, options: options) {
            out += "<figure class=\"plot\">\n\(svg)\n<figcaption>\(TextEscaping.html(caption))</figcaption>\n</figure>\n"
        }
        out += try TuningTable.htmlSection(db, experiment: summary.run.experiment)
        return out + "</body>\n</html>\n"
    }

    /// Multi-line text for a `<pre>` block: each line through `TextEscaping.html`.
    static func preformatted(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { TextEscaping.html(String($0)) }
            .joined(separator: "\n")
    }

    /// The plots with their captions, in report order.
    static func plots(_ db: Database, runIDs: [Int64], summary: SummaryReport,
                      options: ExperimentReport.Options) throws -> [(String, String)] {
        var plots: [(String, String)] = []
        let delays = try HistogramReport.fetch(db, runIDs: runIDs, metric: .delay)
        plots.append((ECDFChart.render(delays.series.map { .init(name: $0.name, values: $0.values) }),
                      "Delay (detection instant minus the job's true completion), detected trials only; curves further left are better."))
        let tries = try HistogramReport.fetch(db, runIDs: runIDs, metric: .tries)
        plots.append((TriesChart.render(tries.series.map { .init(name: $0.name, tries: $0.values.map { Int($0) }) }),
                      "Status calls per trial, as a fraction of each arm's trials."))
        let points = summary.arms.compactMap { arm -> ParetoChart.Point? in
            guard let tries = arm.meanTries, let delay = arm.meanDelay else { return nil }
            return .init(name: arm.name, meanTries: tries, meanDelay: delay, trials: arm.trials)
        }
        plots.append((ParetoChart.render(points),
                      "An arm on the Pareto front is beaten on both axes by no other arm."))
        let groups = try ArmGroup.fetchAll(db, runIDs: runIDs)
        plots.append((TimelineChart.render(try timeline(db, groups: groups), armNames: groups.map(\.name)),
                      "Open circles: pending responses; filled: the final response; black bar: the job's true completion instant."))
        let sweep = try SweepReport.fetch(db, runIDs: runIDs, scoreKind: .perTrial, wi: options.wi, wj: options.wj)
        plots.append((WinnerHeatMap.render(sweep), "Which arm has the best per-trial score at each pair of weights."))
        if let best = ExperimentReport.bestArm(summary), let bestGroup = groups.first(where: { $0.name == best.name }) {
            let scored = Set(summary.arms.filter { $0.score != nil }.map(\.name))
            var rows: [IntervalChart.Row] = []
            for (index, other) in groups.enumerated() where other.name != best.name && scored.contains(other.name) {
                let comparison = try Comparison.fetch(db, a: bestGroup, b: other, labels: (best.name, other.name),
                                                      paired: true, weights: options.weights, minEffect: options.minEffect)
                guard let line = comparison.lines.first(where: { $0.metric == .score }) else { continue }
                rows.append(.init(name: other.name, armIndex: index, difference: line.difference, lower: line.lower,
                                  upper: line.upper, n: line.n))
            }
            if !rows.isEmpty {
                plots.append((IntervalChart.render(rows, best: best.name, weights: options.weights),
                              "Below 0: worse than the best arm; an interval that excludes 0 is a significant difference."))
            }
        }
        return plots
    }

    /// The timeline sample: the first `TimelineChart.perArm` trials by `trial_index` of each arm
    /// group, with their status responses (receive instants) and true completion, in seconds
    /// from the trial's start.
    static func timeline(_ db: Database, groups: [ArmGroup]) throws -> [TimelineChart.Trial] {
        var trials: [TimelineChart.Trial] = []
        for (armIndex, group) in groups.enumerated() {
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, trial_index, start_ns, done_ns FROM trial WHERE arm_id IN (\(group.armIDs.map(String.init).joined(separator: ",")))
                ORDER BY trial_index, arm_id LIMIT \(TimelineChart.perArm)
                """)
            for row in rows {
                let start: Int64 = row[2]
                let done: Int64? = row[3]
                let calls = try Row.fetchAll(db, sql: """
                    SELECT received_ns, result FROM api_call WHERE trial_id = ? AND kind = 'status' ORDER BY seq
                    """, arguments: [row[0] as Int64])
                trials.append(.init(
                    arm: group.name, armIndex: armIndex, trialIndex: row[1],
                    polls: calls.map { Double(($0[0] as Int64) - start) / 1e9 },
                    final: calls.map { ($0[1] as String?).map { $0 == "completed" || $0 == "error" } ?? false },
                    done: done.map { Double($0 - start) / 1e9 }))
            }
        }
        return trials
    }
}
