import Foundation
import Testing

/// The executables as a user runs them: real processes, a real SQLite file, real loopback HTTP.
@Suite(.serialized) struct CommandLineTests {
    static let shortJobs = """
        name: short
        description: short jobs for the end-to-end test
        trials: 6
        seed: 3
        concurrency: 12
        timeout: 5
        job:
          base_delay: 0.2
          var_delay: 0.1
          success_rate: 0.5
        arms:
          - name: seed
            strategy: seed
            initial_interval: 0.05
            max_interval: 0.2
          - name: constant
            strategy: constant
            interval: 0.05
        """

    @Test func experimentRunThenAnalyzeSummary() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/short.yaml", Self.shortJobs)

        let listed = try ProcessRunner.run("experiment", ["list"], in: workspace.path)
        #expect(listed.status == 0 && listed.stdout.contains("short: 6 trials × [seed, constant]"), "\(listed)")

        let run = try ProcessRunner.run("experiment", ["run", "short"], in: workspace.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("run 1 of short: 12/12 trials"), "\(run.stdout)")
        #expect(workspace.exists("results.sqlite"))

        // The summary printed by the run equals `analyze summary` of the same database.
        let summary = try ProcessRunner.run("analyze", ["summary"], in: workspace.path)
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(run.stdout.hasSuffix(summary.stdout), "run printed:\n\(run.stdout)\nanalyze printed:\n\(summary.stdout)")

        let csv = try ProcessRunner.run("analyze", ["summary", "--experiment", "short", "--format", "csv"], in: workspace.path)
        let lines = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.count == 3, "\(csv.stdout)")
        if lines.count == 3, let trials = lines[0].firstIndex(of: "trials"), let timedOut = lines[0].firstIndex(of: "timed_out") {
            #expect(lines[1][trials] == "6" && lines[2][trials] == "6")
            #expect(lines[1][timedOut] == "0" && lines[2][timedOut] == "0")
        }
    }

    @Test(arguments: [
        ("trials: 6", "trials: six", "experiments/short.yaml:3: trials: must be a whole number"),
        ("strategy: constant", "strategy: psychic", "arms[1].strategy: unknown strategy 'psychic'"),
        ("  var_delay: 0.1\n", "", "job.var_delay: is missing"),
        ("name: short", "name: [short", "experiments/short.yaml"),
        ("name: short", "name: long", "name: is 'long' but the file is short.yaml"),
    ])
    func badExperimentFilesFailClearlyAndWriteNothing(original: String, replacement: String, expected: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/short.yaml", Self.shortJobs.replacingOccurrences(of: original, with: replacement))
        let run = try ProcessRunner.run("experiment", ["run", "short"], in: workspace.path)
        #expect(run.status != 0)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(!workspace.exists("results.sqlite"))
    }

    @Test func unknownExperimentListsTheKnownOnes() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/short.yaml", Self.shortJobs)
        let run = try ProcessRunner.run("experiment", ["run", "nope"], in: workspace.path)
        #expect(run.status != 0 && run.stderr.contains("no experiment 'nope' (known experiments: short)"), "\(run.stderr)")
    }

    @Test func unwritableDatabasePathIsAClearError() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/short.yaml", Self.shortJobs)
        let run = try ProcessRunner.run("experiment", ["run", "short", "--db", "/nonexistent-dir/x.sqlite"], in: workspace.path)
        #expect(run.status != 0)
        #expect(run.stderr.contains("/nonexistent-dir/x.sqlite"), "\(run.stderr)")
    }

    @Test func badFlagsAreRejectedByValidation() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let run = try ProcessRunner.run("experiment", ["run", "short", "--trials", "0"], in: workspace.path)
        #expect(run.status != 0 && run.stderr.contains("--trials must be between 1 and 10000000"), "\(run.stderr)")
        let analyze = try ProcessRunner.run("analyze", ["summary", "--db", "missing.sqlite"], in: workspace.path)
        #expect(analyze.status != 0 && !analyze.stderr.isEmpty)
        #expect(!workspace.exists("missing.sqlite"))
    }
}
