import ArgumentParser
import Foundation
import TraceStore

/// `experiment merge A.sqlite B.sqlite… --into OUT.sqlite`: puts the shards of sharded runs back
/// together, one run per experiment, seed and resolved configuration.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shard files of sharded runs (experiment run --shard K/N) into one run each.",
        discussion: """
            Each merged run is an ordinary finished run (shard columns NULL) holding every shard's \
            trials and calls with new row ids; a merged simulated run has exactly the rows of the \
            same run unsharded. Refused, with nothing written: shards whose resolved configuration \
            hashes differ (file, --seed, --trials or --simulate), a shard given twice, a missing \
            shard, an unfinished shard. Shards built from different git commits merge with a \
            warning. --into must not exist (it is created) or be a PollLab database (the merged \
            runs are added); everything is written in one transaction.

            Examples:
              experiment merge shard-0.sqlite shard-1.sqlite shard-2.sqlite shard-3.sqlite --into sweep.sqlite
              experiment merge shards/*.sqlite --into results.sqlite
            """)

    @Argument(help: "The shard files (written by `experiment run NAME --shard K/N --db FILE`).")
    var shards: [String]

    @Option(help: "The database to write the merged runs to (created if missing).")
    var into: String

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the shard files to merge, e.g. shard-0.sqlite shard-1.sqlite") }
    }

    func run() throws {
        do {
            let plan = try ShardMerge.plan(sources: shards)
            for warning in plan.warnings {
                FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
            }
            for run in try TraceDatabase.merge(plan, into: into) {
                print("run \(run.runID) of \(run.experiment): \(run.shards) shards, \(run.trials) trials "
                      + "(seed \(run.seed), resolved config hash \(run.resolvedConfigHash)) → \(into)")
            }
        } catch let error as TraceStoreError {
            switch error {
            case .mergeRefused: throw CommandFailure(error.description)
            default: throw CommandFailure("--into \(into): \(error.description); nothing was written")
            }
        }
    }
}
