import GRDB

/// The samples of one metric for one or more arms, read with SQL, ready to bin and draw.
public struct HistogramReport: Sendable, Hashable {
    /// One arm's samples.
    public struct Series: Sendable, Hashable {
        /// The arm name (the filter shown in the header).
        public var name: String
        /// The samples, ascending.
        public var values: [Double]
        /// Rows left out (e.g. undetected trials have no delay).
        public var excluded: Int

        /// Creates a series; sorts the values.
        public init(name: String, values: [Double], excluded: Int = 0) {
            self.name = name
            self.values = values.sorted()
            self.excluded = excluded
        }
    }

    /// The run header (the latest run covered).
    public var run: RunHeader
    /// Every run covered.
    public var runIDs: [Int64]
    /// The metric.
    public var metric: HistogramMetric
    /// One series per arm shown, in arm order.
    public var series: [Series]

    /// Creates a report from parts (tests).
    public init(run: RunHeader, runIDs: [Int64], metric: HistogramMetric, series: [Series]) {
        self.run = run
        self.runIDs = runIDs
        self.metric = metric
        self.series = series
    }

    /// Loads the samples.
    /// - Parameters:
    ///   - reader: a reader of a results database.
    ///   - selector: which run; default `.latest`.
    ///   - allRuns: every run of the experiment, arms grouped by name; default `false`.
    ///   - metric: what to plot.
    ///   - arms: arm names to show; empty (default) = every arm.
    /// - Returns: the report.
    /// - Throws: `AnalysisError` (selection, `.unknownArm`, `.database`).
    public static func load(from reader: any DatabaseReader, selector: RunSelector = .latest, allRuns: Bool = false,
                            metric: HistogramMetric, arms: [String] = []) throws -> HistogramReport {
        try RunScope.read(reader, selector: selector, allRuns: allRuns) { db, runIDs in
            try fetch(db, runIDs: runIDs, metric: metric, arms: arms)
        }
    }

    /// Loads the samples on an open connection.
    /// - Throws: as `load`.
    public static func fetch(_ db: Database, runIDs: [Int64], metric: HistogramMetric,
                             arms: [String] = []) throws -> HistogramReport {
        let ids = runIDs.sorted()
        guard let last = ids.last else { throw AnalysisError.invalidField("runs", "no run selected") }
        let run = try RunHeader.fetch(db, runID: last)
        let all = try ArmGroup.fetchAll(db, runIDs: ids)
        let groups = arms.isEmpty ? all : try arms.map { try ArmGroup.named($0, in: all, runs: ids) }
        let series = try groups.map { group in
            Series(name: group.name,
                   values: try SQLRequest<Double>(literal: metric.valuesSQL(armIDs: group.armIDs)).fetchAll(db),
                   excluded: try metric.excludedSQL(armIDs: group.armIDs).map {
                       try SQLRequest<Int>(literal: $0).fetchOne(db) ?? 0
                   } ?? 0)
        }
        return HistogramReport(run: run, runIDs: ids, metric: metric, series: series)
    }
}
