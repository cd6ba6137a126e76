import GRDB

/// One-call entry point for printing a run's summary (used by `experiment run` at the end of
/// a run and by `analyze summary`).
public enum RunSummary {
    /// Loads and renders the summary of one run.
    /// - Parameters:
    ///   - reader: any GRDB reader of a results database (e.g. `TraceDatabase.reader`).
    ///   - runID: `run.id`.
    ///   - weights: score weights `(wi, wj)`; default `(1, 1)`.
    ///   - scoreKind: score formula; default `.perTrial`.
    ///   - format: output format; default `.table`.
    /// - Returns: the rendered summary, ending with a newline.
    /// - Throws: `AnalysisError` (`.unknownRun`, or `.database` wrapping an SQLite error).
    public static func summaryText(
        reader: any DatabaseReader, runID: Int64, weights: ScoreWeights = .unit,
        scoreKind: ScoreKind = .perTrial, format: SummaryFormat = .table
    ) throws -> String {
        let report = try SummaryReport.load(
            from: reader, selector: .run(runID), weights: weights, scoreKind: scoreKind)
        return SummaryRenderer.render(report, format: format)
    }
}
