import Foundation
import GRDB

/// What a runner needs to resume an unfinished run.
public struct StoredRun: Sendable, Hashable {
    /// The run and its arm ids.
    public var handle: RunHandle
    public var experimentName: String
    public var status: RunStatus
    public var mode: RunMode
    /// The run seed (all trial seeds derive from it).
    public var seed: UInt64
    public var trialsPerArm: Int
    /// The experiment file as it was run.
    public var configText: String
    /// The shard the run holds (`--shard K/N`), `nil` for a whole run; resuming runs only its
    /// missing trials.
    public var shard: RunShard?

    /// Trials per arm the run holds when complete: `trialsPerArm`, or the shard's part of it.
    public var expectedTrialsPerArm: Int {
        shard?.trialCount(of: trialsPerArm) ?? trialsPerArm
    }
}

/// One `run` row (with its experiment's name) as resuming reads it.
struct StoredRunRow: Decodable, FetchableRecord {
    var name: String
    var status: String
    var mode: String
    var seed: String
    var trialsPerArm: Int
    var configText: String
    /// `heartbeat_at`, or `started_at` for a run that never beat.
    var beat: String
    var shardIndex: Int?
    var shardCount: Int?
    enum CodingKeys: String, CodingKey {
        case name, status, mode, seed, trialsPerArm = "trials_per_arm", configText = "config_text", beat
        case shardIndex = "shard_index", shardCount = "shard_count"
    }

    static func fetch(_ db: Database, runID: Int64) throws -> StoredRunRow? {
        try SQLRequest<StoredRunRow>(literal: """
            SELECT e.name AS name, r.status AS status, r.mode AS mode, r.seed AS seed,
                   r.trials_per_arm AS trials_per_arm, r.config_text AS config_text,
                   coalesce(r.heartbeat_at, r.started_at) AS beat, r.shard_index AS shard_index,
                   r.shard_count AS shard_count
            FROM run r JOIN experiment e ON e.id = r.experiment_id WHERE r.id = \(runID)
            """).fetchOne(db)
    }
}

/// One `arm` row: its id and name.
struct ArmNameRow: Decodable, FetchableRecord {
    var id: Int64
    var name: String
}

extension TraceDatabase {
    /// Loads a run for resuming.
    /// - Throws: `TraceStoreError.unknownRun`, `.databaseFailed`.
    public func storedRun(_ runID: Int64) throws -> StoredRun {
        do {
            return try reader.read { db in try Self.storedRun(db, runID: runID).stored }
        } catch let error as TraceStoreError {
            throw error
        } catch {
            throw TraceStoreError.databaseFailed(operation: "reading run \(runID)", reason: Self.reason(error))
        }
    }

    /// The stored run and its last heartbeat text, on an open connection.
    static func storedRun(_ db: Database, runID: Int64) throws -> (stored: StoredRun, beat: String) {
        guard let row = try StoredRunRow.fetch(db, runID: runID) else { throw TraceStoreError.unknownRun(runID) }
        let arms = try SQLRequest<ArmNameRow>(literal: "SELECT id, name FROM arm WHERE run_id = \(runID)").fetchAll(db)
        let stored = StoredRun(
            handle: RunHandle(runID: runID, armIDs: Dictionary(uniqueKeysWithValues: arms.map { ($0.name, $0.id) })),
            experimentName: row.name, status: RunStatus(rawValue: row.status) ?? .failed,
            mode: RunMode(rawValue: row.mode) ?? .live, seed: UInt64(row.seed) ?? 0,
            trialsPerArm: row.trialsPerArm, configText: row.configText,
            shard: row.shardIndex.flatMap { index in row.shardCount.flatMap { try? RunShard(index: index, count: $0) } })
        return (stored, row.beat)
    }

    /// Takes an unfinished run for resuming, atomically: in one `IMMEDIATE` transaction (no other
    /// connection or process can write in between), checks that no live runner owns it, marks it
    /// `running` with a fresh heartbeat (no end, no error), and deletes its trials that ended with
    /// `rerunErrorCode` (with their calls) so that they run again. A second resume of the same
    /// run started at the same moment then finds the fresh heartbeat and is refused, as one
    /// started a second later is.
    ///
    /// A `finished` run with every trial stored is returned unchanged (nothing to resume).
    /// - Parameters:
    ///   - runID: the run.
    ///   - staleAfter: seconds after which a `running` run's heartbeat (or, without one, its
    ///     start) counts as stale, its runner dead; ≥ 0.
    ///   - rerunErrorCode: the error code of trials to run again (e.g. `cancelled`).
    /// - Returns: the run, with `status` `.running` when it was taken, `.finished` when it was
    ///   already complete and left unchanged.
    /// - Throws: `TraceStoreError.runInUse` when a runner's heartbeat is under `staleAfter`
    ///   seconds old, `.unknownRun`, `.invalidArgument`, `.readOnly`, `.databaseFailed`.
    public func claimRun(_ runID: Int64, staleAfter: TimeInterval, rerunErrorCode: String) throws -> StoredRun {
        guard staleAfter >= 0, staleAfter.isFinite else {
            throw TraceStoreError.invalidArgument(
                field: "staleAfter", message: "must be a finite number of seconds ≥ 0, got \(staleAfter)")
        }
        guard !isReadOnly else { throw TraceStoreError.readOnly(path: path) }
        let now = wallClock()
        do {
            return try writer.writeWithoutTransaction { db in
                var claimed: StoredRun?
                try db.inTransaction(.immediate) {
                    let (stored, beat) = try Self.storedRun(db, runID: runID)
                    claimed = stored
                    if stored.status == .running {
                        // An unparseable heartbeat counts as fresh: never take a run that may be alive.
                        let age = Timestamp.parse(beat).map { now.timeIntervalSince($0) } ?? 0
                        guard age >= staleAfter else {
                            throw TraceStoreError.runInUse(runID: runID, heartbeatAge: max(0, age), staleAfter: staleAfter)
                        }
                    }
                    let kept = try SQLRequest<Int>(literal: """
                        SELECT count(*) FROM trial t JOIN arm a ON a.id = t.arm_id
                        WHERE a.run_id = \(runID) AND t.error_code IS NOT \(rerunErrorCode)
                        """).fetchOne(db) ?? 0
                    if stored.status == .finished, kept >= stored.expectedTrialsPerArm * stored.handle.armIDs.count {
                        return .commit
                    }
                    claimed?.status = .running
                    let rerun: SQL = """
                        SELECT t.id FROM trial t JOIN arm a ON a.id = t.arm_id
                        WHERE a.run_id = \(runID) AND t.error_code = \(rerunErrorCode)
                        """
                    try db.execute(literal: "DELETE FROM api_call WHERE trial_id IN (\(rerun))")
                    try db.execute(literal: "DELETE FROM trial WHERE id IN (\(rerun))")
                    try db.execute(literal: """
                        UPDATE run SET status = 'running', heartbeat_at = \(Timestamp.format(now)), ended_at = NULL,
                                       error = NULL
                        WHERE id = \(runID)
                        """)
                    return .commit
                }
                guard let claimed else { throw TraceStoreError.unknownRun(runID) }
                return claimed
            }
        } catch let error as TraceStoreError {
            throw error
        } catch {
            throw TraceStoreError.databaseFailed(operation: "claiming run \(runID)", reason: Self.reason(error))
        }
    }

    /// Records that the run's runner is alive (`heartbeat_at` = now).
    /// - Throws: `.readOnly`, `.databaseFailed`.
    public func heartbeat(_ runID: Int64) throws {
        let now = Timestamp.format(wallClock())
        try write("updating the heartbeat of run \(runID)") { db in
            try db.execute(sql: "UPDATE run SET heartbeat_at = ? WHERE id = ?", arguments: [now, runID])
        }
    }
}

extension TraceDatabase {
    /// The id of the latest run of experiment `name`, if any.
    /// - Throws: `.databaseFailed`.
    public func latestRunID(experiment name: String) throws -> Int64? {
        do {
            return try reader.read { db in
                try Int64.fetchOne(db, sql: """
                    SELECT max(r.id) FROM run r JOIN experiment e ON e.id = r.experiment_id WHERE e.name = ?
                    """, arguments: [name])
            }
        } catch {
            throw TraceStoreError.databaseFailed(operation: "finding the latest run of \(name)", reason: Self.reason(error))
        }
    }
}
