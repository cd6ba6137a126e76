import Foundation
import Logging
import MockJobServer
import PollingClient
import PollingCore
import TraceStore

/// Runs a named experiment live over HTTP and records every trial to the database.
///
/// Without a server URL it starts the mock job server in-process on an ephemeral loopback port
/// and stops it at the end. Trials run concurrently, at most `concurrency` at once, interleaved
/// across arms (trial 0 of every arm, then trial 1, …) so that every arm meets the same load.
/// Trial `i` of every arm polls the job seeded with `SeedDerivation.jobSeed(runSeed:trialIndex:)`.
public struct ExperimentRunner: Sendable {
    /// Overrides and settings of one run.
    public struct Options: Sendable {
        /// Replaces the file's `trials` (per arm).
        public var trials: Int?
        /// Replaces the file's `seed`.
        public var seed: UInt64?
        /// Polls this server instead of starting the embedded one, e.g. `http://127.0.0.1:8080`.
        public var serverURL: String?
        /// Called after every finished trial with (finished, total); for progress lines.
        public var progress: (@Sendable (Int, Int) -> Void)?

        public init(trials: Int? = nil, seed: UInt64? = nil, serverURL: String? = nil,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) {
            self.trials = trials
            self.seed = seed
            self.serverURL = serverURL
            self.progress = progress
        }
    }

    /// What a finished run produced.
    public struct Result: Sendable, Hashable {
        public var runID: Int64
        /// Trials recorded (all arms).
        public var trials: Int
        /// Wall time of the trials, server start and stop excluded.
        public var wallTime: Duration
    }

    public let logger: Logger

    public init(logger: Logger = Logger(label: "polllab.experiment")) {
        self.logger = logger
    }

    /// Runs `experiment` and records it in `database`.
    /// - Parameters:
    ///   - experiment: the parsed experiment.
    ///   - configText: the file's text, stored with the run.
    ///   - database: an open, writable trace database.
    ///   - options: overrides.
    /// - Returns: the run id and counts.
    /// - Throws: `ExperimentError.runFailed` (the run row is then marked `failed`), or a
    ///   `TraceStoreError`. Cancellation marks the run `interrupted` and rethrows.
    public func run(_ experiment: Experiment, configText: String, database: TraceDatabase,
                    options: Options = Options()) async throws -> Result {
        var experiment = experiment
        if let trials = options.trials { experiment.trials = trials }
        if let seed = options.seed { experiment.seed = seed }

        let server: RunningJobServer?
        let baseURL: String
        if let url = options.serverURL {
            server = nil
            baseURL = url
        } else {
            do {
                let started = try await RunningJobServer.start(
                    configuration: .init(host: "127.0.0.1", port: 0, seed: experiment.seed), logger: logger)
                server = started
                baseURL = started.baseURL
            } catch {
                throw ExperimentError.runFailed("could not start the embedded mock server: \(error)")
            }
        }
        let client: JobClient
        do {
            client = try JobClient(baseURL: baseURL, configuration: .init(
                timeout: .init(request: .clampedSeconds(experiment.requestTimeout)),
                maximumConnections: experiment.concurrency), logger: logger)
        } catch {
            try? await server?.stop()
            throw ExperimentError.runFailed("\(error)")
        }
        do {
            try await client.warmUp(connections: experiment.concurrency)
        } catch {
            try? await client.shutdown()
            try? await server?.stop()
            throw ExperimentError.runFailed("cannot reach the job server at \(baseURL): \(error)")
        }
        let provenance = Provenance.current()
        let handle: RunHandle
        let writer: TraceWriter
        do {
            handle = try database.beginRun(
            RunProvenance(experimentName: experiment.name, experimentDescription: experiment.description,
                          mode: .live, seed: experiment.seed, trialsPerArm: experiment.trials,
                          concurrency: experiment.concurrency, timeout: experiment.timeout, startedAt: Date(),
                          gitSHA: provenance.gitSHA, gitDirty: provenance.gitDirty, host: provenance.host,
                          toolchain: provenance.toolchain, configText: configText, serverURL: baseURL),
            arms: experiment.arms.map { ArmSpec(name: $0.name, strategy: $0.strategy.kind, parametersJSON: $0.strategy.parametersJSON) })
            writer = try TraceWriter(database: database, run: handle)
        } catch {
            try? await client.shutdown()
            try? await server?.stop()
            throw error
        }
        let clock = ContinuousClock()
        let runStart = clock.now
        do {
            let count = try await runTrials(experiment, client: client, clock: clock, runStart: runStart,
                                            sink: writer, progress: options.progress)
            try await writer.close()
            let wall = runStart.duration(to: clock.now)
            try database.finishRun(handle.runID, status: .finished, wallNanos: wall.nanoseconds)
            try await client.shutdown()
            try await server?.stop()
            return Result(runID: handle.runID, trials: count, wallTime: wall)
        } catch {
            try? await writer.close()
            let status: RunStatus = error is CancellationError ? .interrupted : .failed
            try? database.finishRun(handle.runID, status: status, wallNanos: runStart.duration(to: clock.now).nanoseconds,
                                    error: "\(error)")
            try? await client.shutdown()
            try? await server?.stop()
            throw error is CancellationError ? error : ExperimentError.runFailed("\(error)")
        }
    }

    private func runTrials(_ experiment: Experiment, client: JobClient, clock: ContinuousClock,
                           runStart: ContinuousClock.Instant, sink: any TraceSink,
                           progress: (@Sendable (Int, Int) -> Void)?) async throws -> Int {
        let poller = Poller(transport: client, clock: clock, configuration: .init(
            deadline: experiment.timeout.map { .clampedSeconds($0) },
            requestTimeout: .clampedSeconds(experiment.requestTimeout)))
        let driver = TrialDriver(poller: poller, runStart: runStart)
        let total = experiment.trials * experiment.arms.count
        let work = (0..<experiment.trials).lazy.flatMap { index in
            experiment.arms.indices.lazy.map { (arm: $0, index: index) }
        }
        var finished = 0
        var started = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for item in work {
                if inFlight >= experiment.concurrency {
                    try await group.next()
                    inFlight -= 1
                    finished += 1
                    progress?(finished, total)
                }
                let arm = experiment.arms[item.arm]
                let trial = TrialDriver<ContinuousClock>.Trial(
                    arm: arm.name, index: item.index, parameters: experiment.job,
                    jobSeed: SeedDerivation.jobSeed(runSeed: experiment.seed, trialIndex: item.index))
                let strategySeed = SeedDerivation.strategySeed(runSeed: experiment.seed, armIndex: item.arm, trialIndex: item.index)
                let startAt = runStart.advanced(by: rampUpOffset(experiment, trial: started))
                started += 1
                group.addTask {
                    try await clock.sleep(until: startAt, tolerance: nil)
                    var strategy = arm.strategy.makeStrategy()
                    var rng = SeededGenerator(seed: strategySeed)
                    try await driver.run(trial, strategy: &strategy, using: &rng, sink: sink)
                }
                inFlight += 1
            }
            while try await group.next() != nil {
                finished += 1
                progress?(finished, total)
            }
        }
        return finished
    }

    /// When the `trial`-th trial to start (across arms) may start: the first `concurrency` trials
    /// are spread evenly over `rampUp` seconds; later ones start as soon as a slot frees.
    private func rampUpOffset(_ experiment: Experiment, trial: Int) -> Duration {
        guard experiment.rampUp > 0, trial < experiment.concurrency else { return .zero }
        return .clampedSeconds(experiment.rampUp * Double(trial) / Double(experiment.concurrency))
    }
}
