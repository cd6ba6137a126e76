import Foundation
import Testing

/// `analyze check` as CI would run it: real `experiment` and `analyze` processes, exit statuses.
@Suite(.serialized) struct RegressionGateTests {
    /// Seed-model jobs (1.5 s + U(0, 0.9) s), a constant and a backoff arm, simulated.
    static func gate(interval: String) -> String {
        """
        name: gate
        description: regression gate
        trials: 200
        seed: 3
        job:
          base_delay: 1.5
          var_delay: 0.9
          success_rate: 0.8
        arms:
          - name: steady
            strategy: constant
            interval: \(interval)
          - name: backoff
            strategy: exponential
            initial: 0.1
            max_interval: 2
        """
    }

    static func setUp() throws -> Workspace {
        let workspace = try Workspace()
        try FileManager.default.createDirectory(atPath: workspace.path + "/candidate", withIntermediateDirectories: true)
        try workspace.write("experiments/gate.yaml", gate(interval: "0.2"))
        try workspace.write("candidate/gate.yaml", gate(interval: "0.1"))
        for arguments in [["--seed", "3"], ["--seed", "4"], ["--dir", "candidate"]] {
            let run = try ProcessRunner.run("experiment", ["run", "gate", "--simulate"] + arguments, in: workspace.path)
            #expect(run.status == 0, "\(run.stderr)")
        }
        return workspace
    }

    @Test func anotherSeedPassesAndPollingTwiceAsOftenFailsOnMeanTries() throws {
        let workspace = try Self.setUp()
        defer { workspace.remove() }
        // Run 2: the same configuration with another seed: unpaired (Welch), nothing significant.
        let same = try ProcessRunner.run("analyze", ["check", "--baseline", "1", "--candidate", "2"], in: workspace.path)
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdout.contains("unpaired (different seeds): Welch"))
        #expect(!same.stdout.contains("REGRESSION") && same.stdout.contains("result: pass"), "\(same.stdout)")

        // Run 3: arm `steady` polls every 0.1 s instead of 0.2 s, same seed: paired by job. Its
        // tries roughly double (jobs of 1.5-2.4 s: ~ 11 polls → ~ 21), far beyond 5 %.
        try workspace.write("thresholds.yaml", "mean_tries: 5%\np99_delay_s: 10%\n")
        let doubled = try ProcessRunner.run(
            "analyze", ["check", "--baseline", "1", "--candidate", "3", "--thresholds", "thresholds.yaml"], in: workspace.path)
        #expect(doubled.status == 1, "\(doubled.stdout)\(doubled.stderr)")
        #expect(doubled.stdout.contains("paired by job"))
        let lines = doubled.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let steadyTries = lines.first { $0.first == "steady" && $0.count > 1 && $0[1] == "mean_tries" }
        #expect(steadyTries?.last == "REGRESSION", "\(doubled.stdout)")
        // Shorter intervals shorten the delay: the p99 improves rather than regresses.
        let steadyP99 = lines.first { $0.first == "steady" && $0.count > 1 && $0[1] == "p99_delay_s" }
        #expect(steadyP99?.last == "better", "\(doubled.stdout)")
        // The unchanged arm has identical trials: no change at all.
        let backoff = lines.filter { $0.first == "backoff" }
        #expect(backoff.count == 2 && backoff.allSatisfy { $0.last == "~" }, "\(doubled.stdout)")
        #expect(doubled.stdout.contains("result: FAIL, 1 regression beyond the limit"), "\(doubled.stdout)")
    }

    @Test func badThresholdsAndRunsFailClearly() throws {
        let workspace = try Self.setUp()
        defer { workspace.remove() }
        try workspace.write("bad.yaml", "mean_tries: 5%\nlatency_p99: 10%\n")
        let unknown = try ProcessRunner.run(
            "analyze", ["check", "--baseline", "1", "--candidate", "3", "--thresholds", "bad.yaml"], in: workspace.path)
        #expect(unknown.status == 2, "bad input exits 2, a regression 1: \(unknown)")
        #expect(unknown.stderr.contains("bad.yaml:2: latency_p99: unknown metric (known metrics: score, hr, mean_tries"), "\(unknown.stderr)")
        #expect(unknown.stdout.isEmpty)
        try workspace.write("bad2.yaml", "mean_tries: lots\n")
        let badLimit = try ProcessRunner.run(
            "analyze", ["check", "--baseline", "1", "--candidate", "3", "--thresholds", "bad2.yaml"], in: workspace.path)
        #expect(badLimit.status == 2 && badLimit.stderr.contains("bad2.yaml:1: mean_tries: expected a relative limit"), "\(badLimit.stderr)")
        let noRun = try ProcessRunner.run("analyze", ["check", "--baseline", "1", "--candidate", "9"], in: workspace.path)
        #expect(noRun.status == 2 && noRun.stderr.contains("no run with id 9"), "\(noRun.stderr)")
    }
}
