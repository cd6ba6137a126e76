import Foundation
import Testing

/// Sharded runs and their merge as a user drives them: the real `experiment` process runs the
/// shards into their own files and merges them; bad input gets a clear message, a non-zero exit
/// and changes nothing.
@Suite(.serialized) struct ShardMergeCommandTests {
    static let experimentFile = CommandLineTests.shortJobs.replacingOccurrences(of: "trials: 6", with: "trials: 9")

    static func experiment(_ arguments: [String], in workspace: Workspace) throws -> ProcessRunner.Output {
        try ProcessRunner.run("experiment", arguments, in: workspace.path)
    }

    /// The trial and call rows of a database as text (`analyze sql`), ordered by arm, trial and
    /// call, without row ids.
    static func rows(_ database: String, in workspace: Workspace) throws -> String {
        let result = try ProcessRunner.run("analyze", ["sql", "--db", database, "--max-rows", "100000", """
            SELECT a.name, t.trial_index, t.job_seed, t.start_ns, t.done_ns, t.detect_ns, t.end_ns, t.outcome, t.tries,
                   c.seq, c.kind, c.sent_ns, c.received_ns, c.result
            FROM trial t JOIN arm a ON a.id = t.arm_id JOIN api_call c ON c.trial_id = t.id
            ORDER BY a.name, t.trial_index, c.seq
            """], in: workspace.path)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func threeShardsMergeIntoTheWholeRun() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/short.yaml", Self.experimentFile)
        let whole = try Self.experiment(["run", "short", "--simulate", "--db", "whole.sqlite"], in: workspace)
        #expect(whole.status == 0, "\(whole.stderr)")
        for k in 0..<3 {
            let shard = try Self.experiment(["run", "short", "--simulate", "--shard", "\(k)/3", "--db", "shard-\(k).sqlite"],
                                            in: workspace)
            #expect(shard.status == 0 && shard.stdout.contains("run 1 of short (shard \(k)/3): 6/6 trials"), "\(shard)")
        }
        let merge = try Self.experiment(["merge", "shard-2.sqlite", "shard-0.sqlite", "shard-1.sqlite", "--into", "merged.sqlite"],
                                        in: workspace)
        #expect(merge.status == 0 && merge.stdout.contains("run 1 of short: 3 shards, 18 trials (seed 3"), "\(merge)")
        #expect(merge.stderr.isEmpty, "\(merge.stderr)")
        let expected = try Self.rows("whole.sqlite", in: workspace)
        #expect(expected.split(separator: "\n").count > 18)
        #expect(try Self.rows("merged.sqlite", in: workspace) == expected)
        // The merged run is an ordinary run for `analyze`.
        let summary = try ProcessRunner.run("analyze", ["summary", "--db", "merged.sqlite", "--format", "csv"], in: workspace.path)
        let wholeSummary = try ProcessRunner.run("analyze", ["summary", "--db", "whole.sqlite", "--format", "csv"], in: workspace.path)
        #expect(summary.status == 0 && summary.stdout == wholeSummary.stdout, "\(summary)")

        // A shard run with another seed is refused, naming both resolved config hashes.
        let other = try Self.experiment(["run", "short", "--simulate", "--seed", "4", "--shard", "2/3", "--db", "other.sqlite"],
                                        in: workspace)
        #expect(other.status == 0, "\(other.stderr)")
        let hashes = try ["shard-0.sqlite", "other.sqlite"].map { file in
            try ProcessRunner.run("analyze", ["sql", "--db", file, "--format", "csv", "SELECT resolved_config_hash FROM run"],
                                  in: workspace.path).stdout.split(separator: "\n").last.map(String.init) ?? "?"
        }
        #expect(hashes[0] != hashes[1] && hashes.allSatisfy { $0.count == 16 }, "\(hashes)")
        let mismatch = try Self.experiment(["merge", "shard-0.sqlite", "shard-1.sqlite", "other.sqlite", "--into", "m2.sqlite"],
                                           in: workspace)
        #expect(mismatch.status != 0 && mismatch.stderr.contains(hashes[0]) && mismatch.stderr.contains(hashes[1]), "\(mismatch)")
        #expect(!workspace.exists("m2.sqlite"))
    }

    @Test func badInputGetsAClearMessageAndChangesNothing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/short.yaml", Self.experimentFile)
        // The option's help, printed with the error, states the rule.
        for value in ["3/2", "0/0", "-1/2", "x"] {
            let run = try Self.experiment(["run", "short", "--simulate", "--shard=\(value)"], in: workspace)
            #expect(run.status != 0 && run.stderr.contains("The value '\(value)' is invalid for '--shard <K/N>'")
                    && run.stderr.contains("0 ≤ K < N"), "\(value): \(run)")
        }
        // Written apart, `-1/2` looks like an option to the parser: the value is missing.
        let negative = try Self.experiment(["run", "short", "--simulate", "--shard", "-1/2"], in: workspace)
        #expect(negative.status != 0 && negative.stderr.contains("Missing value for '--shard <K/N>'")
                && negative.stderr.contains("0 ≤ K < N"), "\(negative)")
        // More shards than trials, and a live shard with a learned arm: refused before any file is made.
        let tooMany = try Self.experiment(["run", "short", "--simulate", "--shard", "0/10"], in: workspace)
        #expect(tooMany.status != 0 && tooMany.stderr.contains("use at most 9 shards"), "\(tooMany)")
        try workspace.write("experiments/learning.yaml", Self.experimentFile.replacingOccurrences(of: "name: short", with: "name: learning")
            + "\n  - name: learned\n    strategy: learned\n")
        let live = try Self.experiment(["run", "learning", "--shard", "0/2"], in: workspace)
        #expect(live.status != 0 && live.stderr.contains("learned arm 'learned'"), "\(live)")
        #expect(!workspace.exists("results.sqlite"))

        let shard = try Self.experiment(["run", "short", "--simulate", "--shard", "0/2", "--db", "s0.sqlite"], in: workspace)
        #expect(shard.status == 0, "\(shard.stderr)")
        try workspace.write("notes.txt", "not a database\n")
        let cases: [([String], String)] = [
            (["merge", "s0.sqlite", "missing.sqlite", "--into", "out.sqlite"], "no shard file at missing.sqlite"),
            (["merge", "s0.sqlite", "notes.txt", "--into", "out.sqlite"], "notes.txt is not a PollLab database"),
            (["merge", "s0.sqlite", "--into", "out.sqlite"], "missing shard 1/2"),
            (["merge", "s0.sqlite", "--into", "s0.sqlite"], "missing shard 1/2"),
        ]
        for (arguments, message) in cases {
            let result = try Self.experiment(arguments, in: workspace)
            #expect(result.status != 0 && result.stderr.contains(message) && result.stderr.contains("nothing was written"),
                    "\(arguments): \(result)")
            #expect(!workspace.exists("out.sqlite"))
        }
        let other = try Self.experiment(["run", "short", "--simulate", "--shard", "1/2", "--db", "s1.sqlite"], in: workspace)
        #expect(other.status == 0, "\(other.stderr)")
        let intoShard = try Self.experiment(["merge", "s0.sqlite", "s1.sqlite", "--into", "s1.sqlite"], in: workspace)
        #expect(intoShard.status != 0 && intoShard.stderr.contains("is the shard file"), "\(intoShard)")
        let noDirectory = try Self.experiment(["merge", "s0.sqlite", "s1.sqlite", "--into", "nowhere/out.sqlite"], in: workspace)
        #expect(noDirectory.status != 0 && noDirectory.stderr.contains("--into nowhere/out.sqlite")
                && noDirectory.stderr.contains("does not exist"), "\(noDirectory)")
        // A non-PollLab --into is refused and left as it was.
        let foreign = try Self.experiment(["merge", "s0.sqlite", "s1.sqlite", "--into", "notes.txt"], in: workspace)
        #expect(foreign.status != 0 && foreign.stderr.contains("--into notes.txt"), "\(foreign)")
        #expect(try String(contentsOfFile: workspace.path + "/notes.txt", encoding: .utf8) == "not a database\n")
        // The shard files are unchanged: the merge still works.
        let merged = try Self.experiment(["merge", "s0.sqlite", "s1.sqlite", "--into", "out.sqlite"], in: workspace)
        #expect(merged.status == 0 && merged.stdout.contains("2 shards, 18 trials"), "\(merged)")
    }
}
