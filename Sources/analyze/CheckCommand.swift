import Analysis
import ArgumentParser
import Foundation

/// `analyze check`: the regression gate (exit status 1 on a regression).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Regression gate: compare a candidate run with a baseline run; exit status 1 on a regression.",
        discussion: """
            For each arm in both runs and each metric of the thresholds file: a 95 % interval of \
            candidate - baseline (paired by job when both runs used the same seed, Welch \
            otherwise; a seeded bootstrap for percentiles), Holm's family-wise control at 5 %. \
            A regression is a significant change in the bad direction beyond the metric's limit. \
            Metrics: score, hr (higher is better), mean_tries, mean_delay_s, p50_delay_s, \
            p90_delay_s, p99_delay_s, mean_er (lower is better). A limit `N%` is taken against \
            max(|baseline|, floor) with floor 0.01 (1 ms for delays); a plain number is absolute. \
            Without --thresholds: score 2%, hr 5%, mean_tries 5%, mean_delay_s 5%, \
            p99_delay_s 10%, mean_er 5%. Exit status: 0 pass, 1 regression, 2 bad input.

            Examples:
              analyze check --baseline 3 --candidate 4
              analyze check --baseline 3 --candidate 4 --thresholds ci/thresholds.yaml --weights 1,2
            """)

    @Option(help: ArgumentHelp("Results database (opened read-only).", valueName: "path"))
    var db: String = "results.sqlite"

    @Option(help: ArgumentHelp("The baseline run id.", valueName: "run"))
    var baseline: Int64

    @Option(help: ArgumentHelp("The candidate run id.", valueName: "run"))
    var candidate: Int64

    @Option(help: ArgumentHelp("YAML of metric: limit, e.g. `mean_tries: 5%`.", valueName: "file"))
    var thresholds: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Score weights of wi*HR - wj*ER.", valueName: "wi,wj"))
    var weights: ScoreWeights = .unit

    @Option(help: "Bootstrap resamples for percentiles (at least 100).")
    var resamples: Int = 1_000

    @Option(help: "Seed of the bootstrap generator.")
    var bootstrapSeed: UInt64 = 1

    func validate() throws {
        guard resamples >= 100 else { throw ValidationError("--resamples must be at least 100, got \(resamples)") }
    }

    func run() throws {
        let check: RegressionCheck
        do {
            check = try load()
        } catch {
            // Bad input exits with 2, so that CI can tell it from a regression (1).
            Terminal.note("Error: \(error)")
            throw ExitCode(2)
        }
        Terminal.write(RegressionCheckRenderer.render(check))
        if check.hasRegression { throw ExitCode(1) }
    }

    private func load() throws -> RegressionCheck {
        let limits: CheckThresholds
        if let thresholds {
            guard let data = FileManager.default.contents(atPath: thresholds) else {
                throw AnalysisError.invalidField("--thresholds", "cannot read \(thresholds) (check the path)")
            }
            limits = try CheckThresholds.parse(String(decoding: data, as: UTF8.self), file: thresholds)
        } else {
            limits = .defaults
        }
        let database = try RunOptions.open(db)
        return try RegressionCheck.load(
            from: database.reader, baseline: baseline, candidate: candidate, thresholds: limits,
            weights: weights, resamples: resamples, bootstrapSeed: bootstrapSeed)
    }
}
