import ExperimentKit
import Foundation
import GRDB
import PollingCore
import Testing
import TraceStore

/// Sharded runs (`--shard K/N`) and their merge: a merged simulation is the whole run, row for row.
@Suite struct ShardTests {
    /// Temporary database paths, removed (with `-wal` and `-shm`) by `remove()`.
    struct Files {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-shards-\(UUID())").path
        init() throws { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        func path(_ name: String) -> String { directory + "/" + name }
        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    static func shootout() throws -> (Experiment, String) {
        try ExperimentCatalog(directory: repositoryRoot + "/experiments").load("strategy-shootout")
    }

    /// Runs `experiment` (simulated, `trials` per arm) into a new database at `path`.
    static func simulate(_ experiment: Experiment, text: String, trials: Int, seed: UInt64? = nil,
                         shard: RunShard? = nil, into path: String) async throws {
        let database = try TraceDatabase.open(path: path)
        defer { try? database.close() }
        _ = try await ExperimentRunner().run(experiment, configText: text, database: database,
                                             options: .init(trials: trials, seed: seed, mode: .simulated, shard: shard))
    }

    /// Every row of the run's tables with every column but row ids and the run's wall-clock
    /// fields, ordered by arm name, trial index and call sequence; the column lists come from
    /// the schema, so a column added later is compared too.
    static func contents(of path: String) throws -> [String: [[DatabaseValue]]] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            func columns(_ table: String, _ alias: String, excluding: Set<String>) throws -> String {
                try db.columns(in: table).map(\.name).filter { !excluding.contains($0) }
                    .map { "\(alias).\($0.quotedDatabaseIdentifier)" }.joined(separator: ", ")
            }
            let run = try columns("run", "r", excluding: ["id", "experiment_id", "started_at", "ended_at", "heartbeat_at", "wall_ns"])
            let arm = try columns("arm", "a", excluding: ["id", "run_id"])
            let trial = try columns("trial", "t", excluding: ["id", "arm_id"])
            let call = try columns("api_call", "c", excluding: ["trial_id"])
            let queries = [
                "run": "SELECT e.name, e.description, \(run) FROM run r JOIN experiment e ON e.id = r.experiment_id",
                "arm": "SELECT \(arm) FROM arm a ORDER BY a.name",
                "trial": "SELECT a.name, \(trial) FROM trial t JOIN arm a ON a.id = t.arm_id ORDER BY a.name, t.trial_index",
                "api_call": """
                    SELECT a.name, t.trial_index, \(call) FROM api_call c JOIN trial t ON t.id = c.trial_id
                    JOIN arm a ON a.id = t.arm_id ORDER BY a.name, t.trial_index, c.seq
                    """,
            ]
            return try queries.mapValues { sql in try Row.fetchAll(db, sql: sql).map { Array($0.databaseValues) } }
        }
    }

    @Test func fourMergedShardsOfTheShootoutEqualTheWholeRun() async throws {
        let files = try Files()
        defer { files.remove() }
        let (experiment, text) = try Self.shootout()
        #expect(experiment.arms.contains { $0.strategy.kind == "learned" })
        // 16 trials: the learned arm (10 observations before it learns) changes its schedule from
        // trial 10 on, after trials that three of the four shards do not record.
        let trials = 16
        try await Self.simulate(experiment, text: text, trials: trials, into: files.path("whole.sqlite"))
        for k in 0..<4 {
            try await Self.simulate(experiment, text: text, trials: trials, shard: try RunShard(index: k, count: 4),
                                    into: files.path("shard-\(k).sqlite"))
        }
        // Every shard holds its own trials only.
        for k in 0..<4 {
            let indexes = try await DatabaseQueue(path: files.path("shard-\(k).sqlite")).read { db in
                try Int.fetchAll(db, sql: "SELECT DISTINCT trial_index FROM trial ORDER BY trial_index")
            }
            #expect(indexes == Array(stride(from: k, to: trials, by: 4)))
        }
        // Given in another order than K: the merge orders them itself.
        let plan = try ShardMerge.plan(sources: [3, 1, 0, 2].map { files.path("shard-\($0).sqlite") })
        #expect(plan.warnings.isEmpty)
        let merged = try TraceDatabase.merge(plan, into: files.path("merged.sqlite"))
        #expect(merged.count == 1 && merged.first?.shards == 4 && merged.first?.trials == trials * experiment.arms.count)

        let whole = try Self.contents(of: files.path("whole.sqlite"))
        let combined = try Self.contents(of: files.path("merged.sqlite"))
        #expect(whole["trial"]?.count == trials * experiment.arms.count)
        #expect((whole["api_call"]?.count ?? 0) > trials * experiment.arms.count)
        for table in ["run", "arm", "trial", "api_call"] {
            let (a, b) = (whole[table] ?? [], combined[table] ?? [])
            let first = a.indices.first { $0 >= b.count || a[$0] != b[$0] }
            #expect(a.count == b.count && first == nil,
                    "\(table): \(a.count) rows whole, \(b.count) merged; first difference: \(first.map { "\(a[$0]) vs \(b.count > $0 ? "\(b[$0])" : "none")" } ?? "none")")
        }
    }

    /// A small two-arm experiment without learning, fast in debug builds.
    static let small = """
        name: small
        mode: simulated
        trials: 12
        seed: 31
        latency: [0.001, 0.003]
        job: {base_delay: 1.5, var_delay: 0.9}
        arms:
          - {name: seed, strategy: seed, duration_hint: 1.5}
          - {name: jitter, strategy: exponential, jitter: full}
        """

    @Test func shardsOfAnEventSimulationMergeIntoTheWholeRun() async throws {
        // Poisson arrivals with 3 slots: trials wait for each other, so a shard must simulate
        // the other shards' trials to give its own the whole run's waits and timings.
        let yaml = Self.small.replacingOccurrences(of: "name: small", with: "name: arriving")
            .replacingOccurrences(of: "seed: 31", with: "seed: 31\nconcurrency: 3\narrivals: {pattern: poisson, rate: 4}")
        let experiment = try Experiment.parse(yaml: yaml, file: "arriving.yaml")
        let files = try Files()
        defer { files.remove() }
        try await Self.simulate(experiment, text: yaml, trials: 12, into: files.path("whole.sqlite"))
        for k in 0..<3 {
            try await Self.simulate(experiment, text: yaml, trials: 12, shard: try RunShard(index: k, count: 3),
                                    into: files.path("s\(k).sqlite"))
        }
        _ = try TraceDatabase.merge(try ShardMerge.plan(sources: (0..<3).map { files.path("s\($0).sqlite") }),
                                    into: files.path("merged.sqlite"))
        let (whole, merged) = try (Self.contents(of: files.path("whole.sqlite")), Self.contents(of: files.path("merged.sqlite")))
        let waits = try await DatabaseQueue(path: files.path("whole.sqlite")).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM trial WHERE wait_ns > 0") ?? 0
        }
        #expect(waits > 0, "no trial waited: the test would not show contention")
        for table in ["run", "arm", "trial", "api_call"] {
            #expect(whole[table] == merged[table], "table \(table) differs")
        }
    }

    static func resolvedHash(_ path: String) throws -> String? {
        try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "SELECT resolved_config_hash FROM run") }
    }

    static func refusal(_ sources: [String], into: String) -> String {
        do {
            _ = try TraceDatabase.merge(try ShardMerge.plan(sources: sources), into: into)
            return "merged"
        } catch {
            #expect((error as? TraceStoreError)?.code == "merge_refused", "\(error)")
            return "\(error)"
        }
    }

    @Test func mismatchedDuplicateMissingAndUnfinishedShardsAreRefusedAndNothingIsWritten() async throws {
        let files = try Files()
        defer { files.remove() }
        let experiment = try Experiment.parse(yaml: Self.small, file: "small.yaml")
        for k in 0..<3 {
            try await Self.simulate(experiment, text: Self.small, trials: 12, shard: try RunShard(index: k, count: 3),
                                    into: files.path("s\(k).sqlite"))
        }
        try await Self.simulate(experiment, text: Self.small, trials: 12, seed: 32, shard: try RunShard(index: 2, count: 3),
                                into: files.path("other-seed.sqlite"))
        try await Self.simulate(experiment, text: Self.small, trials: 15, shard: try RunShard(index: 2, count: 3),
                                into: files.path("other-trials.sqlite"))
        let hash = try #require(try Self.resolvedHash(files.path("s0.sqlite")))
        let seedHash = try #require(try Self.resolvedHash(files.path("other-seed.sqlite")))
        let trialsHash = try #require(try Self.resolvedHash(files.path("other-trials.sqlite")))
        #expect(Set([hash, seedHash, trialsHash]).count == 3)
        #expect(try Self.resolvedHash(files.path("s1.sqlite")) == hash)

        // An existing output database: it must not change.
        let out = files.path("out.sqlite")
        try await Self.simulate(experiment, text: Self.small, trials: 4, into: out)
        let before = try Self.contents(of: out)
        let (s0, s1, s2) = (files.path("s0.sqlite"), files.path("s1.sqlite"), files.path("s2.sqlite"))

        let seed = Self.refusal([s0, s1, files.path("other-seed.sqlite")], into: out)
        #expect(seed.contains(hash) && seed.contains(seedHash) && seed.contains("seed 31") && seed.contains("seed 32"), "\(seed)")
        let trials = Self.refusal([s0, s1, files.path("other-trials.sqlite")], into: out)
        #expect(trials.contains(hash) && trials.contains(trialsHash) && trials.contains("15 trials per arm"), "\(trials)")
        let duplicate = Self.refusal([s0, s1, s2, s1], into: out)
        #expect(duplicate.contains("duplicate shard 1/3") && duplicate.contains("s1.sqlite (run 1) and"), "\(duplicate)")
        let missing = Self.refusal([s0, s2], into: out)
        #expect(missing.contains("missing shard 1/3"), "\(missing)")
        let intoSource = Self.refusal([s0, s1, s2], into: s1)
        #expect(intoSource.contains("is the shard file"), "\(intoSource)")

        // An interrupted shard.
        try await DatabaseQueue(path: s2).write { try $0.execute(sql: "UPDATE run SET status = 'interrupted'") }
        let unfinished = Self.refusal([s0, s1, s2], into: out)
        #expect(unfinished.contains("is interrupted, not finished") && unfinished.contains("experiment resume 1 --db"), "\(unfinished)")
        #expect(try Self.contents(of: out) == before)

        // A new output file is not created by a refused merge, nor left behind by a failed one.
        let fresh = files.path("fresh.sqlite")
        _ = Self.refusal([s0, s1, s2], into: fresh)
        #expect(!FileManager.default.fileExists(atPath: fresh))

        // Finished again: the merge adds one run to the existing database and keeps its own.
        try await DatabaseQueue(path: s2).write { try $0.execute(sql: "UPDATE run SET status = 'finished'") }
        let merged = try TraceDatabase.merge(try ShardMerge.plan(sources: [s0, s1, s2]), into: out)
        #expect(merged.map(\.runID) == [2] && merged.first?.trials == 24)
        let runs = try DatabaseQueue(path: out).read { db in
            try Row.fetchAll(db, sql: "SELECT id, trials_per_arm, shard_index, resolved_config_hash FROM run ORDER BY id")
        }
        #expect(runs.map { $0["trials_per_arm"] as Int } == [4, 12])
        #expect(runs.last?["shard_index"] as Int? == nil && runs.last?["resolved_config_hash"] as String? == hash)
    }

    @Test func commitsThatDifferAreMergedWithAWarning() async throws {
        let files = try Files()
        defer { files.remove() }
        let experiment = try Experiment.parse(yaml: Self.small, file: "small.yaml")
        for k in 0..<2 {
            try await Self.simulate(experiment, text: Self.small, trials: 12, shard: try RunShard(index: k, count: 2),
                                    into: files.path("s\(k).sqlite"))
            try await DatabaseQueue(path: files.path("s\(k).sqlite")).write {
                try $0.execute(sql: "UPDATE run SET git_sha = ?, git_dirty = 0", arguments: ["c0ffee\(k)"])
            }
        }
        let plan = try ShardMerge.plan(sources: [files.path("s0.sqlite"), files.path("s1.sqlite")])
        #expect(plan.warnings.count == 1)
        #expect(plan.warnings.first?.contains("0/2 c0ffee0, 1/2 c0ffee1") == true, "\(plan.warnings)")
    }

    @Test func aShardResumesOnlyItsOwnMissingTrials() async throws {
        let files = try Files()
        defer { files.remove() }
        let experiment = try Experiment.parse(yaml: Self.small, file: "small.yaml")
        let path = files.path("s1.sqlite")
        try await Self.simulate(experiment, text: Self.small, trials: 12, shard: try RunShard(index: 1, count: 3), into: path)
        let complete = try Self.contents(of: path)
        let database = try TraceDatabase.open(path: path)
        defer { try? database.close() }
        // A crash lost the shard's trials 7 and 10 (of 1, 4, 7, 10) of every arm.
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM api_call WHERE trial_id IN (SELECT id FROM trial WHERE trial_index >= 7)")
            try db.execute(sql: "DELETE FROM trial WHERE trial_index >= 7")
            try db.execute(sql: "UPDATE run SET status = 'interrupted'")
        }
        let resumed = try await ExperimentRunner().resume(runID: 1, database: database)
        #expect(resumed.trials == 2 * 2)
        #expect(try Self.contents(of: path) == complete)
        // Finished with its four trials per arm: nothing more to resume.
        #expect(try await ExperimentRunner().resume(runID: 1, database: database).trials == 0)
    }

    @Test func liveShardsRunTheirTrialsWithTheWholeRunsSeedsAndRefuseLearnedArms() async throws {
        let files = try Files()
        defer { files.remove() }
        let yaml = """
            name: live-shard
            trials: 6
            seed: 3
            concurrency: 12
            timeout: 5
            job: {base_delay: 0.05, var_delay: 0.05}
            arms:
              - {name: constant, strategy: constant, interval: 0.02}
            """
        let experiment = try Experiment.parse(yaml: yaml, file: "live-shard.yaml")
        let database = try TraceDatabase.open(path: files.path("live.sqlite"))
        defer { try? database.close() }
        let result = try await ExperimentRunner().run(experiment, configText: yaml, database: database,
                                                      options: .init(shard: try RunShard(index: 1, count: 2)))
        #expect(result.trials == 3)
        let rows = try await database.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT trial_index, job_seed FROM trial ORDER BY trial_index")
        }
        #expect(rows.map { $0["trial_index"] as Int } == [1, 3, 5])
        #expect(rows.map { $0["job_seed"] as String } == [1, 3, 5].map { String(SeedDerivation.jobSeed(runSeed: 3, trialIndex: $0)) })
        let shard = try await database.reader.read { db in
            try Row.fetchOne(db, sql: "SELECT shard_index, shard_count FROM run")
        }
        #expect(shard?["shard_index"] as Int? == 1 && shard?["shard_count"] as Int? == 2)

        let learned = try Experiment.parse(yaml: yaml + "\n  - {name: learned, strategy: learned}", file: "live-shard.yaml")
        await #expect(throws: ExperimentError.self) {
            _ = try await ExperimentRunner().run(learned, configText: yaml, database: database,
                                                 options: .init(shard: try RunShard(index: 0, count: 2)))
        }
        do {
            try ExperimentRunner.checkShard(try RunShard(index: 0, count: 2), of: learned)
            Issue.record("a live shard with a learned arm was accepted")
        } catch {
            #expect("\(error)".contains("learned arm 'learned'") && "\(error)".contains("--simulate"), "\(error)")
        }
        // Simulated, the same shard runs (the learned arm replays the other shard's trials).
        var simulated = learned
        simulated.mode = .simulated
        try ExperimentRunner.checkShard(try RunShard(index: 0, count: 2), of: simulated)
        #expect(throws: ExperimentError.self) { try ExperimentRunner.checkShard(try RunShard(index: 0, count: 7), of: simulated) }
        #expect(try await database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") } == 1)
    }
}
