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
              analyze summary --experiment herd --fleet    # calls, 429/503, makespan, p99 delay, peak load

            --fleet prints the fleet figures instead, per arm: calls (every request: create, \
            status and cancel, refused ones included), 429 and 503 received, makespan (last \
            detection - first trial start, seconds; mean over runs with --all-runs), p99 delay, \
            the arm's peak load (most status calls sent in one 100 ms bucket) and the server's \
            peak load (server_load, live runs on the embedded server).
            """
    )

    @OptionGroup var selection: RunOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Score weights of wi*HR - wj*ER, e.g. 1,2.", valueName: "wi,wj"))
    var weights: ScoreWeights = .unit

    @Option(help: "Score formula: per-trial (mean of per-trial scores) or seed (from aggregate HR and mean ER).")
    var scoreKind: ScoreKind = .perTrial

    @Option(help: "Output format.")
    var format: SummaryFormat = .table

    @Flag(help: "Print the fleet figures instead: calls, 429/503, makespan, p99 delay, peak load per 100 ms.")
    var fleet = false

    func run() throws {
        let database = try selection.open()
        if fleet {
            let report = try FleetReport.load(from: database.reader, selector: selection.selector, allRuns: selection.allRuns)
            print(FleetRenderer.render(report, format: format), terminator: "")
            return
        }
        let report = try SummaryReport.load(
            from: database.reader, selector: selection.selector, allRuns: selection.allRuns, weights: weights,
            scoreKind: scoreKind)
        print(SummaryRenderer.render(report, format: format), terminator: "")
    }
}
