import Foundation
import Testing

/// `experiment tune` and `analyze tune` as a user runs them: real processes, a real SQLite file.
@Suite(.serialized) struct TuneCommandTests {
    @Test func tuneRecordsAndAnalyzeShowsIt() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/short.yaml", CommandLineTests.shortJobs)
        let tune = try ProcessRunner.run("experiment", ["tune", "short", "--family", "constant", "--budget", "50"], in: workspace.path)
        #expect(tune.status == 0, "\(tune.stderr)")
        // Jobs of 0.2 + U(0, 0.1) s at (1, 1): one poll at 0.3 s is optimal (score 1 − E[(0.3 − T)/0.3] = 0.8333…).
        #expect(tune.stdout.contains("exact score 0.8333"), "\(tune.stdout)")
        #expect(tune.stdout.contains("- name: tuned-constant") && tune.stdout.contains("initial_delay: 0.3"), "\(tune.stdout)")
        #expect(tune.stdout.contains("recorded as tuning 1"), "\(tune.stdout)")
        let shown = try ProcessRunner.run("analyze", ["tune", "--experiment", "short"], in: workspace.path)
        #expect(shown.status == 0 && shown.stdout.contains("tuning 1 of short") && shown.stdout.contains("constant"), "\(shown)")
        let listed = try ProcessRunner.run("analyze", ["tune", "--all"], in: workspace.path)
        #expect(listed.status == 0 && listed.stdout.contains("short"), "\(listed)")
    }

    @Test(arguments: [
        (["--family", "exponentail"], "unknown family 'exponentail'"),
        (["--objective", "slo"], "--objective slo needs a bound"),
        (["--budget", "0"], "--budget must be >= 1"),
        (["--objective", "slo", "--slo-p99-delay", "0.5", "--budget", "100"], "--budget must be >= 299"),
        (["--weights", "1,x"], "--weights"),
    ])
    func badArgumentsFailClearlyAndWriteNothing(arguments: [String], expected: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/short.yaml", CommandLineTests.shortJobs)
        let run = try ProcessRunner.run("experiment", ["tune", "short"] + arguments, in: workspace.path)
        #expect(run.status != 0)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(!workspace.exists("results.sqlite"))
    }

    @Test func invalidExperimentFileWritesNothing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/short.yaml", CommandLineTests.shortJobs.replacingOccurrences(of: "var_delay: 0.1", with: "var_delay: -1"))
        let run = try ProcessRunner.run("experiment", ["tune", "short"], in: workspace.path)
        #expect(run.status != 0 && run.stderr.contains("var_delay"), "\(run.stderr)")
        #expect(!workspace.exists("results.sqlite"))
    }
}
