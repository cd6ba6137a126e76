import GRDB

/// The complete Markdown report of an experiment (`analyze report`): provenance, summary with
/// confidence intervals, delay and tries histograms, the weight-sweep map, and paired
/// comparisons of every arm against the best one.
///
/// A pure function of the database: no clock, no host facts of the machine that renders it, so
/// the same database gives a byte-identical report.
public enum ExperimentReport {
    /// Options of the report.
    public struct Options: Sendable, Hashable {
        /// Cover every run of the experiment (arms grouped by name) instead of its latest run.
        public var allRuns: Bool
        /// Weights of the summary score and of "best arm".
        public var weights: ScoreWeights
        /// The sweep grid.
        public var wi: WeightGrid
        public var wj: WeightGrid
        /// Minimum relative effect for a comparison verdict.
        public var minEffect: Double

        /// Defaults: latest run, weights (1, 1), grid 0:3:0.25 on both axes, 5 % minimum effect.
        public init(allRuns: Bool = false, weights: ScoreWeights = .unit, wi: WeightGrid? = nil,
                    wj: WeightGrid? = nil, minEffect: Double = 0.05) {
            self.allRuns = allRuns
            self.weights = weights
            // The literal is valid, so parsing cannot fail.
            let grid = (try? WeightGrid.parse("0:3:0.25", field: "grid"))!
            self.wi = wi ?? grid
            self.wj = wj ?? grid
            self.minEffect = minEffect
        }
    }

    /// Renders the report of an experiment.
    /// - Parameters:
    ///   - reader: a reader of a results database.
    ///   - experiment: the experiment name.
    ///   - options: see `Options`.
    /// - Returns: Markdown text ending with a newline.
    /// - Throws: `AnalysisError` (unknown experiment, no runs, `.database`).
    public static func render(reader: any DatabaseReader, experiment: String, options: Options = Options()) throws -> String {
        try read(reader, experiment: experiment, options: options) { db, runIDs in
            try render(db, runIDs: runIDs, options: options)
        }
    }

    /// Reads with the runs a report of `experiment` covers (its latest, or all with
    /// `options.allRuns`), turning SQLite errors into `AnalysisError.database` (Markdown and HTML
    /// reports).
    static func read<T>(_ reader: any DatabaseReader, experiment: String, options: Options,
                        _ body: (Database, [Int64]) throws -> T) throws -> T {
        let name = reader.path
        do {
            return try reader.read { db in
                let scope = try RunScope.resolve(db, selector: .experiment(experiment), allRuns: options.allRuns,
                                                 databaseName: name)
                return try body(db, scope.all)
            }
        } catch let error as DatabaseError {
            throw AnalysisError.database(error.message ?? error.description)
        }
    }

    static func render(_ db: Database, runIDs: [Int64], options: Options) throws -> String {
        let summary = try SummaryReport.fetch(db, runIDs: runIDs, weights: options.weights, scoreKind: .perTrial)
        var out = "# PollLab report: experiment \(TextEscaping.markdown(summary.run.experiment))\n\n"
        out += "## Provenance\n\n" + (try provenance(db, runIDs: runIDs)) + "\n"
        out += "## Summary (means with 95 % confidence intervals)\n\n" + codeBlock(SummaryRenderer.table(summary))
        let style = HistogramStyle(width: 80, unicode: true, color: false)
        for metric in [HistogramMetric.delay, .tries] {
            let histogram = try HistogramReport.fetch(db, runIDs: runIDs, metric: metric)
            let binning = try Binning.make(values: histogram.series.flatMap(\.values), bins: nil, log: false,
                                           discrete: metric.isDiscrete, range: nil)
            out += "## Histogram of \(metric.rawValue)\n\n"
                + codeBlock(HistogramRenderer.render(histogram, binning: binning, style: style))
        }
        let sweep = try SweepReport.fetch(db, runIDs: runIDs, scoreKind: .perTrial, wi: options.wi, wj: options.wj)
        out += "## Weight sweep (per-trial score)\n\n" + codeBlock(SweepRenderer.map(sweep))
        out += try TuningTable.markdownSection(db, experiment: summary.run.experiment)
        out += "## Comparisons against the best arm\n\n"
        let scored = summary.arms.filter { $0.score != nil }
        guard let best = bestArm(summary) else {
            return out + "No arm has trials.\n"
        }
        out += "Best arm by per-trial score at weights (\(options.weights)): **\(TextEscaping.markdown(best.name))**.\n\n"
        let groups = try ArmGroup.fetchAll(db, runIDs: runIDs)
        guard let bestGroup = groups.first(where: { $0.name == best.name }) else { return out }
        let scoredNames = Set(scored.map(\.name))
        let others = groups.filter { $0.name != best.name && scoredNames.contains($0.name) }
        if others.isEmpty { return out + "The experiment has a single arm: nothing to compare.\n" }
        for other in others {
            let comparison = try Comparison.fetch(db, a: bestGroup, b: other, labels: (best.name, other.name),
                                                  paired: true, weights: options.weights, minEffect: options.minEffect)
            out += codeBlock(comparison.render())
        }
        return out
    }

    /// The arm with the highest per-trial score (ties: the earlier arm), `nil` when no arm has one.
    static func bestArm(_ summary: SummaryReport) -> ArmSummary? {
        summary.arms.filter { $0.score != nil }
            .max(by: { ($0.score ?? 0, -$0.armIndex) < ($1.score ?? 0, -$1.armIndex) })
    }

    /// `text` (ending with a newline) as a fenced `text` code block that nothing inside can close.
    static func codeBlock(_ text: String) -> String {
        let fence = TextEscaping.markdownFence(for: text)
        return fence + "text\n" + text + fence + "\n\n"
    }

    /// One `run` row as the provenance table shows it.
    struct ProvenanceRow: Decodable, FetchableRecord {
        var id: Int64
        var status: String
        var mode: String
        var seed: String
        var trialsPerArm: Int64
        var concurrency: Int64
        var startedAt: String
        var endedAt: String?
        var gitSHA: String?
        var gitDirty: Bool?
        var host: String
        var toolchain: String
        var configHash: String
        enum CodingKeys: String, CodingKey {
            case id, status, mode, seed, trialsPerArm = "trials_per_arm", concurrency, startedAt = "started_at"
            case endedAt = "ended_at", gitSHA = "git_sha", gitDirty = "git_dirty", host, toolchain, configHash = "config_hash"
        }
    }

    /// The provenance table: one row per run.
    static func provenance(_ db: Database, runIDs: [Int64]) throws -> String {
        var text = "| " + provenanceColumns.joined(separator: " | ") + " |\n"
        text += "|" + String(repeating: " --- |", count: provenanceColumns.count) + "\n"
        for cells in try provenanceCells(db, runIDs: runIDs) {
            text += "| " + cells.map(TextEscaping.markdown).joined(separator: " | ") + " |\n"
        }
        return text
    }

    /// The provenance table's column titles (Markdown and HTML reports).
    static let provenanceColumns = [
        "run", "status", "mode", "seed", "trials/arm", "concurrency", "started_at (UTC)", "ended_at", "git sha",
        "host", "toolchain", "config hash",
    ]

    /// The provenance table's cells, unescaped: one row per run.
    static func provenanceCells(_ db: Database, runIDs: [Int64]) throws -> [[String]] {
        let rows = try SQLRequest<ProvenanceRow>(literal: """
            SELECT id, status, mode, seed, trials_per_arm, concurrency, started_at, ended_at, git_sha, git_dirty,
                   host, toolchain, config_hash
            FROM run WHERE id IN \(runIDs) ORDER BY id
            """).fetchAll(db)
        return rows.map { row in
            let git = row.gitSHA.map { String($0.prefix(12)) + (row.gitDirty == true ? " (dirty)" : "") } ?? "unknown"
            return [
                String(row.id), row.status, row.mode, row.seed, String(row.trialsPerArm), String(row.concurrency),
                row.startedAt, row.endedAt ?? "-", git, row.host, row.toolchain, row.configHash,
            ]
        }
    }
}
