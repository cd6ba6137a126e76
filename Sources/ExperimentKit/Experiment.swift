import Foundation
import PollingCore
import Yams

/// A named experiment: a job model, how many trials, and the arms (strategies) to compare.
///
/// Read from a YAML file under `experiments/` (format in the README, "Experiment files").
/// All arms poll the same jobs: trial `i` of every arm gets the job seeded with
/// `SeedDerivation.jobSeed(runSeed: seed, trialIndex: i)` (common random numbers).
public struct Experiment: Sendable, Hashable {
    /// One arm: a named strategy configuration.
    public struct Arm: Sendable, Hashable {
        public var name: String
        public var strategy: StrategyConfiguration
        /// `cancel_at_deadline`: a trial that times out cancels its job (`DELETE /jobs/{id}`,
        /// recorded as a `cancel` call) at its deadline. Needs `timeout`. Default `false`.
        public var cancelAtDeadline: Bool
        /// The arm's retry budget: the experiment's `retry:` block with the arm's own over it.
        public var retry: RetrySettings

        public init(name: String, strategy: StrategyConfiguration, cancelAtDeadline: Bool = false,
                    retry: RetrySettings = RetrySettings()) {
            self.name = name
            self.strategy = strategy
            self.cancelAtDeadline = cancelAtDeadline
            self.retry = retry
        }
    }

    /// Where the jobs run.
    public enum Mode: String, Sendable, Hashable {
        /// Over real HTTP against the mock server (embedded, or `--server URL`).
        case live
        /// In virtual time against an in-process job model, with the same poll loop
        /// (`PollLoop`) and the same job draws; the request latency comes from `latency`.
        case simulated
    }

    /// The experiment's name; must equal the file's base name.
    public var name: String
    public var description: String
    public var mode: Mode
    /// Trials per arm (1 … 10 000 000).
    public var trials: Int
    /// The run seed; every random draw of a run derives from it.
    public var seed: UInt64
    /// Trials in flight at once, across all arms (1 … 100 000). Default 100. In the event
    /// simulation (a capacity or arrivals, simulated) each arm runs alone, so it caps each arm.
    public var concurrency: Int
    /// Per-trial deadline in seconds from the start of polling; `nil` = none (seed default).
    public var timeout: Double?
    /// Bound on one HTTP request in seconds. Default 5.
    public var requestTimeout: Double
    /// Seconds over which the first `concurrency` trials start, evenly spaced (a load-test
    /// ramp-up), so that concurrent trials with identical schedules do not poll in lockstep.
    /// Default 0: all at once. Not together with `arrivals`.
    public var rampUp: Double
    /// When trials want to start (`arrivals:`: herd, Poisson or bursts; `ArrivalPattern`); trial
    /// `i` of every arm arrives at the same instant; `concurrency` still caps the trials in
    /// flight and a trial that finds the cap full waits (recorded as `trial.wait_ns`). `nil`
    /// (default): trials start as slots free, after the `rampUp`. In simulation each arm has its
    /// own timeline and its own server (see `FleetSimulator`); live, arms are interleaved on one
    /// server and trial `i` of each arm arrives at the `i`-th instant.
    public var arrivals: ArrivalPattern?
    /// Simulated request round trips (simulated mode only). Default 0.
    public var latency: LatencyModel
    /// The embedded mock server's hints, long-poll limit and faults (live mode) and its capacity
    /// (live, and applied by the simulator too).
    public var server: ServerSettings
    /// The job model every trial draws from, in workload time (see `timeScale`).
    public var job: JobParameters
    /// Real seconds per workload second (`time_scale`, default 1): every duration of the job
    /// model, the timeout and every strategy time (parameters, schedules, observed hints) are
    /// multiplied by it, so a workload of minutes runs live in seconds; HR and ER are unchanged
    /// up to request latency. Recorded with the run (its config text; the run's `timeout` column
    /// holds the scaled deadline).
    public var timeScale: Double = 1

    /// The job model in real time: `job` with every duration multiplied by `timeScale` (`job`
    /// itself when the scale is 1).
    public var scaledJob: JobParameters {
        timeScale == 1 ? job : JobParameters(duration: job.durationSpec.scaled(by: timeScale), successRate: job.successRate,
                                             size: job.sizeModel)
    }

    /// The per-trial deadline in real seconds (`timeout × timeScale`).
    public var scaledTimeout: Double? { timeout.map { $0 * timeScale } }
    public var arms: [Arm]

    public init(name: String, description: String = "", mode: Mode = .live, trials: Int, seed: UInt64,
                concurrency: Int = 100, timeout: Double? = nil, requestTimeout: Double = 5, rampUp: Double = 0,
                latency: LatencyModel = .constant(0), server: ServerSettings = ServerSettings(),
                job: JobParameters, arms: [Arm]) {
        self.name = name
        self.description = description
        self.mode = mode
        self.trials = trials
        self.seed = seed
        self.concurrency = concurrency
        self.timeout = timeout
        self.requestTimeout = requestTimeout
        self.rampUp = rampUp
        self.latency = latency
        self.server = server
        self.job = job
        self.arms = arms
    }

    /// Top-level keys of an experiment file.
    static let topLevelKeys = ["description", "mode", "trials", "seed", "concurrency", "timeout",
                               "request_timeout", "ramp_up", "arrivals", "latency", "server", "job", "arms", "retry", "time_scale"]

    /// Parses and validates an experiment file.
    /// - Parameters:
    ///   - yaml: the file's text.
    ///   - file: the path, used in error messages.
    /// - Throws: `ExperimentError.malformedYAML` or `.invalidField` naming the file, line and key.
    ///   - directory: where relative data paths (an `empirical` model's `file`) start; default the
    ///     directory of `file`.
    public static func parse(yaml: String, file: String, directory: String? = nil) throws -> Experiment {
        let dataDirectory = directory ?? (file as NSString).deletingLastPathComponent
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ExperimentError.malformedYAML(file: file, line: nil, message: "the file is empty")
            }
            root = node
        } catch let error as ExperimentError {
            throw error
        } catch {
            throw ExperimentError.malformedYAML(file: file, line: nil, message: "\(error)")
        }
        let top = try FieldReader(file: file, path: "", node: root)
        try top.allow(["name"] + topLevelKeys)
        let modeName = try top.optionalString("mode") ?? "live"
        guard let mode = Mode(rawValue: modeName) else {
            throw top.invalid("mode", "unknown mode '\(modeName)' (use: live, simulated)")
        }
        var experiment = Experiment(
            name: try top.name("name"),
            description: try top.optionalString("description") ?? "",
            mode: mode,
            trials: try top.integer("trials", range: 1...10_000_000),
            seed: try top.unsigned("seed"),
            concurrency: try top.integer("concurrency", default: 100, range: 1...100_000),
            timeout: try top.optionalSeconds("timeout"),
            requestTimeout: try top.seconds("request_timeout", default: 5, positive: true),
            rampUp: try top.seconds("ramp_up", default: 0),
            latency: try parseLatency(top),
            server: top.value("server") == nil ? ServerSettings() : try ServerSettings.parse(try top.mapping("server")),
            job: try parseJob(try top.mapping("job"), directory: dataDirectory.isEmpty ? "." : dataDirectory),
            arms: [])
        experiment.timeScale = try top.seconds("time_scale", default: 1, positive: true)
        if top.value("arrivals") != nil {
            guard experiment.rampUp == 0 else {
                throw top.invalid("ramp_up", "give either ramp_up or arrivals, not both (arrivals set every trial's start instant)")
            }
            experiment.arrivals = try ArrivalPattern.parse(try top.mapping("arrivals"))
        }
        guard !experiment.name.isEmpty, experiment.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw top.invalid("name", "must be non-empty letters, digits, '-' or '_', got '\(experiment.name)'")
        }
        let retry = top.value("retry") == nil ? RetrySettings() : try RetrySettings.parse(try top.mapping("retry"))
        let armsNode = try top.node("arms")
        guard armsNode.sequence != nil, !armsNode.array().isEmpty else {
            throw top.invalid("arms", "must be a non-empty list of arms, each with a name and a strategy")
        }
        var seen = Set<String>()
        for (index, node) in armsNode.array().enumerated() {
            let fields = try FieldReader(file: file, path: "arms[\(index)]", node: node)
            let name = try fields.name("name")
            guard seen.insert(name).inserted else {
                throw fields.invalid("name", "arm names must be unique, '\(name)' is not")
            }
            var cancelAtDeadline = false
            if let node = fields.value("cancel_at_deadline") {
                guard let value = node.bool else { throw fields.invalid("cancel_at_deadline", "must be true or false") }
                guard !value || experiment.timeout != nil else {
                    throw fields.invalid("cancel_at_deadline", "needs a deadline: set the top-level 'timeout' (seconds)")
                }
                cancelAtDeadline = value
            }
            let armRetry = fields.value("retry") == nil ? retry : try RetrySettings.parse(try fields.mapping("retry"), over: retry)
            experiment.arms.append(Arm(name: name, strategy: try StrategyConfiguration.parse(fields),
                                       cancelAtDeadline: cancelAtDeadline, retry: armRetry))
        }
        try validateServer(experiment, top)
        return experiment
    }

    /// `latency: 0.002` (constant seconds) or `latency: [0.001, 0.003]` (uniform seconds).
    private static func parseLatency(_ fields: FieldReader) throws -> LatencyModel {
        guard let node = fields.value("latency") else { return .constant(0) }
        if node.sequence != nil {
            let (lower, upper) = try fields.numberPair("latency", default: (0, 0))
            guard lower >= 0, lower <= upper else {
                throw fields.invalid("latency", "must be [min, max] seconds with 0 <= min <= max, got [\(lower), \(upper)]")
            }
            return .uniform(lower, upper)
        }
        return .constant(try fields.seconds("latency"))
    }

    /// `job: {duration: {model: …}, size: {model: …}, success_rate}` or the legacy `base_delay`,
    /// `var_delay`, `duration_model` keys (not both). `size` (optional, needs `duration`) is a
    /// model with a finite mean (see `JobParameters+Size.swift`).
    private static func parseJob(_ fields: FieldReader, directory: String) throws -> JobParameters {
        try fields.allow(["base_delay", "var_delay", "success_rate", "duration_model", "duration", "size"])
        if fields.value("duration") != nil {
            if let legacy = ["base_delay", "var_delay", "duration_model"].first(where: { fields.value($0) != nil }) {
                throw fields.invalid(legacy, "give either job.duration or base_delay/var_delay/duration_model, not both")
            }
            let size = fields.value("size") == nil ? nil : try DurationSpec.parse(fields, key: "size", directory: directory)
            let job = JobParameters(duration: try DurationSpec.parse(fields, key: "duration", directory: directory),
                                    successRate: try fields.number("success_rate", default: JobParameters().successRate),
                                    size: size)
            try validate(job, fields)
            return job
        }
        if fields.value("size") != nil { throw fields.invalid("size", "sizes need a job.duration object (the duration per unit of size)") }
        let modelName = try fields.optionalString("duration_model") ?? DurationModel.seed.rawValue
        guard let model = DurationModel(rawValue: modelName) else {
            throw fields.invalid("duration_model", "unknown duration model '\(modelName)' (use one of: \(DurationModel.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let job = JobParameters(baseDelay: try fields.number("base_delay"), varDelay: try fields.number("var_delay"),
                                successRate: try fields.number("success_rate", default: JobParameters().successRate),
                                durationModel: model)
        try validate(job, fields)
        return job
    }

    private static func validate(_ job: JobParameters, _ fields: FieldReader) throws {
        do {
            try job.validate()
        } catch let error as PollingCoreError {
            throw fields.invalid(error.field, error.description.replacingOccurrences(of: "\(error.field): ", with: ""))
        }
    }
}
