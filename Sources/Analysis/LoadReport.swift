import GRDB
import Yams

/// `analyze load` (issue 12 item 7): status calls per time bucket of each arm of one run
/// (`LoadSeries`), with the server's capacity per bucket (`rate × bucket`) when the run's
/// experiment file configures a rate limit (`server.capacity.rate`). Render with `LoadRenderer`.
public struct LoadReport: Sendable, Hashable {
    /// One arm's series.
    public struct Series: Sendable, Hashable {
        /// The arm name.
        public var name: String
        /// Status calls sent in bucket `i`, from bucket 0 to the arm's last non-empty bucket.
        public var counts: [Int]

        public init(name: String, counts: [Int]) {
            self.name = name
            self.counts = counts
        }
    }

    /// The run.
    public var run: RunHeader
    /// The bucket width in seconds.
    public var bucket: Double
    /// Requests the server admits per bucket at its configured rate (`rate × bucket`); `nil`
    /// when the run's `server:` section has no `capacity.rate`.
    public var capacity: Double?
    /// One series per arm, in `arm_index` order.
    public var series: [Series]

    public init(run: RunHeader, bucket: Double, capacity: Double?, series: [Series]) {
        self.run = run
        self.bucket = bucket
        self.capacity = capacity
        self.series = series
    }

    /// Loads the load series of one run.
    /// - Parameters:
    ///   - reader: a results database.
    ///   - selector: which run; default `.latest`.
    ///   - bucket: the bucket width in seconds, finite and > 0 (default 0.1, the `server_load` buckets).
    /// - Returns: the report.
    /// - Throws: `AnalysisError.invalidField("bucket", …)` for a bad width; selection errors;
    ///   `.database`.
    public static func load(from reader: any DatabaseReader, selector: RunSelector = .latest,
                            bucket: Double = 0.1) throws -> LoadReport {
        guard bucket.isFinite, bucket > 0, bucket <= 3600 else {
            throw AnalysisError.invalidField("bucket", "must be a number of seconds > 0 and <= 3600, e.g. 0.1; got \(bucket)")
        }
        let nanos = max(1, Int64((bucket * 1e9).rounded()))
        return try RunScope.read(reader, selector: selector, allRuns: false) { db, runIDs in
            let run = try RunHeader.fetch(db, runID: runIDs[0])
            let groups = try ArmGroup.fetchAll(db, runIDs: runIDs)
            let counts = try LoadSeries.counts(db, armIDs: groups.flatMap(\.armIDs), bucketNanos: nanos)
            let series = groups.map { group in
                let buckets = group.armIDs.compactMap { counts[$0] }.reduce(into: [Int64: Int]()) { sum, one in
                    sum.merge(one, uniquingKeysWith: +)
                }
                let last = buckets.keys.max() ?? -1
                return Series(name: group.name, counts: last < 0 ? [] : (0...last).map { buckets[$0] ?? 0 })
            }
            let config = try String.fetchOne(db, sql: "SELECT config_text FROM run WHERE id = ?", arguments: [runIDs[0]]) ?? ""
            return LoadReport(run: run, bucket: bucket, capacity: rate(config).map { $0 * bucket }, series: series)
        }
    }

    /// `server.capacity.rate` of an experiment file's text, or `nil` (absent, or not a number).
    static func rate(_ config: String) -> Double? {
        guard let node = try? Yams.compose(yaml: config),
              let rate = node["server"]?["capacity"]?["rate"]?.float, rate.isFinite, rate > 0 else { return nil }
        return rate
    }
}
