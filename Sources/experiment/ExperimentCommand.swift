import ArgumentParser

/// `experiment`: list and run named experiments.
@main
struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run named polling experiments against the mock job server and record them in SQLite.",
        discussion: """
            Experiments are YAML files under experiments/ (see the README, "Experiment files").

            Examples:
              experiment list
              experiment run seed-headline
              experiment run baseline-comparison --trials 50 --seed 7 --db /tmp/results.sqlite
              experiment run experiments/seed-headline.yaml --server http://127.0.0.1:8080
              experiment run baseline-comparison --simulate --trials 100000
              experiment tag 3 baseline=true
              experiment delete 1 2 --vacuum
              experiment run strategy-shootout --simulate --shard 0/4 --db shard-0.sqlite
              experiment merge shard-*.sqlite --into sweep.sqlite
              experiment tune seed-headline --family exponential
            """,
        subcommands: [
            ListCommand.self, RunCommand.self, ResumeCommand.self, TagCommand.self, UntagCommand.self,
            NoteCommand.self, DeleteCommand.self, MergeCommand.self, TuneCommand.self,
        ]
    )
}
