import Foundation
import GRDB

extension TraceDatabase {
    /// A run written by `merge`.
    public struct MergedRun: Sendable, Hashable {
        /// The new run's id in the output database.
        public var runID: Int64
        /// The experiment's name.
        public var experiment: String
        /// The run seed.
        public var seed: UInt64
        /// The shards' resolved configuration hash, stored with the merged run.
        public var resolvedConfigHash: String
        /// N, the number of shards merged.
        public var shards: Int
        /// Trials copied (all arms).
        public var trials: Int
    }

    /// Merges the shards of `plan` into the database at `path`, which must not be one of the
    /// shard files; it is created when missing, and must otherwise be a PollLab database (the
    /// merged runs are then added to its runs).
    ///
    /// Everything is written in one transaction: on any error the file is as it was, or, when
    /// this call created it, removed again (with its `-wal` and `-shm` files).
    /// - Parameters:
    ///   - plan: the checked shards (`ShardMerge.plan(sources:)`).
    ///   - path: the output database (`--into`).
    /// - Returns: the runs written, in the order of `plan.groups`.
    /// - Throws: `TraceStoreError.mergeRefused` when `path` is one of the shard files;
    ///   `.openFailed`, `.foreignDatabase`, `.migrationFailed` for an output that cannot be
    ///   opened or is not a PollLab database; `.databaseFailed` when writing fails.
    public static func merge(_ plan: ShardMerge, into path: String) throws -> [MergedRun] {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        for shard in plan.groups.flatMap(\.shards)
        where URL(fileURLWithPath: shard.path).standardizedFileURL.resolvingSymlinksInPath().path == target {
            throw TraceStoreError.mergeRefused("--into \(path) is the shard file \(shard.path); pass a new file or another database")
        }
        let existed = FileManager.default.fileExists(atPath: path)
        let database = try TraceDatabase.open(path: path)
        do {
            let merged = try database.write("merging shards into \(path)") { db in
                try plan.groups.map { try Self.writeMergedRun($0, db) }
            }
            try database.close()
            return merged
        } catch {
            try? database.close()
            if !existed {
                for file in [path, path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
            }
            throw error
        }
    }

    /// Inserts the merged run of one group, its arms (from shard 0) and every shard's trials and
    /// calls, with new row ids.
    private static func writeMergedRun(_ group: ShardMerge.Group, _ db: Database) throws -> MergedRun {
        let sources = try group.shards.map { shard in
            let database = try TraceDatabase.openReadOnly(path: shard.path)
            return (shard, database)
        }
        defer { for (_, database) in sources { try? database.close() } }
        let (first, firstDatabase) = sources[0]
        let (run, description, arms) = try firstDatabase.reader.read { source in
            (try Row.fetchOne(source, sql: "SELECT * FROM run WHERE id = ?", arguments: [first.runID]),
             try String.fetchOne(source, sql: "SELECT description FROM experiment WHERE name = ?", arguments: [first.experiment]),
             try Row.fetchAll(source, sql: "SELECT arm_index, name, strategy, parameters FROM arm WHERE run_id = ? ORDER BY arm_index",
                              arguments: [first.runID]))
        }
        guard let run else { throw TraceStoreError.unknownRun(first.runID) }
        let spans = try sources.map { shard, database in
            try database.reader.read { source in
                try Row.fetchOne(source, sql: "SELECT started_at, ended_at, wall_ns, host FROM run WHERE id = ?",
                                 arguments: [shard.runID])
            }
        }.compactMap { $0 }
        try db.execute(
            sql: """
                INSERT INTO experiment (name, description) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET description = excluded.description
                """,
            arguments: [first.experiment, description ?? ""])
        let ended = spans.compactMap { $0["ended_at"] as String? }.max()
        let dirty = group.shards.map(\.gitDirty)
        try db.execute(
            sql: """
                INSERT INTO run (experiment_id, status, mode, seed, trials_per_arm, concurrency, timeout_ns, started_at,
                                 ended_at, heartbeat_at, wall_ns, git_sha, git_dirty, host, toolchain, config_text,
                                 config_hash, server_url, resolved_config_hash)
                VALUES ((SELECT id FROM experiment WHERE name = ?), 'finished', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                first.experiment, run["mode"] as String, run["seed"] as String, run["trials_per_arm"] as Int,
                run["concurrency"] as Int, run["timeout_ns"] as Int64?, spans.map { $0["started_at"] as String }.min(),
                ended, ended, spans.compactMap { $0["wall_ns"] as Int64? }.max(), run["git_sha"] as String?,
                dirty.contains(true) ? true : (dirty.contains(nil) ? nil : false),
                Set(spans.map { $0["host"] as String }).sorted().joined(separator: ", "), run["toolchain"] as String,
                run["config_text"] as String, run["config_hash"] as String, run["server_url"] as String?,
                group.resolvedConfigHash,
            ])
        let runID = db.lastInsertedRowID
        var armIDs: [String: Int64] = [:]
        for arm in arms {
            try db.execute(sql: "INSERT INTO arm (run_id, arm_index, name, strategy, parameters) VALUES (?, ?, ?, ?, ?)",
                           arguments: [runID, arm["arm_index"] as Int, arm["name"] as String, arm["strategy"] as String,
                                       arm["parameters"] as String])
            armIDs[arm["name"]] = db.lastInsertedRowID
        }
        var trials = 0
        for (shard, database) in sources {
            trials += try copyTrials(of: shard, from: database, into: db, armIDs: armIDs)
        }
        return MergedRun(runID: runID, experiment: group.experiment, seed: group.seed,
                         resolvedConfigHash: group.resolvedConfigHash, shards: group.shards.count, trials: trials)
    }

    /// The columns of `table` in the output database, without `excluded` (ids and foreign keys,
    /// which are rewritten), quoted for SQL.
    private static func copiedColumns(_ db: Database, _ table: String, excluding excluded: Set<String>) throws -> [String] {
        try db.columns(in: table).map(\.name).filter { !excluded.contains($0) }.map(\.quotedDatabaseIdentifier)
    }

    /// Copies a shard's trials (to the arms of the same name) and their calls; returns the number
    /// of trials. Every column the output's `trial` and `api_call` tables have is copied, so a
    /// column added by a later migration is carried over without changing this function.
    private static func copyTrials(of shard: ShardMerge.Shard, from source: TraceDatabase, into db: Database,
                                   armIDs: [String: Int64]) throws -> Int {
        let trialColumns = try copiedColumns(db, "trial", excluding: ["id", "arm_id"])
        let callColumns = try copiedColumns(db, "api_call", excluding: ["trial_id"])
        let insertTrial = try db.makeStatement(sql: """
            INSERT INTO trial (arm_id, \(trialColumns.joined(separator: ", ")))
            VALUES (?\(String(repeating: ", ?", count: trialColumns.count)))
            """)
        let insertCall = try db.makeStatement(sql: """
            INSERT INTO api_call (trial_id, \(callColumns.joined(separator: ", ")))
            VALUES (?\(String(repeating: ", ?", count: callColumns.count)))
            """)
        return try source.reader.read { source in
            var trialIDs: [Int64: Int64] = [:]
            let trials = try Row.fetchCursor(source, sql: """
                SELECT t.id AS source_id, a.name AS source_arm, \(trialColumns.map { "t.\($0)" }.joined(separator: ", "))
                FROM trial t JOIN arm a ON a.id = t.arm_id WHERE a.run_id = ? ORDER BY t.trial_index, a.arm_index
                """, arguments: [shard.runID])
            while let row = try trials.next() {
                let arm: String = row["source_arm"]
                guard let armID = armIDs[arm] else {
                    throw TraceStoreError.mergeRefused("\(shard.label) has a trial of arm '\(arm)', which shard 0 lacks")
                }
                var values: [DatabaseValue] = [armID.databaseValue]
                values += Array(row.databaseValues.dropFirst(2))
                try insertTrial.execute(arguments: StatementArguments(values))
                trialIDs[row["source_id"]] = db.lastInsertedRowID
            }
            let calls = try Row.fetchCursor(source, sql: """
                SELECT c.trial_id AS source_trial, \(callColumns.map { "c.\($0)" }.joined(separator: ", "))
                FROM api_call c JOIN trial t ON t.id = c.trial_id JOIN arm a ON a.id = t.arm_id
                WHERE a.run_id = ? ORDER BY c.trial_id, c.seq
                """, arguments: [shard.runID])
            while let row = try calls.next() {
                guard let trialID = trialIDs[row["source_trial"]] else { continue }
                var values: [DatabaseValue] = [trialID.databaseValue]
                values += Array(row.databaseValues.dropFirst(1))
                try insertCall.execute(arguments: StatementArguments(values))
            }
            return trialIDs.count
        }
    }
}
