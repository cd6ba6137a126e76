import Analysis
import ArgumentParser

/// `analyze sweep`: the winning arm over a grid of score weights.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Winning arm per (wi, wj) cell of a weight grid: ASCII map, legend, winner by ratio wj/wi, table.",
        discussion: """
            The per-trial score is the mean over trials of wi*HR - wj*ER; the seed score uses the \
            aggregate HR (wi*aggregate HR - wj*mean ER). Both are linear in the weights, so for \
            wi > 0 the winner depends only on wj/wi; the exact ratios where it changes are printed.

            Examples:
              analyze sweep                                   # latest run, 0:3:0.25 on both axes
              analyze sweep --experiment baseline-comparison --wi 0:2:0.1 --wj 0:4:0.2
              analyze sweep --score-kind seed --map-only
            """)

    @OptionGroup var options: RunOptions

    @Option(help: ArgumentHelp("wi grid LO:HI:STEP (columns).", valueName: "lo:hi:step"))
    var wi: String = "0:3:0.25"

    @Option(help: ArgumentHelp("wj grid LO:HI:STEP (rows).", valueName: "lo:hi:step"))
    var wj: String = "0:3:0.25"

    @Option(help: "Score formula: per-trial (per-trial HR) or seed (aggregate HR).")
    var scoreKind: ScoreKind = .perTrial

    @Flag(help: "Print the map and legend only, not the per-cell table.")
    var mapOnly = false

    func validate() throws {
        do {
            _ = try WeightGrid.parse(wi, field: "--wi")
            _ = try WeightGrid.parse(wj, field: "--wj")
        } catch { throw ValidationError(String(describing: error)) }
    }

    func run() throws {
        let database = try options.open()
        let sweep = try SweepReport.load(
            from: database.reader, selector: options.selector, allRuns: options.allRuns, scoreKind: scoreKind,
            wi: try WeightGrid.parse(wi, field: "--wi"), wj: try WeightGrid.parse(wj, field: "--wj"))
        Terminal.write(mapOnly ? SweepRenderer.map(sweep) : SweepRenderer.render(sweep))
    }
}
