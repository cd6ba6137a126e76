import ExperimentKit
import Foundation
import GRDB
import PollingCore
import Testing
import TraceStore

/// Runs with a server capacity or arrivals: the simulator's event simulation against the live
/// server, the fast path, and itself.
@Suite struct FleetRunTests {
    func withDatabase(_ body: (TraceDatabase) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await body(try TraceDatabase.open(path: path))
    }

    func simulate(_ yaml: String) async throws -> [TrialRecord] {
        var experiment = try Experiment.parse(yaml: yaml, file: "fleet.yaml")
        experiment.mode = .simulated
        let sink = InMemoryTraceSink()
        _ = try await ExperimentRunner.simulate(experiment, sink: sink)
        return await sink.trials
    }

    /// A scripted arrival sequence: bursts of 5 trials at 0, 1 and 2 s, each making exactly one
    /// status call as it starts (the next poll, 10 s later, and a retry after Retry-After 1 s,
    /// both fall after the 0.5 s deadline), against a bucket of 3 tokens refilled at 5/s. By
    /// hand: each burst finds a full bucket (3 tokens; 1 s refills 5, capped at 3): 3 served,
    /// 2 refused 429; 9 served and 6 refused in all. The bucket's timing leaves 200 ms of slack
    /// within a burst and 400 ms between bursts, far more than loopback jitter.
    static let scripted = """
        name: scripted
        trials: 15
        seed: 3
        concurrency: 15
        timeout: 0.5
        arrivals: {pattern: bursts, size: 5, every: 1}
        server:
          capacity: {rate: 5, burst: 3}
        job: {base_delay: 10, var_delay: 0}
        arms:
          - {name: once, strategy: constant, interval: 10}
        """

    @Test func simulatorLimiterMatchesTheLiveServer() async throws {
        let simulated = try await simulate(Self.scripted)
        let simStatuses = simulated.flatMap { $0.calls.filter { $0.kind == .status }.compactMap(\.httpStatus) }
        #expect(simStatuses.count(where: { $0 == 200 }) == 9)
        #expect(simStatuses.count(where: { $0 == 429 }) == 6)
        #expect(simStatuses.count == 15)
        try await withDatabase { database in
            let experiment = try Experiment.parse(yaml: Self.scripted, file: "scripted.yaml")
            let result = try await ExperimentRunner().run(experiment, configText: Self.scripted, database: database)
            try await database.reader.read { db in
                let live = try Int.fetchAll(db, sql: "SELECT http_status FROM api_call WHERE kind = 'status'")
                #expect(live.count(where: { $0 == 200 }) == 9)
                #expect(live.count(where: { $0 == 429 }) == 6)
                #expect(live.count == 15)
                let server = try #require(try Row.fetchOne(db, sql: """
                    SELECT sum(served) AS served, sum(rate_limited) AS limited FROM server_load WHERE run_id = ?
                    """, arguments: [result.runID]))
                #expect(server["served"] as Int == 9 && server["limited"] as Int == 6)
                // Each trial's create call left at its burst's instant (within loopback jitter).
                let late = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM trial t JOIN api_call c ON c.trial_id = t.id AND c.kind = 'create'
                    WHERE t.wait_ns IS NULL OR c.sent_ns < (t.trial_index / 5) * 1000000000
                    """) ?? -1
                #expect(late == 0)
            }
        }
    }

    /// Live, a herd of 4 with 2 workers and jobs of exactly 0.3 s: trials 2 and 3 wait for the
    /// first two to detect (≥ 0.3 s), and the wait is recorded.
    @Test func liveConcurrencyWaitIsRecorded() async throws {
        let yaml = """
            name: waits
            trials: 4
            seed: 1
            concurrency: 2
            arrivals: {pattern: herd}
            job: {base_delay: 0.3, var_delay: 0}
            arms:
              - {name: c, strategy: constant, interval: 0.1}
            """
        try await withDatabase { database in
            let experiment = try Experiment.parse(yaml: yaml, file: "waits.yaml")
            _ = try await ExperimentRunner().run(experiment, configText: yaml, database: database)
            let waits = try await database.reader.read { db in
                try Int64?.fetchAll(db, sql: "SELECT wait_ns FROM trial ORDER BY trial_index")
            }
            #expect(waits.count == 4)
            #expect(waits.prefix(2).allSatisfy { ($0 ?? -1) >= 0 && ($0 ?? .max) < 100_000_000 })
            #expect(waits.suffix(2).allSatisfy { ($0 ?? -1) >= 300_000_000 })
        }
    }

    static let fleet = """
        name: fleet
        trials: 40
        seed: 11
        concurrency: 40
        timeout: 10
        latency: [0.001, 0.02]
        job: {base_delay: 1, var_delay: 0.5, success_rate: 0.8}
        arms:
          - {name: constant, strategy: constant, interval: 0.2}
          - {name: full, strategy: exponential, initial: 0.1, jitter: full}
          - {name: seed, strategy: seed}
        """

    /// With an unlimited server, arrivals all at 0 and a cap above the trial count, the trials
    /// do not interact: the event simulation gives every trial exactly the fast path's rows
    /// (same PollLoop, same draws), only recorded in another order and with a wait of 0.
    @Test func eventSimulationEqualsTheFastPathWithoutContention() async throws {
        let fast = try await simulate(Self.fleet)
        let events = try await simulate(Self.fleet.replacingOccurrences(of: "job:", with: "arrivals: {pattern: herd}\njob:"))
        #expect(fast.allSatisfy { $0.waitNanos == nil })
        #expect(events.allSatisfy { $0.waitNanos == 0 })
        let key = { (r: TrialRecord) in "\(r.arm)/\(r.trialIndex)" }
        let stripped = events.map { record -> TrialRecord in
            var record = record
            record.waitNanos = nil
            return record
        }
        #expect(stripped.sorted { key($0) < key($1) } == fast.sorted { key($0) < key($1) })
        #expect(fast.count == 120)
    }

    /// With a capacity the trials contend for the server; the same seed and file still give the
    /// same rows in the same order, bit for bit, and another seed gives others.
    @Test func sameSeedGivesIdenticalRowsWithCapacity() async throws {
        let yaml = Self.fleet.replacingOccurrences(of: "job:", with: """
            arrivals: {pattern: poisson, rate: 100}
            server:
              capacity: {rate: 15, burst: 5, concurrency: 2, service_time: 0.05, max_queue: 1}
            job:
            """)
        let a = try await simulate(yaml)
        let b = try await simulate(yaml)
        #expect(a == b)
        #expect(a.count == 120)
        let statuses = a.flatMap { $0.calls.compactMap(\.httpStatus) }
        #expect(statuses.contains(429) && statuses.contains(503))  // contention happened
        let other = try await simulate(yaml.replacingOccurrences(of: "seed: 11", with: "seed: 12"))
        #expect(other != a)
    }

    /// Bad `arrivals:` settings name the file, line and key.
    @Test func badArrivalsNameFileLineAndKey() throws {
        let cases: [(String, String)] = [
            ("arrivals: {pattern: stampede}", "arrivals.pattern"),
            ("arrivals: {pattern: poisson, rate: 0}", "arrivals.rate"),
            ("arrivals: {pattern: poisson}", "arrivals.rate"),
            ("arrivals: {pattern: bursts, size: 0, every: 1}", "arrivals.size"),
            ("arrivals: {pattern: bursts, size: 2, every: -1}", "arrivals.every"),
            ("arrivals: {pattern: herd, rate: 3}", "arrivals.rate"),
            ("ramp_up: 1\narrivals: {pattern: herd}", "ramp_up"),
        ]
        for (line, field) in cases {
            let text = Self.fleet.replacingOccurrences(of: "job:", with: "\(line)\njob:")
            #expect {
                _ = try Experiment.parse(yaml: text, file: "fleet.yaml")
            } throws: { error in
                guard case .invalidField("fleet.yaml", let at?, let key, _) = error as? ExperimentError else { return false }
                return key == field && at >= 7
            }
        }
    }

    /// A resumed event simulation runs every trial again (they load the server) but records only
    /// the missing ones: exactly the rows of the uninterrupted run.
    @Test func skippedTrialsStillLoadTheServer() async throws {
        let yaml = Self.fleet.replacingOccurrences(of: "job:", with: "arrivals: {pattern: herd}\nserver:\n  capacity: {rate: 20, burst: 5}\njob:")
        var experiment = try Experiment.parse(yaml: yaml, file: "fleet.yaml")
        experiment.mode = .simulated
        let full = InMemoryTraceSink(), rest = InMemoryTraceSink()
        _ = try await ExperimentRunner.simulate(experiment, sink: full)
        let recorded = try await ExperimentRunner.simulate(experiment, sink: rest, skipping: { _, index in index % 3 == 0 })
        let expected = await full.trials.filter { $0.trialIndex % 3 != 0 }
        #expect(await rest.trials == expected)
        #expect(recorded == expected.count && recorded == 3 * 26)
    }
}
