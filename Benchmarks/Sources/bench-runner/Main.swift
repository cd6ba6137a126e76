import BenchSupport
import ExperimentKit
import Foundation
import GRDB
import Logging
import TraceStore

/// `bench-runner [JOBS] [SERVER_URL]`: a live experiment of JOBS concurrent jobs (default
/// 10 000; `concurrency` = JOBS, so the client pool holds JOBS connections) of 1 s + U(0, 0.5) s,
/// polled by the seed's backoff (initial 0.1 s, doubling, max 3 s, hint 1 s), started over a
/// 1 s ramp-up. Without SERVER_URL the mock server runs in this process (as in
/// `experiment run`); peak resident memory (VmHWM) then includes it. Needs an open-file limit
/// above 2 × JOBS in-process (scripts/bench.sh raises `ulimit -n`).
/// Prints one `runner …` line with wall time, calls per second, peak RSS, errors and whether
/// every call was recorded; exits non-zero only if the run fails.
@main
struct BenchRunner {
    static func main() async {
        do {
            try await run()
        } catch {
            BenchReport.printError("bench-runner: \(error)")
            exit(1)
        }
    }

    static func run() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let jobs = arguments.first.flatMap(Int.init) ?? 10_000
        let serverURL = arguments.dropFirst().first
        let requestTimeout = Double(ProcessInfo.processInfo.environment["REQUEST_TIMEOUT"] ?? "") ?? 5
        let yaml = """
            name: bench-runner
            mode: live
            trials: \(jobs)
            seed: 6
            concurrency: \(jobs)
            ramp_up: 1
            request_timeout: \(requestTimeout)
            job: {base_delay: 1, var_delay: 0.5, success_rate: 0.8, duration_model: seed}
            arms:
              - {name: seed, strategy: seed, initial_interval: 0.1, max_interval: 3, jitter: [1, 1], duration_hint: 1}
            """
        let experiment = try Experiment.parse(yaml: yaml, file: "bench-runner.yaml")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-bench-runner-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try TraceDatabase.open(path: directory.appendingPathComponent("runner.sqlite").path)
        defer { try? database.close() }
        var logger = Logger(label: "bench-runner")
        logger.logLevel = .error
        let rssBefore = BenchReport.statusKiB("VmRSS") ?? 0
        let result = try await ExperimentRunner(logger: logger).run(
            experiment, configText: yaml, database: database, options: .init(serverURL: serverURL))
        let peak = BenchReport.statusKiB("VmHWM") ?? 0
        let runID = result.runID
        let counts = try await database.reader.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT count(*) AS trials,
                       sum(t.outcome IN ('completed', 'error')) AS detected,
                       sum(t.outcome IN ('failed', 'timed_out')) AS bad,
                       sum(t.tries) AS tries
                FROM trial t JOIN arm a ON a.id = t.arm_id WHERE a.run_id = ?
                """, arguments: [runID])!
            let calls = try Row.fetchOne(db, sql: """
                SELECT count(*) AS calls, sum(c.error_code IS NOT NULL OR c.http_status IS NULL
                                              OR c.http_status >= 400) AS failed,
                       sum(c.kind = 'create') AS creates, sum(c.kind = 'status') AS polls
                FROM api_call c JOIN trial t ON t.id = c.trial_id JOIN arm a ON a.id = t.arm_id WHERE a.run_id = ?
                """, arguments: [runID])!
            return (trials: row["trials"] as Int, detected: row["detected"] as Int? ?? 0, bad: row["bad"] as Int? ?? 0,
                    tries: row["tries"] as Int? ?? 0, calls: calls["calls"] as Int, failed: calls["failed"] as Int? ?? 0,
                    creates: calls["creates"] as Int? ?? 0, polls: calls["polls"] as Int? ?? 0)
        }
        let wall = BenchReport.seconds(result.wallTime)
        let complete = counts.trials == jobs && counts.creates == jobs && counts.polls == counts.tries
            && counts.calls == counts.creates + counts.polls
        BenchReport.print("runner \(jobs) concurrent live jobs: wall \(String(format: "%.2f", wall)) s, \(BenchReport.grouped(Double(counts.calls) / wall)) calls/s (\(counts.calls) calls), peak RSS \(peak / 1024) MB (start \(rssBefore / 1024) MB; goal < 300 MB), \(counts.bad) failed/timed-out trials, \(counts.failed) failed calls (goal 0), every call recorded: \(complete ? "yes" : "NO") (\(counts.trials) trials, \(counts.creates) creates, \(counts.polls) polls = sum of tries \(counts.tries)); server \(serverURL ?? "in-process"); load \(BenchReport.loadAverage())")
    }
}
