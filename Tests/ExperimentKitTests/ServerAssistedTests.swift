import ExperimentKit
import Foundation
import GRDB
import MockJobServer
import PollingCore
import Testing
import TraceStore

/// Server-assisted strategies live over loopback HTTP: long polling and Retry-After hints.
@Suite struct ServerAssistedTests {
    func run(_ experiment: Experiment, _ check: @escaping @Sendable (Database, Int64) throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        let result = try await ExperimentRunner().run(experiment, configText: "", database: database)
        try await database.reader.read { try check($0, result.runID) }
    }

    @Test func longPollingHitsEveryTimeWithNoDelay() async throws {
        // Issue 3: aggregate HR ≥ 0.99 and mean ER ≤ 0.01 live. Jobs of 1 s + U(0, 0.5).
        let experiment = Experiment(
            name: "long-poll", trials: 20, seed: 9, concurrency: 20, timeout: 10,
            job: JobParameters(baseDelay: 1, varDelay: 0.5, successRate: 0.8),
            arms: [.init(name: "long-poll", strategy: .longPoll(LongPollStrategy(wait: 5)))])
        try await run(experiment) { db, run in
            let row = try Row.fetchOne(db, sql: "SELECT aggregate_hr, mean_er, trials FROM arm_summary WHERE run_id = ?",
                                       arguments: [run])!
            let hr: Double = row["aggregate_hr"], er: Double = row["mean_er"]
            #expect(row["trials"] == 20)
            #expect(hr >= 0.99, "aggregate HR \(hr)")
            #expect(er <= 0.01, "mean ER \(er)")
        }
    }

    @Test func hintedNeverCallsEarlierThanRetryAfter() async throws {
        var experiment = Experiment(
            name: "hinted", trials: 6, seed: 4, concurrency: 6, timeout: 10,
            server: ServerSettings(hints: .init(retryAfter: 1)),
            job: JobParameters(baseDelay: 1.2, varDelay: 0.5, successRate: 1),
            arms: [.init(name: "hinted", strategy: .hinted(HintedStrategy(interval: 0.1, minInterval: 0.05, maxInterval: 5)))])
        try await run(experiment) { db, _ in
            let calls = try Row.fetchAll(db, sql: """
                SELECT c.trial_id, c.sent_ns, c.received_ns, c.retry_after_ns FROM api_call c
                WHERE c.kind = 'status' ORDER BY c.trial_id, c.seq
                """)
            #expect(calls.count >= 12)  // every job takes ≥ 1.2 s: at least two polls each
            var early = 0
            for (previous, next) in zip(calls, calls.dropFirst()) where (previous["trial_id"] as Int64) == (next["trial_id"] as Int64) {
                let hint: Int64? = previous["retry_after_ns"]
                #expect(hint == 1_000_000_000)
                if (next["sent_ns"] as Int64) < (previous["received_ns"] as Int64) + (hint ?? 0) { early += 1 }
            }
            #expect(early == 0)
        }

        // A hint that points past the deadline ends the trial as timed out at once: the trial ends
        // when its only response arrived, not at the deadline.
        experiment.timeout = 0.5
        experiment.trials = 2
        try await run(experiment) { db, _ in
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.outcome, t.error_code, t.tries, t.end_ns - c.received_ns AS span
                FROM trial t JOIN api_call c ON c.trial_id = t.id AND c.seq = 1
                """)
            #expect(rows.count == 2)
            for row in rows {
                #expect(row["outcome"] == "timed_out")
                #expect(row["error_code"] == "deadline")
                #expect(row["tries"] == 1)
                #expect(row["span"] == 0)
            }
        }
    }
}
