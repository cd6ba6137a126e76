import ExperimentKit
import Foundation
import GRDB
import PollingCore
import Testing
import TraceStore

/// The `sse` and `webhook` arms in experiments (issue 12 item 4): parsing, a live run with the
/// runner's own webhook receiver and the server's push counts in `server_push`, and the
/// simulator's model (the final status at completion plus the one-way latency, one call).
@Suite struct PushArmsRunTests {
    static let arms: [Experiment.Arm] = [
        .init(name: "sse", strategy: .sse(SSEStrategy(wait: 60))),
        .init(name: "webhook", strategy: .webhook(WebhookStrategy(wait: 5, fallbackInterval: 0.5))),
    ]

    func withDatabase<T>(_ body: (TraceDatabase) async throws -> T) async throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        defer { try? database.close() }
        return try await body(database)
    }

    @Test func pushArmsParseWithTheirDefaults() throws {
        #expect(try parseArm("strategy: sse") == .sse(SSEStrategy(wait: 60)))
        #expect(try parseArm("strategy: webhook") == .webhook(WebhookStrategy(wait: 30, fallbackInterval: 0.5)))
        #expect(try parseArm("strategy: webhook\nwait: 4\nfallback_interval: 0.2") == .webhook(WebhookStrategy(wait: 4, fallbackInterval: 0.2)))
        #expect(try parseArm("strategy: webhook\nwait: 4").parametersJSON == #"{"fallback_interval":0.5,"wait":4}"#)
    }

    @Test(arguments: [("strategy: sse\ninterval: 1", "interval"), ("strategy: sse\nwait: 0", "wait"),
                      ("strategy: webhook\nfallback_interval: -1", "fallback_interval"), ("strategy: webhook\nwait: x", "wait")])
    func badPushArmKeysAreNamed(_ arm: String, _ key: String) throws {
        do {
            _ = try parseArm(arm)
            Issue.record("accepted: \(arm)")
        } catch let ExperimentError.invalidField(file, line, field, _) {
            #expect(file == "kinds.yaml")
            #expect(line != nil)
            #expect(field == "arms[0].\(key)")
        }
    }

    /// Live: every job detected with one status call per trial; the server opened one stream
    /// per `sse` trial and made one callback attempt per `webhook` trial, stored in `server_push`.
    @Test func liveRunDetectsEveryJobAndRecordsTheServersPushCost() async throws {
        let experiment = Experiment(name: "push", trials: 10, seed: 3, concurrency: 20, timeout: 10,
                                    job: JobParameters(baseDelay: 0.3, varDelay: 0.3, successRate: 0.8), arms: Self.arms)
        try await withDatabase { database in
            let result = try await ExperimentRunner().run(experiment, configText: "", database: database)
            try await database.reader.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT arm, trials, completed + errored AS detected, mean_tries, mean_delay_s
                    FROM arm_summary WHERE run_id = ? ORDER BY arm
                    """, arguments: [result.runID])
                #expect(rows.count == 2)
                for row in rows {
                    let arm: String = row["arm"], delay: Double = row["mean_delay_s"]
                    #expect(row["trials"] == 10)
                    #expect(row["detected"] == 10, "\(arm)")
                    #expect(row["mean_tries"] == 1.0, "\(arm)")
                    #expect(delay >= 0 && delay < 0.5, "\(arm): mean delay \(delay) s")
                }
                let push = try Row.fetchOne(db, sql: """
                    SELECT sum(sse_opened) AS opened, sum(sse_resumed) AS resumed, max(sse_open_peak) AS peak,
                           sum(sse_connection_ns) AS connection_ns, sum(callback_attempts) AS attempts,
                           sum(callback_failures) AS failures, sum(callbacks_abandoned) AS abandoned
                    FROM server_push WHERE run_id = ?
                    """, arguments: [result.runID])!
                #expect(push["opened"] == 10)
                #expect(push["resumed"] == 0)
                let peak: Int = push["peak"], connection: Int64 = push["connection_ns"]
                #expect(peak >= 1 && peak <= 10)
                let callNanos = try Int64.fetchOne(db, sql: """
                    SELECT sum(c.received_ns - c.sent_ns) FROM api_call c JOIN trial t ON t.id = c.trial_id
                    JOIN arm a ON a.id = t.arm_id WHERE a.run_id = ? AND a.name = 'sse' AND c.kind = 'status'
                    """, arguments: [result.runID]) ?? 0
                #expect(connection > 0 && connection <= callNanos)  // each stream lies within its client's call
                #expect(push["attempts"] == 10)
                #expect(push["failures"] == 0)
                #expect(push["abandoned"] == 0)
            }
        }
    }

    /// Simulated: a push arm is a long poll held until the job ends, so with a constant round
    /// trip of 20 ms every trial is detected exactly 10 ms (one way) after its true completion,
    /// with one call (hand calculation; no DES change needed).
    @Test func simulatedPushArmsDetectAtCompletionPlusOneWayLatency() async throws {
        var experiment = Experiment(name: "push-sim", mode: .simulated, trials: 200, seed: 5, timeout: 10,
                                    latency: .constant(0.02),
                                    job: JobParameters(baseDelay: 1.5, varDelay: 0.9, successRate: 0.8), arms: Self.arms)
        experiment.concurrency = 200
        try await withDatabase { database in
            let result = try await ExperimentRunner().run(experiment, configText: "", database: database)
            try await database.reader.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT arm, count(*) AS n, min(tries) AS lo, max(tries) AS hi, min(delay_s) AS dmin, max(delay_s) AS dmax
                    FROM trial_metrics WHERE run_id = ? AND detected GROUP BY arm
                    """, arguments: [result.runID])
                #expect(rows.count == 2)
                for row in rows {
                    #expect(row["n"] == 200)
                    #expect(row["lo"] == 1 && row["hi"] == 1)
                    let dmin: Double = row["dmin"], dmax: Double = row["dmax"]
                    #expect(abs(dmin - 0.01) < 1e-6 && abs(dmax - 0.01) < 1e-6, "\(dmin)...\(dmax)")
                }
            }
        }
    }
}
