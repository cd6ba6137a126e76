import Analysis
import ArgumentParser
import Foundation
import TraceStore

extension SummaryFormat: ExpressibleByArgument {}
extension ScoreKind: ExpressibleByArgument {}

/// `analyze summary`: one line per arm of a run (counts, tries, both HR kinds, delays, ER, score).
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Per-arm summary of one run: outcomes, tries, HR (aggregate and per-trial), delay percentiles, ER, score.",
        discussion: """
            aggregate HR = detected trials / all status calls; per-trial HR = mean over trials of \
            1/tries (0 when not detected). Delays are in seconds, over detected trials; \
            percentiles by linear interpolation (Hyndman-Fan type 7). The per-trial score is the \
            mean over trials of wi*HR - wj*ER; the seed score is wi*aggregate HR - wj*mean ER.

            Examples:
              analyze summary                              # latest run, as a table
              analyze summary --experiment seed-headline   # its latest run
              analyze summary --experiment seed-headline --all-runs   # every run, by arm
              analyze summary --run 3 --weights 1,2 --format json
              analyze summary --score-kind seed --format csv > summary.csv
              analyze summary --db /tmp/other.sqlite
            """
    )

    @OptionGroup var selection: RunOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Score weights of wi*HR - wj*ER, e.g. 1,2.", valueName: "wi,wj"))
    var weights: ScoreWeights = .unit

    @Option(help: "Score formula: per-trial (mean of per-trial scores) or seed (from aggregate HR and mean ER).")
    var scoreKind: ScoreKind = .perTrial

    @Option(help: "Output format.")
    var format: SummaryFormat = .table

    func run() throws {
        let database = try selection.open()
        let report = try SummaryReport.load(
            from: database.reader, selector: selection.selector, allRuns: selection.allRuns, weights: weights,
            scoreKind: scoreKind)
        print(SummaryRenderer.render(report, format: format), terminator: "")
    }
}
