import ArgumentParser

/// `analyze`: reads a PollLab results database with SQL and prints reports.
@main
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Report on PollLab experiment runs stored in a results database.",
        discussion: """
            Every command reads the database read-only (default results.sqlite in the current \
            directory) and, without --run or --experiment, reports on the latest run.

            Examples:
              analyze summary
              analyze summary --experiment seed-headline --weights 1,2
              analyze summary --run 3 --score-kind seed --format csv > run3.csv
              analyze sweep --experiment baseline-comparison
              analyze histogram --metric delay --arm seed
              analyze compare seed constant-0.1s
              analyze sql "SELECT arm, count(*) FROM trial_metrics GROUP BY arm"
              analyze export --table trial_metrics --format csv > trials.csv
              analyze report --experiment seed-headline --out reports/seed-headline.md
              analyze runs --experiment seed-headline --tag baseline=true
              analyze check --baseline 3 --candidate 4 --thresholds thresholds.yaml
              analyze tune --experiment seed-headline
            """,
        subcommands: [
            SummaryCommand.self, SweepCommand.self, HistogramCommand.self, LoadCommand.self, CompareCommand.self,
            SQLCommand.self, ExportCommand.self, ReportCommand.self, RunsCommand.self,
            CheckCommand.self, TuneCommand.self,
        ],
        defaultSubcommand: SummaryCommand.self
    )
}
