import Foundation
import GRDB
import TraceStore

/// A temporary results database filled with hand-made rows (deleted on deinit).
final class Fixture {
    let path: String
    let queue: DatabaseQueue

    /// A migrated, empty database in a fresh temporary file.
    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("analysis-\(UUID().uuidString).sqlite").path
        queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue)
    }

    deinit {
        try? queue.close()
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    @discardableResult
    func experiment(_ name: String) throws -> Int64 {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO experiment (name) VALUES (?)", arguments: [name])
            return db.lastInsertedRowID
        }
    }

    @discardableResult
    func run(experimentID: Int64, status: String = "finished", mode: String = "simulated",
             seed: String = "42", trialsPerArm: Int = 4, startedAt: String = "2025-06-01T12:00:00Z",
             gitSHA: String? = "0123456789abcdef0123", gitDirty: Bool? = true) throws -> Int64 {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO run (experiment_id, status, mode, seed, trials_per_arm, concurrency,
                                 started_at, git_sha, git_dirty, host, toolchain, config_text, config_hash)
                VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, 'test-host', 'swift-6.3.1', 'name: x', '0')
                """,
                arguments: [experimentID, status, mode, seed, trialsPerArm, startedAt, gitSHA,
                            gitDirty.map { $0 ? 1 : 0 }])
            return db.lastInsertedRowID
        }
    }

    @discardableResult
    func arm(runID: Int64, index: Int, name: String, strategy: String) throws -> Int64 {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO arm (run_id, arm_index, name, strategy, parameters) VALUES (?, ?, ?, ?, '{}')
                """, arguments: [runID, index, name, strategy])
            return db.lastInsertedRowID
        }
    }

    /// One trial; instants in seconds from the run's start (stored as integer nanoseconds).
    func trial(armID: Int64, index: Int, start: Double, done: Double?, detect: Double?,
               outcome: String, tries: Int) throws {
        func ns(_ s: Double) -> Int64 { Int64((s * 1e9).rounded()) }
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO trial (arm_id, trial_index, job_seed, planned_duration_ns, start_ns,
                                   done_ns, detect_ns, end_ns, outcome, tries)
                VALUES (?, ?, '7', ?, ?, ?, ?, ?, ?, ?)
                """,
                arguments: [armID, index, ns((done ?? start) - start), ns(start), done.map(ns),
                            detect.map(ns), ns(detect ?? 10), outcome, tries])
        }
    }

    /// The reference arm of the tests: 4 trials, tries 3, 2, 5, 4.
    ///
    /// | trial | start | done | detect | outcome   | delay | ER   |
    /// | 0     | 0     | 0.5  | 2.0    | completed | 1.5   | 0.75 |
    /// | 1     | 1     | 2.0  | 3.0    | error     | 1.0   | 0.5  |
    /// | 2     | 0     | 1.5  | 2.0    | completed | 0.5   | 0.25 |
    /// | 3     | 0     | 5.0  | –      | timed_out | –     | 1    |
    func referenceArm(runID: Int64, index: Int = 0, name: String = "seed") throws {
        let arm = try arm(runID: runID, index: index, name: name, strategy: "seed")
        try trial(armID: arm, index: 0, start: 0, done: 0.5, detect: 2.0, outcome: "completed", tries: 3)
        try trial(armID: arm, index: 1, start: 1, done: 2.0, detect: 3.0, outcome: "error", tries: 2)
        try trial(armID: arm, index: 2, start: 0, done: 1.5, detect: 2.0, outcome: "completed", tries: 5)
        try trial(armID: arm, index: 3, start: 0, done: 5.0, detect: nil, outcome: "timed_out", tries: 4)
    }
}
