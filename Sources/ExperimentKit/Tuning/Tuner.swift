import Foundation
import PollingCore
import TraceStore

/// Finds the best parameters of each strategy family for an experiment's workload, in
/// simulation with common random numbers (`experiment tune`).
///
/// **Evaluation** (`ScheduleEvaluator`): objective `score` uses the exact expected per-trial
/// score when a candidate's schedule is fixed (jitter off, zero latency) and the mean over the
/// `budget` common Monte Carlo trials otherwise; objective `slo` always simulates the common
/// trials. Every candidate sees the same jobs and the same random stream.
///
/// **Sized workloads** (`job.size`): the simulated trials draw each job's size and pass its
/// `expected_duration` to the strategy, as a live run does; the exact path and `optimum()` use
/// the marginal law of the duration over sizes (`JobParameters.marginalDuration`). Every family
/// is tuned blind (no family's parameters follow the per-job hint), so the reference `optimal`
/// is the hint-blind one; hint-aware `optimal` (`hint: job` in an experiment file) can do better.
///
/// **Objectives** (the search minimises a loss):
/// - `score`: loss = −(mean per-trial score at the weights).
/// - `slo(p99Delay: b)`: fewest mean status calls subject to the p99 detection delay being ≤ b,
///   an undetected trial counting as an infinite delay. The p99 is judged by its distribution-free
///   95 % upper confidence bound `X(r)` (`QuantileUpperBound`): the constraint holds when at most
///   `n − r` trials have a delay above b. Loss = mean calls when it holds, else
///   `1e6 · (1 + excess trials) + mean calls`, so any feasible setting beats any infeasible one and
///   the search is pulled towards feasibility.
///
/// **Search** (derivative-free, deterministic), for each categorical choice of the family:
/// 1. a coarse grid over the unit cube of the continuous parameters (`TuningFamily` maps the
///    cube to ranges scaled to the workload): `g = max(2, ⌊gridCells^(1/d)⌋)` cell centres
///    `(i + ½)/g` per dimension;
/// 2. Nelder–Mead (`NelderMead`) from the `starts` best grid cells, initial step `1/g`,
///    `evaluationsPerDimension · (d + 1)` evaluations each.
/// Evaluations are memoised and run one after another (no parallel evaluation), so the same
/// seed, budget and options give the same result, bit for bit.
///
/// **Afterwards** (against the winner's curse: a search over frozen random trials favours
/// random schedules that happen to suit those jobs): the best `finalists` distinct candidates,
/// plus the best of each categorical choice, are simulated on *hold-out* common trials (same
/// budget, other jobs: seed `holdoutSeed(seed)`), and the family's best is the finalist with the
/// best hold-out value (its exact score when its schedule is fixed). The caller computes paired
/// confidence intervals and ties on these trials. The best candidate's sensitivity is measured
/// on the search trials with each continuous parameter at ×0.9 and ×1.1 (within its range)
/// and each other categorical choice.
public struct Tuner: Sendable {
    /// What is optimised.
    public enum Objective: Sendable, Hashable {
        /// Maximise the mean per-trial score at the tuner's weights.
        case score
        /// Fewest mean calls with the p99 delay's upper confidence bound ≤ `p99Delay` seconds.
        case slo(p99Delay: Double)

        /// `score` or `slo`.
        public var name: String {
            if case .slo = self { return "slo" }
            return "score"
        }
    }

    /// Search settings. The defaults are what `experiment tune` uses.
    public struct Options: Sendable, Hashable {
        /// Cells of the coarse grid (approximately). Default 128.
        public var gridCells: Int
        /// Nelder–Mead starts (the best grid cells). Default 2.
        public var starts: Int
        /// Nelder–Mead evaluations per start, per (dimension + 1). Default 25.
        public var evaluationsPerDimension: Int
        /// Candidates simulated for ties. Default 5.
        public var finalists: Int

        public init(gridCells: Int = 128, starts: Int = 2, evaluationsPerDimension: Int = 25, finalists: Int = 5) {
            self.gridCells = gridCells
            self.starts = starts
            self.evaluationsPerDimension = evaluationsPerDimension
            self.finalists = finalists
        }
    }

    /// One evaluated setting of a family.
    public struct Candidate: Sendable, Hashable {
        public var family: TuningFamily
        /// The categorical choice (`""` when the family has none).
        public var choice: String
        /// Continuous values in natural units, in `family.parameters` order.
        public var values: [Double]
        public var configuration: StrategyConfiguration
        /// The search loss (lower is better).
        public var loss: Double
        /// The exact expected score when the schedule is fixed (objective `score`).
        public var exactScore: Double?
        /// Mean status calls over the common trials (objective `slo`).
        public var meanCalls: Double?
        /// The simulation on the hold-out trials (finalists only; `nil` otherwise).
        public var simulation: ScheduleEvaluator.Evaluation?
        /// The loss judged on the hold-out trials (exact score where the schedule is fixed);
        /// finalists are ranked by it.
        public var holdoutLoss: Double = .infinity
    }

    /// The objective's value at one neighbour of the best setting.
    public struct Sensitivity: Sendable, Hashable {
        /// The parameter key (e.g. `multiplier`), or `jitter` for a categorical choice.
        public var parameter: String
        /// The neighbour: `×0.9`, `×1.1` or the other choice.
        public var label: String
        /// The neighbour's value (as text, natural units).
        public var value: String
        /// Objective `score`: the neighbour's score; `slo`: its mean calls.
        public var objective: Double
        /// Objective `slo`: whether the neighbour still meets the bound.
        public var feasible: Bool
    }

    /// The outcome for one family.
    public struct FamilyResult: Sendable, Hashable {
        public var family: TuningFamily
        /// The best candidate (simulated on the common trials).
        public var best: Candidate
        /// The best distinct candidates, best first (`best` included), simulated.
        public var finalists: [Candidate]
        public var sensitivity: [Sensitivity]
        /// Objective evaluations the search used.
        public var evaluations: Int
    }

    public let experiment: Experiment
    public let weights: OptimalSchedule.Weights
    public let objective: Objective
    public let budget: Int
    public let seed: UInt64
    public let options: Options
    public let evaluator: ScheduleEvaluator
    /// The hold-out evaluator: the same workload and budget on other jobs (seed derived from
    /// `seed`), for unbiased values of the finalists and the optimum.
    public let holdout: ScheduleEvaluator
    /// The workload's time scale in seconds (`TuningScale`).
    public let scale: Double

    /// - Parameters:
    ///   - experiment: the workload (job model, timeout, request timeout, latency); arms ignored.
    ///   - weights: `(wi, wj)` of the score (objective `score`; also the optimum's weights).
    ///   - objective: `score` or `slo`.
    ///   - budget: common Monte Carlo trials per candidate (≥ 1; ≥ 299 for `slo`).
    ///   - seed: the seed of the common random numbers.
    ///   - options: search settings.
    /// - Throws: `ExperimentError.invalidArgument` for a bad budget, SLO bound or weights;
    ///   `ExperimentError.invalidField` for an invalid job model.
    public init(experiment: Experiment, weights: OptimalSchedule.Weights, objective: Objective, budget: Int,
                seed: UInt64, options: Options = Options()) throws {
        guard budget >= 1 else { throw ExperimentError.invalidArgument("--budget", "must be >= 1 trial, got \(budget)") }
        guard weights.hit.isFinite, weights.efficiency.isFinite else {
            throw ExperimentError.invalidArgument("--weights", "must be two finite numbers WI,WJ")
        }
        if case .slo(let bound) = objective {
            guard bound.isFinite, bound > 0 else {
                throw ExperimentError.invalidArgument("--slo-p99-delay", "must be a number of seconds > 0, got \(bound)")
            }
            guard QuantileUpperBound.rank(n: budget, p: 0.99, confidence: 0.95) != nil else {
                throw ExperimentError.invalidArgument(
                    "--budget", "the slo objective needs at least 299 trials for a 95 % upper bound of the p99, got \(budget)")
            }
        }
        let workload: ScheduleEvaluator.Workload
        do {
            workload = try ScheduleEvaluator.Workload(
                job: experiment.job,
                loop: PollLoopConfiguration(deadline: experiment.timeout.map { .clampedSeconds($0) },
                                            requestTimeout: .clampedSeconds(experiment.requestTimeout)),
                latency: experiment.latency)
        } catch let error as PollingCoreError {
            throw ExperimentError.invalidField(file: experiment.name, line: nil, field: "job.\(error.field)", message: error.description)
        }
        self.experiment = experiment
        self.weights = weights
        self.objective = objective
        self.budget = budget
        self.seed = seed
        self.options = options
        self.evaluator = ScheduleEvaluator(workload: workload, weights: weights, trials: budget, seed: seed)
        self.holdout = ScheduleEvaluator(workload: workload, weights: weights, trials: budget, seed: Self.holdoutSeed(seed))
        self.scale = TuningScale.of(workload.distribution)
    }

    /// The workload's hash: FNV-1a 64 (hex) of its canonical text (`workloadText`).
    public var workloadHash: String { FNV1a.hex64(workloadText) }

    /// The workload as canonical text: job model JSON (sorted keys), the size model's JSON when
    /// jobs are sized, timeout, request timeout, latency.
    public var workloadText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let job = (try? encoder.encode(experiment.job)).map { String(decoding: $0, as: UTF8.self) } ?? "\(experiment.job)"
        let size = experiment.job.sizeModel.map { model in
            ";size=" + ((try? encoder.encode(model)).map { String(decoding: $0, as: UTF8.self) } ?? "\(model)")
        } ?? ""
        return "job=\(job)\(size);timeout=\(experiment.timeout.map { "\($0)" } ?? "none");request_timeout=\(experiment.requestTimeout);latency=\(experiment.latency)"
    }

    /// The optimal fixed schedule for the workload at the weights and the experiment's deadline
    /// (zero latency): its exact score and its simulation on the hold-out trials.
    /// - Throws: `PollingCoreError` when the schedule cannot be computed.
    public func optimum() throws -> (schedule: OptimalSchedule, simulation: ScheduleEvaluator.Evaluation) {
        let schedule = try OptimalSchedule(distribution: evaluator.workload.distribution, weights: weights,
                                           options: .init(deadline: experiment.timeout))
        return (schedule, holdout.sample(OptimalStrategy(schedule: schedule)))
    }

    /// The hold-out trials' seed: a SplitMix64 step from `seed` mixed with "HOLD".
    public static func holdoutSeed(_ seed: UInt64) -> UInt64 {
        var mixer = SplitMix64(state: seed ^ 0x484F_4C44)
        return mixer.next()
    }

    private func holdoutLoss(_ c: Candidate) -> Double {
        guard let simulation = c.simulation else { return .infinity }
        switch objective {
        case .score: return -(c.exactScore ?? simulation.meanScore)
        case .slo(let bound): return Self.sloLoss(simulation, bound: bound)
        }
    }

    /// Searches one family (see the type's documentation).
    /// - Parameters:
    ///   - family: the family.
    ///   - choices: restricts the categorical choices (e.g. `["none"]`: exponential without
    ///     jitter); default all of `family.choices`.
    ///   - progress: called after every evaluation with the count so far.
    public func tune(_ family: TuningFamily, choices: [String]? = nil, progress: ((Int) -> Void)? = nil) -> FamilyResult {
        var search = Search(tuner: self, family: family, progress: progress)
        let parameters = family.parameters(scale: scale)
        let d = parameters.count
        let g = max(2, Int(pow(Double(options.gridCells), 1 / Double(d)).rounded(.down)))
        for choice in choices ?? family.choices {
            var cells: [(point: [Double], loss: Double)] = []
            for index in 0..<Int(pow(Double(g), Double(d))) {
                var rest = index
                let point = (0..<d).map { _ -> Double in
                    let i = rest % g
                    rest /= g
                    return (Double(i) + 0.5) / Double(g)
                }
                cells.append((point, search.loss(point, choice)))
            }
            let starts = cells.enumerated().sorted { ($0.element.loss, $0.offset) < ($1.element.loss, $1.offset) }
                .prefix(options.starts)
            for start in starts {
                _ = NelderMead.minimize(start: start.element.point, step: 1 / Double(g),
                                        maxEvaluations: options.evaluationsPerDimension * (d + 1)) { search.loss($0, choice) }
            }
        }
        var pool: [Candidate] = []
        let ranked = search.ranked()
        for candidate in ranked where !pool.contains(where: { $0.configuration == candidate.configuration }) {
            pool.append(candidate)
            if pool.count >= options.finalists { break }
        }
        for choice in choices ?? family.choices {
            if let top = ranked.first(where: { $0.choice == choice }), !pool.contains(where: { $0.configuration == top.configuration }) {
                pool.append(top)
            }
        }
        var finalists: [Candidate] = pool.map { candidate in
            var c = candidate
            c.simulation = holdout.sample(c.configuration.makeStrategy())
            c.holdoutLoss = holdoutLoss(c)
            return c
        }
        finalists = finalists.enumerated().sorted { ($0.element.holdoutLoss, $0.offset) < ($1.element.holdoutLoss, $1.offset) }.map(\.element)
        let best = finalists[0]
        return FamilyResult(family: family, best: best, finalists: finalists,
                            sensitivity: sensitivity(of: best, search: &search), evaluations: search.evaluations)
    }

    private func sensitivity(of best: Candidate, search: inout Search) -> [Sensitivity] {
        let parameters = best.family.parameters(scale: scale)
        var rows: [Sensitivity] = []
        func row(_ key: String, _ label: String, _ value: String, _ values: [Double], _ choice: String) {
            guard let c = try? search.candidate(values: values, choice: choice) else { return }
            switch objective {
            case .score:
                rows.append(Sensitivity(parameter: key, label: label, value: value, objective: -c.loss, feasible: true))
            case .slo:
                rows.append(Sensitivity(parameter: key, label: label, value: value,
                                        objective: c.meanCalls ?? .infinity, feasible: c.loss < 1e6))
            }
        }
        for (i, p) in parameters.enumerated() {
            for factor in [0.9, 1.1] {
                var values = best.values
                values[i] = min(p.upper, max(p.lower, values[i] * factor))
                row(p.key, factor < 1 ? "×0.9" : "×1.1", TuningFormat.number(values[i]), values, best.choice)
            }
        }
        for choice in best.family.choices where choice != best.choice {
            row("jitter", choice, choice, best.values, choice)
        }
        return rows
    }

    /// The search's memoised evaluations.
    struct Search {
        let tuner: Tuner
        let family: TuningFamily
        let parameters: [TuningFamily.Parameter]
        let progress: ((Int) -> Void)?
        private var memo: [String: Candidate] = [:]
        private var order: [String] = []
        var evaluations: Int { order.count }

        init(tuner: Tuner, family: TuningFamily, progress: ((Int) -> Void)?) {
            self.tuner = tuner
            self.family = family
            self.parameters = family.parameters(scale: tuner.scale)
            self.progress = progress
        }

        /// The loss at a cube point; `+infinity` if the strategy refuses the values (never
        /// within the family's ranges).
        mutating func loss(_ point: [Double], _ choice: String) -> Double {
            (try? candidate(values: zip(parameters, point).map { $0.value(at: $1) }, choice: choice))?.loss ?? .infinity
        }

        /// The candidate at `values` rounded to 4 significant digits (what a user pastes is what
        /// was evaluated).
        mutating func candidate(values raw: [Double], choice: String) throws -> Candidate {
            let values = raw.map(TuningFormat.rounded)
            let key = choice + ":" + values.map { String($0.bitPattern, radix: 16) }.joined(separator: ",")
            if let hit = memo[key] { return hit }
            let configuration = try family.configuration(values, choice: choice, timeout: tuner.experiment.timeout)
            let strategy = configuration.makeStrategy()
            var candidate = Candidate(family: family, choice: choice, values: values, configuration: configuration,
                                      loss: .infinity, exactScore: nil, meanCalls: nil, simulation: nil)
            switch tuner.objective {
            case .score:
                let evaluation = tuner.evaluator.evaluate(strategy)
                candidate.loss = -evaluation.meanScore
                candidate.exactScore = evaluation.exact ? evaluation.meanScore : nil
            case .slo(let bound):
                let simulation = tuner.evaluator.sample(strategy)
                candidate.loss = Tuner.sloLoss(simulation, bound: bound)
                candidate.meanCalls = simulation.meanCalls
            }
            memo[key] = candidate
            order.append(key)
            progress?(order.count)
            return candidate
        }

        /// Every evaluated candidate, best first (ties by evaluation order).
        func ranked() -> [Candidate] {
            order.enumerated().map { ($0.offset, memo[$0.element]!) }
                .sorted { ($0.1.loss, $0.0) < ($1.1.loss, $1.0) }.map(\.1)
        }
    }

    /// The `slo` loss of a simulation (see the type's documentation).
    public static func sloLoss(_ evaluation: ScheduleEvaluator.Evaluation, bound: Double) -> Double {
        let n = evaluation.delays.count
        let calls = evaluation.meanCalls ?? .infinity
        guard let allowed = QuantileUpperBound.allowedExceedances(n: n, p: 0.99, confidence: 0.95) else { return .infinity }
        let excess = evaluation.delays.lazy.filter { $0 > bound }.count - allowed
        return excess > 0 ? 1e6 * Double(1 + excess) + calls : calls
    }
}

/// Number formatting shared by the tuner's outputs.
public enum TuningFormat {
    /// `x` rounded to 4 significant digits (0 stays 0).
    public static func rounded(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let magnitude = pow(10, 3 - floor(log10(abs(x))))
        return (x * magnitude).rounded() / magnitude
    }

    /// Six significant digits, no exponent for ordinary magnitudes.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return x > 0 ? "inf" : (x < 0 ? "-inf" : "nan") }
        return String(format: "%.6g", x)
    }
}
