import ExperimentKit
import Foundation
import GRDB
import MockJobServer
import PollingCore
import Testing
import TraceStore

/// `server: {progress: true}`, the `progress` arm, and the server settings under `time_scale`.
@Suite struct ProgressExperimentTests {
    static let partsJob = "job:\n  duration: {model: parts, count: 4, combine: sum, part: {model: seed, base: 1.5, var: 0.9}}\n"

    func yaml(server: String, job: String = partsJob, arm: String = "", timeScale: String = "") -> String {
        """
        name: p
        trials: 3
        seed: 1
        \(timeScale)\(server)\(job)arms:
          - name: c
            strategy: constant
        \(arm)
        """
    }

    static let progressArm = "  - name: progress\n    strategy: progress\n    initial: 2\n    max_interval: 8\n"

    @Test func progressArmAndSettingParse() throws {
        let e = try Experiment.parse(yaml: yaml(server: "server: {progress: true}\n", arm: Self.progressArm), file: "p.yaml")
        #expect(e.server.hints.progress)
        #expect(e.arms[1].strategy == .progress(try ProgressStrategy(initial: 2, multiplier: 2, minInterval: 0.05, maxInterval: 8)))
        #expect(e.arms[1].strategy.parametersJSON == #"{"initial":2,"max_interval":8,"min_interval":0.05,"multiplier":2}"#)
    }

    @Test(arguments: [
        // progress on a job without parts: nothing to report, so the file is refused.
        ("server: {progress: true}\n", "job:\n  duration: {model: exponential, mean: 3}\n", "", "bad.yaml:4: server.progress", "needs a job made of parts"),
        // the progress arm without the server's progress reports.
        ("", partsJob, progressArm, "bad.yaml:10: arms[1].strategy", "server: {progress: true}"),
        ("server: {progress: 1}\n", partsJob, "", "bad.yaml:4: server.progress", "true or false"),
        ("server: {progres: true}\n", partsJob, "", "bad.yaml:4: server.progres", "unknown key"),
        ("server: {progress: true}\n", partsJob, progressArm + "    guess: 3\n", "bad.yaml:14: arms[1].guess", "unknown key"),
        ("server: {progress: true}\n", partsJob, "  - name: p\n    strategy: progress\n    multiplier: 0.5\n", "arms[1].multiplier", ">= 1"),
        ("server: {progress: true}\n", partsJob, "  - name: p\n    strategy: progress\n    min_interval: 9\n    max_interval: 1\n", "arms[1].max_interval", ">= min_interval"),
    ])
    func badInputNamesFileLineAndKey(_ server: String, _ job: String, _ arm: String, _ location: String, _ words: String) {
        let message = parseError(yaml(server: server, job: job, arm: arm)) ?? "parsed"
        #expect(message.contains(location) && message.contains(words), "\(message)")
    }

    /// Every server rate is divided by `time_scale`, every server time multiplied by it; counts stay.
    @Test func serverRatesAndTimesScale() throws {
        let e = try Experiment.parse(yaml: yaml(server: """
            server:
              retry_after: 4
              max_wait: 30
              max_jobs: 500
              capacity: {rate: 100, burst: 20, concurrency: 8, service_time: 0.01, max_queue: 64}

            """, timeScale: "time_scale: 0.25\n"), file: "p.yaml")
        let s = e.scaledServer
        #expect(s.capacity.rate == 400)                    // 100 / 0.25 requests per second
        #expect(s.capacity.serviceTime == .seconds(0.0025)) // 0.01 × 0.25 s
        #expect(s.maxWait == 7.5)                          // 30 × 0.25 s
        #expect(s.hints.retryAfter == 1)                   // 4 × 0.25 s
        #expect(s.capacity.burst == 20 && s.capacity.concurrency == 8 && s.capacity.maxQueue == 64 && s.maxJobs == 500)
        #expect(e.server.capacity.rate == 100)             // the file's own values are kept (recorded as written)
        let unscaled = try Experiment.parse(yaml: yaml(server: "server: {capacity: {rate: 100}}\n"), file: "p.yaml")
        #expect(unscaled.scaledServer == unscaled.server)
    }

    @Test func retryAfterThatScalesBelowAWholeSecondIsRefused() {
        let message = parseError(yaml(server: "server: {retry_after: 1}\n", timeScale: "time_scale: 0.25\n")) ?? "parsed"
        #expect(message.contains("bad.yaml:5: server.retry_after") && message.contains("0.25 s") && message.contains("eta: true"), "\(message)")
    }

    /// Live, over loopback: jobs of 4 sequential parts of 0.5 s (ends 0.5, 1, 1.5, 2 s). The first
    /// poll (asked at 0.75 s) sees `d ≥ 1` parts done at elapsed `e`, and `d ≤ 2e` whatever the
    /// machine's lateness, so the strategy's next poll, at `e · 4 / d`, is never before 2 s, when
    /// the job ends: two polls a trial, the second at ≥ 2 s. Ignoring progress (the fallback, wait
    /// 0.75 s with multiplier 1) would poll at 1.5 s, still pending, and need a third poll.
    @Test func progressArmLiveUsesTheServersReports() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let experiment = Experiment(
            name: "progress-live", trials: 4, seed: 3, concurrency: 4, timeout: 10,
            server: ServerSettings(hints: .init(progress: true)),
            job: JobParameters(duration: .parts(.init(count: 4, combine: .sum, part: .fixed(seconds: 0.5))), successRate: 1),
            arms: [.init(name: "progress", strategy: .progress(try ProgressStrategy(initial: 0.75, multiplier: 1, minInterval: 0.05, maxInterval: 5)))])
        let database = try TraceDatabase.open(path: path)
        let result = try await ExperimentRunner().run(experiment, configText: "", database: database)
        try await database.reader.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.trial_index, t.start_ns, t.outcome, c.sent_ns FROM trial t
                JOIN api_call c ON c.trial_id = t.id JOIN arm a ON a.id = t.arm_id
                WHERE a.run_id = ? AND c.kind = 'status' ORDER BY t.trial_index, c.seq
                """, arguments: [result.runID])
            let byTrial = Dictionary(grouping: rows) { $0["trial_index"] as Int }
            #expect(byTrial.count == 4)
            for (index, calls) in byTrial {
                #expect(calls.count == 2, "trial \(index): \(calls.count) polls")
                guard calls.count >= 2 else { continue }
                let offset = Double((calls[1]["sent_ns"] as Int64) - (calls[1]["start_ns"] as Int64)) / 1e9
                #expect(offset >= 2.0 - 1e-6, "trial \(index): second poll at \(offset) s")
                #expect(calls[1]["outcome"] as String == "completed")
            }
        }
    }
}
