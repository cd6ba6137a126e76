import Analysis
import ArgumentParser

/// `analyze compare`: two arms of one run (paired) or arms of two runs (Welch).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two arms (same run: paired by trial) or two runs (Welch): differences, 95 % CIs, verdicts.",
        discussion: """
            A and B are ARM (an arm of the selected run) or RUN:ARM. Arms of one run poll the same \
            jobs (same trial_index = same job), so their comparison is paired; arms of different \
            runs are compared with Welch's t interval. A verdict needs the 95 % CI of B - A to \
            exclude 0 and the relative difference to reach --min-effect.

            Examples:
              analyze compare seed constant-0.1s --experiment baseline-comparison
              analyze compare 1:seed 2:seed              # the seed arm in runs 1 and 2 (Welch)
              analyze compare seed exponential-full-jitter --weights 1,2 --min-effect 0.1
            """)

    @OptionGroup var options: RunOptions

    @Argument(help: ArgumentHelp("Reference arm: ARM or RUN:ARM.", valueName: "a"))
    var a: String

    @Argument(help: ArgumentHelp("Other arm: ARM or RUN:ARM.", valueName: "b"))
    var b: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Weights of the per-trial score line.", valueName: "wi,wj"))
    var weights: ScoreWeights = .unit

    @Option(help: ArgumentHelp("Minimum relative effect for a verdict of better (0.05 = 5 %).", valueName: "fraction"))
    var minEffect: Double = 0.05

    func validate() throws {
        guard minEffect >= 0, minEffect.isFinite else { throw ValidationError("--min-effect expects a fraction >= 0, got \(minEffect)") }
    }

    func run() throws {
        let database = try options.open()
        let comparison = try Comparison.load(
            from: database.reader, selector: options.selector, a: Comparison.Side(a), b: Comparison.Side(b),
            weights: weights, minEffect: minEffect)
        Terminal.write(comparison.render())
    }
}
