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
}

extension TraceDatabase {
    /// Loads a run for resuming.
    /// - Throws: `TraceStoreError.unknownRun`, `.databaseFailed`.
    public func storedRun(_ runID: Int64) throws -> StoredRun {
        do {
            return try reader.read { db in
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT e.name, r.status, r.mode, r.seed, r.trials_per_arm, r.config_text
                    FROM run r JOIN experiment e ON e.id = r.experiment_id WHERE r.id = ?
                    """, arguments: [runID]) else { throw TraceStoreError.unknownRun(runID) }
                var arms: [String: Int64] = [:]
                for arm in try Row.fetchAll(db, sql: "SELECT id, name FROM arm WHERE run_id = ?", arguments: [runID]) {
                    arms[arm["name"]] = arm["id"]
                }
                let seedText: String = row["seed"]
                return StoredRun(
                    handle: RunHandle(runID: runID, armIDs: arms), experimentName: row["name"],
                    status: RunStatus(rawValue: row["status"]) ?? .failed, mode: RunMode(rawValue: row["mode"]) ?? .live,
                    seed: UInt64(seedText) ?? 0, trialsPerArm: row["trials_per_arm"], configText: row["config_text"])
            }
        } catch let error as TraceStoreError {
            throw error
        } catch {
            throw TraceStoreError.databaseFailed(operation: "reading run \(runID)", reason: Self.reason(error))
        }
    }

    /// Marks an unfinished run `running` again (fresh heartbeat, no end) before its missing
    /// trials are run.
    /// - Throws: `TraceStoreError.unknownRun`, `.readOnly`, `.databaseFailed`.
    public func reopenRun(_ runID: Int64) throws {
        let now = Timestamp.format(wallClock())
        let changed = try write("reopening run \(runID)") { db in
            try db.execute(sql: """
                UPDATE run SET status = 'running', heartbeat_at = ?, ended_at = NULL, error = NULL WHERE id = ?
                """, arguments: [now, runID])
            return db.changesCount
        }
        guard changed > 0 else { throw TraceStoreError.unknownRun(runID) }
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
    /// Deletes the trials of a run that ended with `errorCode` (with their calls), so that a resume
    /// runs them again; e.g. `cancelled` trials, which stopped because the run did.
    /// - Returns: the number of trials deleted.
    /// - Throws: `.readOnly`, `.databaseFailed`.
    @discardableResult
    public func deleteTrials(runID: Int64, errorCode: String) throws -> Int {
        try write("deleting \(errorCode) trials of run \(runID)") { db in
            let selection = """
                SELECT t.id FROM trial t JOIN arm a ON a.id = t.arm_id WHERE a.run_id = ? AND t.error_code = ?
                """
            try db.execute(sql: "DELETE FROM api_call WHERE trial_id IN (\(selection))", arguments: [runID, errorCode])
            try db.execute(sql: "DELETE FROM trial WHERE id IN (\(selection))", arguments: [runID, errorCode])
            return db.changesCount
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
