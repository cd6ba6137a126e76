import ExperimentKit
import Foundation
import GRDB
import PollingCore
import Testing
import TraceStore

/// Hints below a second travel in the fractional `eta`, not the whole-second `Retry-After`.
@Suite struct SubSecondHintTests {
    /// Live over loopback, time-scaled (0.1): a 13 s job (1.3 s real), the hinted arm's first poll
    /// at 10 s (1 s real). The server answers pending with `eta` ≈ 0.3 s and `Retry-After: 1`;
    /// the arm must poll again about 0.3 s later (not 0 s, not the 1 s the header rounds to) and
    /// detect the job with that second poll.
    @Test func anETAOfAThirdOfASecondIsHonoured() async throws {
        let yaml = """
            name: eta
            trials: 3
            seed: 5
            concurrency: 3
            time_scale: 0.1
            server: {eta: true, retry_after: 10}
            job: {duration: {model: fixed, seconds: 13}, success_rate: 1}
            arms:
              - {name: hinted, strategy: hinted, interval: 10, initial_delay: 10}
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        let experiment = try Experiment.parse(yaml: yaml, file: "eta.yaml")
        #expect(experiment.scaledServer.hints.retryAfter == 1)  // 10 s × 0.1: a whole second
        let result = try await ExperimentRunner().run(experiment, configText: yaml, database: database)
        try await database.reader.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.start_ns, t.outcome, c.seq, c.sent_ns, c.received_ns, c.retry_after_ns, c.result FROM trial t
                JOIN api_call c ON c.trial_id = t.id JOIN arm a ON a.id = t.arm_id
                WHERE a.run_id = ? AND c.kind = 'status' ORDER BY t.trial_index, c.seq
                """, arguments: [result.runID])
            #expect(rows.count == 6, "two polls a trial")
            for pair in stride(from: 0, to: rows.count - 1, by: 2) {
                let first = rows[pair], second = rows[pair + 1]
                #expect(first["result"] as String? == "pending")
                #expect(first["retry_after_ns"] as Int64? == 1_000_000_000)  // the header said 1 s
                let gap = Double((second["sent_ns"] as Int64) - (first["received_ns"] as Int64)) / 1e9
                #expect(gap > 0.2 && gap < 0.6, "waited \(gap) s after a 0.3 s ETA")
                #expect(second["result"] as String? == "completed")
            }
        }
    }
}
