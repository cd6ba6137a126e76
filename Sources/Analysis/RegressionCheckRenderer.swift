/// Renders `analyze check` as a benchstat-style verdict table.
///
/// ```
/// arm   metric      baseline  candidate  delta     95% CI of delta    p (Holm)  limit  verdict
/// seed  mean_tries  6.0000    12.0000    +100.0%   [+5.9, +6.1]       0.000     5%     REGRESSION
/// ```
/// `~` means no significant change after Holm's adjustment.
public enum RegressionCheckRenderer {
    /// The check as text ending with a newline: a header naming the method, the table, and a
    /// last line `result: …` (pass, or the number of regressions).
    public static func render(_ check: RegressionCheck) -> String {
        var table = TextTable(columns: [
            .init("arm", .left), .init("metric", .left), .init("n"), .init("baseline"), .init("candidate"),
            .init("delta"), .init("95% CI of delta"), .init("p (Holm)"), .init("limit"), .init("verdict", .left),
        ])
        for line in check.lines {
            let f = { (v: Double) in signed(v) }
            let ci = line.lower.flatMap { lo in line.upper.map { "[\(f(lo)), \(f($0))]" } } ?? "-"
            let delta = line.baseline != 0
                ? (line.difference >= 0 ? "+" : "") + (SummaryRenderer.fixed(line.difference / abs(line.baseline) * 100, 1) ?? "-") + "%"
                : f(line.difference)
            table.rows.append([
                line.arm, line.metric.rawValue, String(line.n), SummaryRenderer.fixed(line.baseline, 4) ?? "-",
                SummaryRenderer.fixed(line.candidate, 4) ?? "-", delta, ci, SummaryRenderer.fixed(line.pHolm, 3) ?? "-",
                line.limit.description, line.verdict.rawValue,
            ])
        }
        let method = check.paired
            ? "paired by job (both runs used the same seed): t interval of per-trial differences"
            : "unpaired (different seeds): Welch t interval"
        let regressions = check.lines.filter { $0.verdict == .regression }.count
        var lines = [
            "check candidate run \(check.candidateRun) against baseline run \(check.baselineRun)",
            "means: \(method); percentiles: \(check.paired ? "paired " : "")bootstrap, \(check.resamples) resamples, seed \(check.bootstrapSeed)",
            "family-wise error 5 % (Holm, \(check.lines.count) tests); score weights \(check.weights); delays in seconds over detected trials",
            "",
            table.render(),
            "",
        ]
        if !check.skippedArms.isEmpty {
            lines.append("not checked (arm in one run only): " + check.skippedArms.map(TextEscaping.oneLine).joined(separator: ", "))
        }
        lines.append(regressions == 0
            ? "result: pass (no regression beyond its limit)"
            : "result: FAIL, \(regressions) regression\(regressions == 1 ? "" : "s") beyond the limit")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A number with an explicit sign and 4 decimals.
    static func signed(_ v: Double) -> String {
        (v > 0 ? "+" : "") + (SummaryRenderer.fixed(v, 4) ?? "-")
    }
}
