import Foundation
import Logging
import MockJobServer
import PollingClient
import PollingCore
import TraceStore

/// Runs a named experiment and records every trial to the database, live over HTTP or
/// simulated in virtual time.
///
/// Trial `i` of every arm polls the job seeded with `SeedDerivation.jobSeed(runSeed:trialIndex:)`
/// (common random numbers), live or simulated.
public struct ExperimentRunner: Sendable {
    /// Overrides and settings of one run.
    public struct Options: Sendable {
        /// Replaces the file's `trials` (per arm).
        public var trials: Int?
        /// Replaces the file's `seed`.
        public var seed: UInt64?
        /// Polls this server instead of starting the embedded one, e.g. `http://127.0.0.1:8080`.
        public var serverURL: String?
        /// Replaces the file's `mode` (`experiment run --simulate`).
        public var mode: Experiment.Mode?
        /// Called after every finished trial with (finished, total); for progress lines.
        public var progress: (@Sendable (Int, Int) -> Void)?

        public init(trials: Int? = nil, seed: UInt64? = nil, serverURL: String? = nil, mode: Experiment.Mode? = nil,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) {
            self.trials = trials
            self.seed = seed
            self.serverURL = serverURL
            self.mode = mode
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

    /// Runs `experiment` and records it in `database`: live over HTTP, or simulated in virtual
    /// time (`mode: simulated`, or `Options.mode`).
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
        if let mode = options.mode { experiment.mode = mode }
        switch experiment.mode {
        case .live: return try await runLive(experiment, configText: configText, database: database, options: options)
        case .simulated: return try await runSimulated(experiment, configText: configText, database: database, options: options)
        }
    }

    /// Inserts the run (with its provenance) and its arms, and opens a writer for its trials.
    func beginRecording(_ experiment: Experiment, configText: String, database: TraceDatabase,
                        serverURL: String?) throws -> (RunHandle, TraceWriter) {
        let provenance = Provenance.current()
        let handle = try database.beginRun(
            RunProvenance(experimentName: experiment.name, experimentDescription: experiment.description,
                          mode: experiment.mode == .live ? .live : .simulated, seed: experiment.seed,
                          trialsPerArm: experiment.trials, concurrency: experiment.concurrency,
                          timeout: experiment.timeout, startedAt: Date(), gitSHA: provenance.gitSHA,
                          gitDirty: provenance.gitDirty, host: provenance.host, toolchain: provenance.toolchain,
                          configText: configText, serverURL: serverURL),
            arms: experiment.arms.map {
                ArmSpec(name: $0.name, strategy: $0.strategy.kind, parametersJSON: $0.strategy.parametersJSON)
            })
        return (handle, try TraceWriter(database: database, run: handle))
    }

    /// Closes the writer and marks the run finished, or, after `error`, failed or interrupted.
    func finishRecording(_ handle: RunHandle, writer: TraceWriter, database: TraceDatabase, wall: Duration,
                         error: (any Error)? = nil) async throws {
        guard let error else {
            try await writer.close()
            try database.finishRun(handle.runID, status: .finished, wallNanos: wall.nanoseconds)
            return
        }
        try? await writer.close()
        let status: RunStatus = error is CancellationError ? .interrupted : .failed
        try? database.finishRun(handle.runID, status: status, wallNanos: wall.nanoseconds, error: "\(error)")
    }
}
