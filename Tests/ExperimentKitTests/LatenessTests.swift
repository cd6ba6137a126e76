import Foundation
import GRDB
import PollingCore
import Testing
import TraceStore
@testable import ExperimentKit

/// Timing fidelity: every status call records the instant the poll loop asked for.
@Suite struct LatenessTests {
    /// In simulation calls leave exactly when asked: asked_ns = sent_ns for every status call,
    /// NULL for the create call.
    @Test func simulatedCallsAreNeverLate() async throws {
        let yaml = """
            name: late
            mode: simulated
            trials: 3
            seed: 2
            latency: 0.01
            job: {base_delay: 1, var_delay: 0.5}
            arms:
              - {name: backoff, strategy: exponential, initial: 0.1, jitter: full}
            """
        let experiment = try Experiment.parse(yaml: yaml, file: "late.yaml")
        let sink = InMemoryTraceSink()
        _ = try await ExperimentRunner.simulate(experiment, sink: sink)
        let calls = await sink.trials.flatMap(\.calls)
        #expect(calls.filter { $0.kind == .status }.allSatisfy { $0.askedNanos == $0.sentNanos })
        #expect(calls.filter { $0.kind == .create }.allSatisfy { $0.askedNanos == nil })
        #expect(calls.filter { $0.kind == .status }.count >= 6)
    }

    /// Live: every status row carries asked_ns, never after sent_ns (the runner cannot send early);
    /// create rows have none. (The machine's speed is not asserted here: lateness is a figure.)
    @Test func liveRowsCarryTheAskedInstant() async throws {
        let yaml = """
            name: late
            trials: 4
            seed: 2
            concurrency: 4
            job: {base_delay: 0.2, var_delay: 0.1}
            arms:
              - {name: constant, strategy: constant, interval: 0.05}
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        _ = try await ExperimentRunner().run(try Experiment.parse(yaml: yaml, file: "late.yaml"), configText: yaml, database: database)
        let counts = try await database.reader.read { db in
            try ["SELECT count(*) FROM api_call WHERE kind = 'status' AND asked_ns IS NULL",
                 "SELECT count(*) FROM api_call WHERE kind = 'create' AND asked_ns IS NOT NULL",
                 "SELECT count(*) FROM api_call WHERE kind = 'status' AND sent_ns < asked_ns",
                 "SELECT count(*) FROM api_call WHERE kind = 'status'"].map { try Int.fetchOne(db, sql: $0) ?? -1 }
        }
        #expect(counts[0...2] == [0, 0, 0])
        #expect(counts[3] >= 4 * 4)  // 0.2-0.3 s jobs polled every 50 ms from 0: at least 5 polls each
    }

    /// p50 / p99 of the lateness log, by hand (type 7): lateness 0, 1, …, 100 ms → p50 50 ms,
    /// p99 99 ms. Call i is asked at i·200 ms, after the previous receive ((i − 1)·200 + i ms),
    /// and sent i ms late.
    @Test func latenessPercentiles() {
        let log = LatenessLog()
        let calls = (0...100).map { i in
            let asked = Int64(i) * 200_000_000, sent = asked + Int64(i) * 1_000_000
            return CallRecord(sequence: i + 1, kind: .status, sentNanos: sent, receivedNanos: sent + 1_000_000,
                              askedNanos: asked)
        }
        let create = CallRecord(sequence: 0, kind: .create, sentNanos: 0, receivedNanos: 0)
        log.add(TrialRecord(arm: "a", trialIndex: 0, jobID: nil, jobSeed: 0, plannedDurationNanos: 0, startNanos: 0,
                            doneNanos: nil, detectNanos: nil, endNanos: 0, outcome: .failed, calls: [create] + calls))
        let p = log.percentiles
        #expect(abs((p?.p50 ?? -1) - 0.050) < 1e-12)
        #expect(abs((p?.p99 ?? -1) - 0.099) < 1e-12)
    }
}
