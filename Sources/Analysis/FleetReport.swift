import GRDB
import PollingCore

/// The fleet figures of a run (or of every run of an experiment, arms grouped by name), issue 12
/// item 7: per arm the work (calls), the 429 and 503 received, the makespan, the p99 delay and
/// the arm's peak load; and the server's peak load from `server_load` when the run has it (live
/// runs on the embedded server). Render with `FleetRenderer`.
public struct FleetReport: Sendable, Hashable, Encodable {
    /// The run the report is about (with several runs: the latest).
    public var run: RunHeader
    /// Every run covered, ascending.
    public var runIDs: [Int64]
    /// One entry per arm, in `arm_index` order.
    public var arms: [ArmFleet]
    /// The server's peak load: the most status requests that arrived at the embedded server in
    /// one 100 ms bucket (`served + rate_limited + overloaded` of `server_load`), over the runs
    /// covered; `nil` when no run has `server_load` rows (simulated, or an external server).
    public var serverPeak: Int?

    /// Creates a report from parts (tests).
    public init(run: RunHeader, runIDs: [Int64], arms: [ArmFleet], serverPeak: Int?) {
        self.run = run
        self.runIDs = runIDs
        self.arms = arms
        self.serverPeak = serverPeak
    }

    /// Loads the fleet figures of the selected run (or of all runs of its experiment).
    /// - Parameters:
    ///   - reader: a results database.
    ///   - selector: which run; default `.latest`.
    ///   - allRuns: every run of the selected run's experiment, arms grouped by name; default `false`.
    /// - Returns: the report.
    /// - Throws: `AnalysisError` (selection errors, or `.database` wrapping an SQLite error).
    public static func load(from reader: any DatabaseReader, selector: RunSelector = .latest,
                            allRuns: Bool = false) throws -> FleetReport {
        try RunScope.read(reader, selector: selector, allRuns: allRuns) { db, runIDs in
            try fetch(db, runIDs: runIDs)
        }
    }

    /// Reads the fleet figures of some runs on an open connection.
    /// - Parameters:
    ///   - db: an open connection.
    ///   - runIDs: the runs, non-empty.
    /// - Returns: the report.
    /// - Throws: `AnalysisError.unknownRun`; GRDB's `DatabaseError`.
    public static func fetch(_ db: Database, runIDs: [Int64]) throws -> FleetReport {
        // The p99 delay has one definition: the summary's.
        let summary = try SummaryReport.fetch(db, runIDs: runIDs, weights: .unit, scoreKind: .perTrial)
        let p99 = Dictionary(summary.arms.map { ($0.name, $0.p99Delay) }, uniquingKeysWith: { a, _ in a })
        let arms = try ArmGroup.fetchAll(db, runIDs: summary.runIDs).map { group in
            try fetchArm(db, group: group, p99Delay: p99[group.name] ?? nil)
        }
        let peak = try Int.fetchOne(db, SQLRequest<Int>(literal: """
            SELECT max(served + rate_limited + overloaded) FROM server_load WHERE run_id IN \(summary.runIDs)
            """))
        return FleetReport(run: summary.run, runIDs: summary.runIDs, arms: arms, serverPeak: peak)
    }

    static func fetchArm(_ db: Database, group: ArmGroup, p99Delay: Double?) throws -> ArmFleet {
        let ids = group.armIDs
        let counts = try Row.fetchOne(db, SQLRequest<Row>(literal: """
            SELECT count(*) AS calls, total(http_status = 429) AS r429, total(http_status = 503) AS r503
            FROM api_call WHERE trial_id IN (SELECT id FROM trial WHERE arm_id IN \(ids))
            """))
        let trials = try Int.fetchOne(db, SQLRequest<Int>(literal: "SELECT count(*) FROM trial WHERE arm_id IN \(ids)")) ?? 0
        let makespans = try Double.fetchAll(db, SQLRequest<Double>(literal: """
            SELECT (max(detect_ns) - min(start_ns)) / 1e9 FROM trial WHERE arm_id IN \(ids)
            GROUP BY arm_id HAVING count(detect_ns) > 0
            """))
        let peak = try LoadSeries.peak(db, armIDs: ids, bucketNanos: LoadSeries.defaultBucketNanos)
        return ArmFleet(
            armIndex: group.index, name: group.name, strategy: group.strategy, trials: trials,
            calls: counts?["calls"] ?? 0, tooManyRequests: Int(counts?["r429"] ?? 0.0),
            unavailable: Int(counts?["r503"] ?? 0.0),
            makespan: makespans.isEmpty ? nil : makespans.reduce(0, +) / Double(makespans.count),
            p99Delay: p99Delay, peakCalls: peak)
    }

    enum CodingKeys: String, CodingKey {
        case run, runIDs = "run_ids", arms, serverPeak = "server_peak_per_100ms"
    }

    /// Encodes every key, `null` for an absent server peak.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(run, forKey: .run)
        try c.encode(runIDs, forKey: .runIDs)
        try c.encode(arms, forKey: .arms)
        try c.encode(serverPeak, forKey: .serverPeak)
    }
}
