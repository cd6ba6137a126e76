import Analysis
import ExperimentKit
import Foundation
import GRDB
import PollingCore
import Testing
import TraceStore

/// The runner end to end: embedded mock server over real loopback HTTP, a real SQLite file.
@Suite struct LiveRunnerTests {
    let experiment = Experiment(
        name: "short-jobs", trials: 8, seed: 11, concurrency: 16, timeout: 5,
        job: JobParameters(baseDelay: 0.2, varDelay: 0.1, successRate: 0.5),
        arms: [.init(name: "constant", strategy: .constant(ConstantStrategy(interval: 0.05))),
               .init(name: "exponential", strategy: .exponential(try! ExponentialStrategy(initial: 0.05, jitter: .full)))])

    func temporaryDatabase() throws -> (TraceDatabase, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        return (try TraceDatabase.open(path: path), path)
    }

    @Test func runRecordsEveryTrialAndCallAndSummarises() async throws {
        let (database, path) = try temporaryDatabase()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let result = try await ExperimentRunner().run(experiment, configText: "text", database: database)
        #expect(result.trials == 16)

        try await database.reader.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "SELECT status FROM run WHERE id = ?", arguments: [result.runID]) == "finished")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM trial") == 16)
            // One create call per trial plus one row per status call.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM api_call WHERE kind = 'create'") == 16)
            #expect(try Int.fetchOne(db, sql: "SELECT sum(tries) FROM trial")
                    == Int.fetchOne(db, sql: "SELECT count(*) FROM api_call WHERE kind = 'status'"))
            // The trial columns agree with what the call rows say.
            #expect(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM trial t JOIN trial_calls c ON c.trial_id = t.id
                WHERE c.status_calls != t.tries OR c.first_final_ns IS NOT t.detect_ns
                """) == 0)
            // Every trial detected its job, no earlier than its true completion; the estimate of
            // that instant (anchored at the create call's midpoint) is off by at most half the
            // create call's round trip.
            #expect(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM trial t JOIN api_call c ON c.trial_id = t.id AND c.kind = 'create'
                WHERE t.outcome IN ('completed', 'error') AND t.detect_ns >= t.done_ns - (t.start_ns - c.sent_ns) / 2
                """) == 16)
            // Common random numbers: both arms got the same job at each index.
            #expect(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM trial a JOIN trial b ON a.trial_index = b.trial_index AND a.arm_id < b.arm_id
                WHERE a.job_seed = b.job_seed AND a.planned_duration_ns = b.planned_duration_ns AND a.outcome = b.outcome
                """) == 8)
            // Constant 50 ms polling detects within one interval plus the slack each trial
            // measured (issue 10 item 28: a fixed slack broke on a loaded machine): the previous
            // call p was pending, so the job ended after p was sent (less half the create round
            // trip c of anchor error); the detecting call f was asked max(50 ms, p's round trip)
            // after p was sent, then sent late and answered: delay ≤ detect − p.sent + c/2.
            #expect(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM trial t JOIN arm a ON a.id = t.arm_id AND a.name = 'constant'
                JOIN trial_metrics m ON m.trial_id = t.id
                JOIN api_call f ON f.trial_id = t.id AND f.kind = 'status' AND f.received_ns = t.detect_ns
                JOIN api_call p ON p.trial_id = t.id AND p.seq = f.seq - 1
                JOIN api_call c ON c.trial_id = t.id AND c.kind = 'create'
                WHERE m.delay_s * 1e9 <= max(50e6, p.received_ns - p.sent_ns) + (t.detect_ns - f.asked_ns)
                                         + (t.start_ns - c.sent_ns) / 2.0 + 1000
                  AND f.asked_ns - p.sent_ns <= max(50e6, p.received_ns - p.sent_ns) + 1000
                """) == 8)
        }
        let text = try RunSummary.summaryText(reader: database.reader, runID: result.runID)
        #expect(text.contains("short-jobs") && text.contains("constant") && text.contains("exponential"))
    }

    @Test func unreachableServerFailsClearlyWithoutARun() async throws {
        let (database, path) = try temporaryDatabase()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        await #expect(throws: ExperimentError.self) {
            _ = try await ExperimentRunner().run(experiment, configText: "", database: database,
                                                 options: .init(serverURL: "http://127.0.0.1:1"))
        }
        #expect(try await database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") } == 0)
    }
}
