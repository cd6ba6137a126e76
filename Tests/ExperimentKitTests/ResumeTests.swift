import ExperimentKit
import Foundation
import GRDB
import PollingCore
import Synchronization
import Testing
import TraceStore

@Suite struct ResumeTests {
    static let experiment = Experiment(
        name: "resumable", mode: .simulated, trials: 200, seed: 31, latency: .uniform(0.001, 0.003),
        job: JobParameters(baseDelay: 1.5, varDelay: 0.9),
        arms: [.init(name: "seed", strategy: .seed(SeedStrategy(durationHint: 1.5))),
               .init(name: "jitter", strategy: .exponential(try! ExponentialStrategy(jitter: .full)))])

    static let rowsSQL = """
        SELECT a.name, t.trial_index, t.job_seed, t.start_ns, t.done_ns, t.detect_ns, t.end_ns, t.outcome, t.tries,
               (SELECT group_concat(c.seq || ':' || c.sent_ns || ':' || c.received_ns) FROM api_call c WHERE c.trial_id = t.id)
        FROM trial t JOIN arm a ON a.id = t.arm_id WHERE a.run_id = ? ORDER BY a.arm_index, t.trial_index
        """

    @Test func resumeRunsOnlyTheMissingTrialsAndMatchesAnUninterruptedRun() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        let yaml = """
            name: resumable
            mode: simulated
            trials: 200
            seed: 31
            latency: [0.001, 0.003]
            job: {base_delay: 1.5, var_delay: 0.9}
            arms:
              - {name: seed, strategy: seed, duration_hint: 1.5}
              - {name: jitter, strategy: exponential, jitter: full}
            """
        let experiment = try Experiment.parse(yaml: yaml, file: "resumable.yaml")
        let run = try await ExperimentRunner().run(experiment, configText: yaml, database: database).runID
        let complete = try await database.reader.read { try Row.fetchAll($0, sql: Self.rowsSQL, arguments: [run]) }
        #expect(complete.count == 400)

        // A crash that lost the last trials of each arm, and left the run marked interrupted.
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM api_call WHERE trial_id IN (SELECT id FROM trial WHERE trial_index >= 150 OR trial_index % 7 = 3)")
            try db.execute(sql: "DELETE FROM trial WHERE trial_index >= 150 OR trial_index % 7 = 3")
            // …and the trials in flight were cut short by a cancellation.
            try db.execute(sql: "UPDATE trial SET outcome = 'failed', error_code = 'cancelled' WHERE trial_index = 100")
            try db.execute(sql: "UPDATE run SET status = 'interrupted'")
        }
        let resumed = try await ExperimentRunner().resume(runID: run, database: database)
        #expect(resumed.trials == 2 * (51 + (0..<150).filter { $0 % 7 == 3 }.count))
        let after = try await database.reader.read { try Row.fetchAll($0, sql: Self.rowsSQL, arguments: [run]) }
        #expect(after == complete)
        let status = try await database.reader.read { try String.fetchOne($0, sql: "SELECT status FROM run WHERE id = ?", arguments: [run]) }
        #expect(status == "finished")

        // Nothing left to do: a second resume runs no trial.
        #expect(try await ExperimentRunner().resume(runID: run, database: database).trials == 0)
    }

    /// Two `resume`s of one run started together (issue 10 item 16), each with its own pool as two
    /// processes would have: one runs the missing trials, the other is refused (or, if it came
    /// after the first finished, finds nothing to do); the rows equal the uninterrupted run's.
    @Test func twoResumesStartedTogetherRunTheMissingTrialsOnce() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        let other = try TraceDatabase.open(path: path)
        let yaml = """
            name: resumable
            mode: simulated
            trials: 200
            seed: 31
            latency: [0.001, 0.003]
            job: {base_delay: 1.5, var_delay: 0.9}
            arms:
              - {name: seed, strategy: seed, duration_hint: 1.5}
              - {name: jitter, strategy: exponential, jitter: full}
            """
        let experiment = try Experiment.parse(yaml: yaml, file: "resumable.yaml")
        let run = try await ExperimentRunner().run(experiment, configText: yaml, database: database).runID
        let complete = try await database.reader.read { try Row.fetchAll($0, sql: Self.rowsSQL, arguments: [run]) }
        for round in 0..<3 {
            try await database.writer.write { db in
                try db.execute(sql: "DELETE FROM api_call WHERE trial_id IN (SELECT id FROM trial WHERE trial_index >= 100)")
                try db.execute(sql: "DELETE FROM trial WHERE trial_index >= 100")
                try db.execute(sql: "UPDATE run SET status = 'interrupted'")
            }
            let outcomes = await withTaskGroup(of: Result<Int, any Error>.self) { group in
                for db in [database, other] {
                    group.addTask {
                        do { return .success(try await ExperimentRunner().resume(runID: run, database: db).trials) }
                        catch { return .failure(error) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let counts = outcomes.compactMap { try? $0.get() }
            let errors = outcomes.compactMap { if case .failure(let e) = $0 { return "\(e)" } else { return nil } }
            #expect(counts.contains(200) && counts.reduce(0, +) == 200, "round \(round): \(outcomes)")
            #expect(errors.allSatisfy { $0.contains("still being written by another runner") }, "round \(round): \(errors)")
            let after = try await database.reader.read { try Row.fetchAll($0, sql: Self.rowsSQL, arguments: [run]) }
            #expect(after == complete)
            let status = try await database.reader.read { try String.fetchOne($0, sql: "SELECT status FROM run WHERE id = ?", arguments: [run]) }
            #expect(status == "finished")
        }
    }

    @Test func aRunWithAFreshHeartbeatIsNotResumed() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        let run = try await ExperimentRunner().run(Self.experiment, configText: "name: resumable", database: database).runID
        try await database.writer.write { try $0.execute(sql: "UPDATE run SET status = 'running'") }
        try database.heartbeat(run)
        await #expect(throws: ExperimentError.self) { _ = try await ExperimentRunner().resume(runID: run, database: database) }
    }

    @Test func aCancelledRunIsMarkedInterruptedAndResumesToTheSameRows() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        var experiment = Self.experiment
        experiment.trials = 3_000
        let config = "name: resumable\nmode: simulated\ntrials: 3000\nseed: 31\nlatency: [0.001, 0.003]\n"
            + "job: {base_delay: 1.5, var_delay: 0.9}\narms:\n  - {name: seed, strategy: seed, duration_hint: 1.5}\n"
            + "  - {name: jitter, strategy: exponential, jitter: full}\n"
        let reference = try await ExperimentRunner().run(experiment, configText: config, database: database).runID

        // Cancel from the progress callback once 2 000 trials are done: an explicit signal.
        let holder = TaskHolder()
        let task = Task {
            try await ExperimentRunner().run(experiment, configText: config, database: database,
                                             options: .init(progress: { done, _ in if done >= 2_000 { holder.cancel() } }))
        }
        holder.set(task)
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        let interrupted = reference + 1
        let status = try await database.reader.read { try String.fetchOne($0, sql: "SELECT status FROM run WHERE id = ?", arguments: [interrupted]) }
        #expect(status == "interrupted")
        let kept = try await database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM trial t JOIN arm a ON a.id = t.arm_id WHERE a.run_id = ?", arguments: [interrupted]) } ?? 0
        #expect(kept >= 2_000 && kept < 6_000)

        _ = try await ExperimentRunner().resume(runID: interrupted, database: database)
        let rows = { (run: Int64) in try await database.reader.read { try Row.fetchAll($0, sql: Self.rowsSQL, arguments: [run]) } }
        #expect(try await rows(interrupted) == rows(reference))
    }
}

/// Hands a task to a callback that runs before the task is known (the progress closure).
final class TaskHolder: Sendable {
    private let task = Mutex<Task<ExperimentRunner.Result, any Error>?>(nil)
    private let cancelled = Mutex(false)

    func set(_ value: Task<ExperimentRunner.Result, any Error>) {
        task.withLock { $0 = value }
        if cancelled.withLock({ $0 }) { value.cancel() }
    }

    func cancel() {
        cancelled.withLock { $0 = true }
        task.withLock { $0?.cancel() }
    }
}
