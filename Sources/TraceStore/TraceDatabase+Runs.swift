import Foundation
import GRDB

extension TraceDatabase {
    /// Starts a run: upserts the experiment (by name; its description is updated), inserts the
    /// run with status `running`, `heartbeat_at` = now, `config_hash` = FNV-1a 64 of the config
    /// text (16 lowercase hex digits), `resolved_config_hash` (`RunProvenance.resolvedConfigHash`)
    /// and the shard, if any, and inserts the arms in order (`arm_index` from 0). One
    /// transaction.
    /// - Parameters:
    ///   - provenance: the run's provenance.
    ///   - arms: the run's arms; names must be unique and non-empty.
    /// - Returns: the run id and the arm ids by name.
    /// - Throws: `TraceStoreError.invalidArgument` for bad provenance or arms, `.readOnly`,
    ///   `.databaseFailed`.
    public func beginRun(_ provenance: RunProvenance, arms: [ArmSpec]) throws -> RunHandle {
        try Self.validate(provenance, arms: arms)
        let timeoutNanos = provenance.timeout.map { Int64(($0 * 1e9).rounded()) }
        let now = Timestamp.format(wallClock())
        return try write("beginning a run of \(provenance.experimentName)") { db in
            try db.execute(
                sql: """
                    INSERT INTO experiment (name, description) VALUES (?, ?)
                    ON CONFLICT (name) DO UPDATE SET description = excluded.description
                    """,
                arguments: [provenance.experimentName, provenance.experimentDescription])
            guard let experimentID = try Int64.fetchOne(
                db, sql: "SELECT id FROM experiment WHERE name = ?", arguments: [provenance.experimentName])
            else { throw TraceStoreError.databaseFailed(operation: "upserting the experiment", reason: "no row") }
            try db.execute(
                sql: """
                    INSERT INTO run (experiment_id, status, mode, seed, trials_per_arm, concurrency, timeout_ns,
                                     started_at, heartbeat_at, git_sha, git_dirty, host, toolchain, config_text,
                                     config_hash, server_url, resolved_config_hash, shard_index, shard_count)
                    VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    experimentID, provenance.mode.rawValue, String(provenance.seed), provenance.trialsPerArm,
                    provenance.concurrency, timeoutNanos, Timestamp.format(provenance.startedAt), now,
                    provenance.gitSHA, provenance.gitDirty, provenance.host, provenance.toolchain,
                    provenance.configText, FNV1a.hex64(provenance.configText), provenance.serverURL,
                    provenance.resolvedConfigHash, provenance.shard?.index, provenance.shard?.count,
                ])
            let runID = db.lastInsertedRowID
            var armIDs: [String: Int64] = [:]
            let statement = try db.makeStatement(
                sql: "INSERT INTO arm (run_id, arm_index, name, strategy, parameters) VALUES (?, ?, ?, ?, ?)")
            for (index, arm) in arms.enumerated() {
                try statement.execute(arguments: [runID, index, arm.name, arm.strategy, arm.parametersJSON])
                armIDs[arm.name] = db.lastInsertedRowID
            }
            return RunHandle(runID: runID, armIDs: armIDs)
        }
    }

    /// Ends a run: sets its status, `ended_at` (= `heartbeat_at` = now), `wall_ns` and `error`.
    /// - Parameters:
    ///   - runID: the run.
    ///   - status: `.finished`, `.failed` or `.interrupted` (not `.running`).
    ///   - wallNanos: the run's length on the monotonic clock, in ns, if known.
    ///   - error: why the run failed or stopped, if it did.
    /// - Throws: `TraceStoreError.invalidArgument` for `.running`, `.unknownRun`, `.readOnly`,
    ///   `.databaseFailed`.
    public func finishRun(_ runID: Int64, status: RunStatus, wallNanos: Int64? = nil, error: String? = nil) throws {
        guard status != .running else {
            throw TraceStoreError.invalidArgument(
                field: "status", message: "a run cannot finish as 'running'; use finished, failed or interrupted")
        }
        let now = Timestamp.format(wallClock())
        let changed = try write("finishing run \(runID)") { db in
            try db.execute(
                sql: """
                    UPDATE run SET status = ?, ended_at = ?, heartbeat_at = ?, wall_ns = ?, error = ?
                    WHERE id = ?
                    """,
                arguments: [status.rawValue, now, now, wallNanos, error, runID])
            return db.changesCount
        }
        guard changed > 0 else { throw TraceStoreError.unknownRun(runID) }
    }

    /// Marks as `interrupted` every `running` run whose heartbeat (or, without one, its start) is
    /// older than `olderThan` seconds before now; a live runner's fresh heartbeat protects it.
    /// `ended_at` is set to the last heartbeat (the last instant the run was known alive).
    /// Heartbeats that cannot be parsed are left alone.
    /// - Parameter olderThan: staleness threshold in seconds (e.g. 60).
    /// - Returns: the ids of the runs marked, ascending.
    /// - Throws: `TraceStoreError.invalidArgument` for a negative threshold, `.readOnly`,
    ///   `.databaseFailed`.
    @discardableResult
    public func markStaleRunsInterrupted(olderThan: TimeInterval) throws -> [Int64] {
        guard olderThan >= 0, olderThan.isFinite else {
            throw TraceStoreError.invalidArgument(
                field: "olderThan", message: "must be a finite number of seconds ≥ 0, got \(olderThan)")
        }
        let cutoff = wallClock().addingTimeInterval(-olderThan)
        return try write("marking stale runs interrupted") { db in
            let rows = try SQLRequest<RunBeat>(literal: """
                SELECT id, coalesce(heartbeat_at, started_at) AS beat FROM run WHERE status = 'running' ORDER BY id
                """).fetchAll(db)
            var stale: [Int64] = []
            for row in rows {
                let (id, beatText) = (row.id, row.beat)
                guard let beat = Timestamp.parse(beatText), beat < cutoff else { continue }
                try db.execute(
                    sql: """
                        UPDATE run SET status = 'interrupted', ended_at = ?,
                               error = coalesce(error, 'stale heartbeat: the runner stopped without finishing')
                        WHERE id = ?
                        """,
                    arguments: [beatText, id])
                stale.append(id)
            }
            return stale
        }
    }

    /// The trial indexes already stored for each arm of a run (any outcome), by arm name; every
    /// arm of the run is present, with an empty set when it has no trial yet. For resuming a run.
    /// - Parameter runID: the run.
    /// - Returns: arm name → stored trial indexes.
    /// - Throws: `TraceStoreError.unknownRun`, `.databaseFailed`.
    public func completedTrialIndexes(runID: Int64) throws -> [String: Set<Int>] {
        let rows: [ArmTrialIndex]
        do {
            rows = try reader.read { db in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM run WHERE id = ?", arguments: [runID]) != nil else {
                    throw TraceStoreError.unknownRun(runID)
                }
                return try SQLRequest<ArmTrialIndex>(literal: """
                    SELECT a.name AS name, t.trial_index AS trial_index
                    FROM arm a LEFT JOIN trial t ON t.arm_id = a.id WHERE a.run_id = \(runID)
                    """).fetchAll(db)
            }
        } catch let error as TraceStoreError {
            throw error
        } catch {
            throw TraceStoreError.databaseFailed(operation: "reading trials of run \(runID)", reason: Self.reason(error))
        }
        var result: [String: Set<Int>] = [:]
        for row in rows {
            result[row.name, default: []].formUnion(row.trialIndex.map { [$0] } ?? [])
        }
        return result
    }

    /// Checks a run's provenance and arms before anything is written.
    static func validate(_ provenance: RunProvenance, arms: [ArmSpec]) throws {
        if provenance.experimentName.isEmpty {
            throw TraceStoreError.invalidArgument(field: "experimentName", message: "must not be empty")
        }
        if provenance.trialsPerArm < 0 {
            throw TraceStoreError.invalidArgument(
                field: "trialsPerArm", message: "must be ≥ 0, got \(provenance.trialsPerArm)")
        }
        if provenance.concurrency < 1 {
            throw TraceStoreError.invalidArgument(
                field: "concurrency", message: "must be ≥ 1, got \(provenance.concurrency)")
        }
        if let timeout = provenance.timeout, !(timeout > 0 && timeout < 9e9) {
            throw TraceStoreError.invalidArgument(
                field: "timeout", message: "must be a positive number of seconds (or nil for none), got \(timeout)")
        }
        var seen: Set<String> = []
        for arm in arms {
            if arm.name.isEmpty {
                throw TraceStoreError.invalidArgument(field: "arms.name", message: "an arm name must not be empty")
            }
            if !seen.insert(arm.name).inserted {
                throw TraceStoreError.invalidArgument(
                    field: "arms.name", message: "duplicate arm name '\(arm.name)'; arm names must be unique in a run")
            }
        }
    }
}

/// A running run's id and last sign of life (`heartbeat_at`, or `started_at`).
struct RunBeat: Decodable, FetchableRecord {
    var id: Int64
    var beat: String
}

/// An arm's name and one of its stored trial indexes (`nil` for an arm without trials).
struct ArmTrialIndex: Decodable, FetchableRecord {
    var name: String
    var trialIndex: Int?
    enum CodingKeys: String, CodingKey { case name, trialIndex = "trial_index" }
}
