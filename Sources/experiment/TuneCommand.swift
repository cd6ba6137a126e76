import Analysis
import ArgumentParser
import ExperimentKit
import Foundation
import PollingCore
import TraceStore

/// `experiment tune NAME|PATH`: the best parameters of each strategy family for the experiment's
/// workload (search in `ExperimentKit.Tuner`, statistics and text in `Analysis.TuningSummary`),
/// recorded in the `tuning` tables.
struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Find each strategy family's best parameters for an experiment's workload, in simulation.",
        discussion: """
            Uses the experiment's job model, timeout, request timeout and latency; its arms are ignored. \
            Every candidate sees the same jobs (common random numbers). Families: \
            \(TuningFamily.allCases.map(\.rawValue).joined(separator: ", ")). See the README, "Tuning a real client".

            Examples:
              experiment tune seed-headline
              experiment tune seed-headline --family exponential --family smithy --weights 1,2
              experiment tune seed-headline --objective slo --slo-p99-delay 0.5 --budget 2000
            """)

    @Argument(help: "Experiment name (experiments/NAME.yaml) or path to a .yaml file.")
    var experiment: String

    @Option(name: .customLong("family"), help: "A family to tune (repeatable; default all).")
    var families: [String] = []

    @Option(help: ArgumentHelp("Score weights WI,WJ (objective score; also the optimum's).", valueName: "wi,wj"))
    var weights = "1,1"

    @Option(help: "score (mean per-trial score) or slo (fewest calls with p99 delay <= --slo-p99-delay).")
    var objective = "score"

    @Option(help: ArgumentHelp("The SLO bound on the p99 detection delay, seconds (objective slo).", valueName: "seconds"))
    var sloP99Delay: Double?

    @Option(help: "Common Monte Carlo trials per candidate (>= 1; >= 299 for slo).")
    var budget = 1000

    @Option(help: "Seed of the common random numbers (default: the experiment's seed).")
    var seed: UInt64?

    @Option(help: "SQLite database to record the tuning in (created if missing).")
    var db = "results.sqlite"

    @Option(help: "Directory of named experiment files.")
    var dir = "experiments"

    func validate() throws {
        for name in families where TuningFamily(rawValue: name) == nil {
            throw ValidationError("--family: unknown family '\(name)' (use one of: \(TuningFamily.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard ["score", "slo"].contains(objective) else {
            throw ValidationError("--objective must be score or slo, got '\(objective)'")
        }
        if objective == "slo" {
            guard let bound = sloP99Delay else {
                throw ValidationError("--objective slo needs a bound: add --slo-p99-delay SECONDS (e.g. --slo-p99-delay 0.5)")
            }
            guard bound.isFinite, bound > 0 else { throw ValidationError("--slo-p99-delay must be seconds > 0, got \(bound)") }
            guard budget >= 299 else {
                throw ValidationError("--budget must be >= 299 for the slo objective (a 95 % upper bound of the p99 needs 299 trials), got \(budget)")
            }
        } else if sloP99Delay != nil {
            throw ValidationError("--slo-p99-delay applies only with --objective slo")
        }
        guard budget >= 1 else { throw ValidationError("--budget must be >= 1 trial, got \(budget)") }
        do { _ = try ScoreWeights.parse(weights) } catch { throw ValidationError("--weights: \(error)") }
    }

    func run() async throws {
        let parsed: Experiment
        do {
            parsed = try ExperimentCatalog(directory: dir).load(experiment).experiment
        } catch {
            throw CommandFailure("\(error)")
        }
        let w = try ScoreWeights.parse(weights)
        let selected = families.isEmpty ? TuningFamily.allCases : families.compactMap(TuningFamily.init(rawValue:))
        let tuner: Tuner
        let optimum: (schedule: OptimalSchedule, simulation: ScheduleEvaluator.Evaluation)
        do {
            tuner = try Tuner(experiment: parsed, weights: .init(hit: w.wi, efficiency: w.wj),
                              objective: objective == "slo" ? .slo(p99Delay: sloP99Delay ?? 0) : .score,
                              budget: budget, seed: seed ?? parsed.seed)
            optimum = try tuner.optimum()
        } catch {
            throw CommandFailure("\(error)")
        }
        let progress = ProgressLine(label: "tune \(parsed.name)")
        var results: [Tuner.FamilyResult] = []
        for (index, family) in selected.enumerated() {
            try Task.checkCancellation()
            results.append(tuner.tune(family) { evaluations in
                guard evaluations % 10 == 0 else { return }
                progress.message("\(family.rawValue) (\(index + 1)/\(selected.count)): \(evaluations) candidates")
            })
        }
        progress.finish()
        let summary = TuningSummary(
            provenance: provenance(parsed, tuner, optimalScore: optimum.schedule.expectedScore),
            optimal: candidate("optimal", optimum.simulation, exact: optimum.schedule.expectedScore),
            families: results.map { family($0, tuner) })
        print(summary.render(), terminator: "")
        do {
            let database = try TraceDatabase.open(path: db)
            let id = try database.recordTuning(summary.provenance, families: summary.records())
            print("\nrecorded as tuning \(id) in \(db) (`analyze tune --db \(db)`)")
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    private func provenance(_ e: Experiment, _ t: Tuner, optimalScore: Double) -> TuningProvenance {
        let p = Provenance.current()
        return TuningProvenance(
            experimentName: e.name, workloadHash: t.workloadHash, workload: t.workloadText, objective: t.objective.name,
            wi: t.weights.hit, wj: t.weights.efficiency, sloP99Delay: sloP99Delay, budget: t.budget, seed: t.seed,
            optimalScore: optimalScore, createdAt: Date(), gitSHA: p.gitSHA, gitDirty: p.gitDirty, host: p.host,
            toolchain: p.toolchain)
    }

    private func candidate(_ label: String, _ e: ScheduleEvaluator.Evaluation, exact: Double?) -> TuningSummary.Candidate {
        TuningSummary.Candidate(label: label, exactScore: exact, scores: e.scores, calls: e.calls.map(Double.init), delays: e.delays)
    }

    private func family(_ r: Tuner.FamilyResult, _ t: Tuner) -> TuningSummary.Family {
        TuningSummary.Family(
            name: r.family.rawValue, strategy: r.best.configuration.kind, parametersJSON: r.best.configuration.parametersJSON,
            candidates: r.finalists.map {
                candidate(TuningPresentation.label($0.configuration), $0.simulation!, exact: t.objective == .score ? $0.exactScore : nil)
            },
            sensitivity: r.sensitivity.map {
                .init(parameter: $0.parameter, label: $0.label, value: $0.value, objective: $0.objective, feasible: $0.feasible)
            },
            armYAML: TuningPresentation.armYAML(name: "tuned-\(r.family.rawValue)", r.best.configuration),
            sdk: TuningPresentation.sdkSettings(r.best.configuration, timeout: t.experiment.timeout).map {
                .init(sdk: $0.sdk, language: $0.language, source: $0.source, text: $0.text)
            },
            evaluations: r.evaluations)
    }
}
