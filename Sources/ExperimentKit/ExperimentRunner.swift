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
        /// Runs only this shard's trials (`experiment run --shard K/N`): those whose index ≡ K
        /// mod N, with the seeds of the whole run. Default `nil`: every trial.
        public var shard: RunShard?
        /// Called after every finished trial with (finished, total); for progress lines.
        public var progress: (@Sendable (Int, Int) -> Void)?

        public init(trials: Int? = nil, seed: UInt64? = nil, serverURL: String? = nil, mode: Experiment.Mode? = nil,
                    shard: RunShard? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) {
            self.trials = trials
            self.seed = seed
            self.serverURL = serverURL
            self.mode = mode
            self.shard = shard
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
    /// - Throws: `ExperimentError.invalidArgument` (`--shard`, nothing written) for a shard
    ///   that cannot run (see `checkShard`); `ExperimentError.runFailed` (the run row is then
    ///   marked `failed`), or a `TraceStoreError`. Cancellation marks the run `interrupted` and
    ///   rethrows.
    public func run(_ experiment: Experiment, configText: String, database: TraceDatabase,
                    options: Options = Options()) async throws -> Result {
        var experiment = experiment
        if let trials = options.trials { experiment.trials = trials }
        if let seed = options.seed { experiment.seed = seed }
        if let mode = options.mode { experiment.mode = mode }
        try Self.checkShard(options.shard, of: experiment)
        _ = try? database.markStaleRunsInterrupted(olderThan: Self.staleAfter)
        return try await run(experiment, plan: .new(configText: configText), database: database, options: options)
    }

    /// Refuses a shard that cannot reproduce its part of the whole run: one of more shards than
    /// trials per arm (it would hold no trial), and any shard of a live run with a `learned` arm
    /// (live, a learned arm learns from the trials finished so far, which another machine runs;
    /// a simulated shard replays them instead, see `simulate`).
    /// - Parameters:
    ///   - shard: the shard to run, or `nil` (always accepted).
    ///   - experiment: the experiment with its overrides (trials, mode) applied.
    /// - Throws: `ExperimentError.invalidArgument` naming `--shard` and the fix.
    public static func checkShard(_ shard: RunShard?, of experiment: Experiment) throws {
        guard let shard else { return }
        if shard.count > experiment.trials {
            throw ExperimentError.invalidArgument(
                "--shard", "\(shard) splits \(experiment.trials) trials per arm into \(shard.count) shards, so some would "
                    + "hold no trial; use at most \(experiment.trials) shards (N ≤ trials)")
        }
        if experiment.mode == .live, let arm = experiment.arms.first(where: { $0.strategy.learningMinimum != nil }) {
            throw ExperimentError.invalidArgument(
                "--shard", "experiment \(experiment.name) has the learned arm '\(arm.name)', which live learns from the "
                    + "trials finished before each of its trials, and those of other shards run elsewhere; a sharded "
                    + "live run cannot match the whole run. Run it unsharded, shard it with --simulate (the earlier "
                    + "trials are then replayed), or remove the learned arm")
        }
    }

    /// How a run is recorded: a new run, or the missing trials of an unfinished one.
    enum Plan: Sendable {
        case new(configText: String)
        case resume(StoredRun, done: [String: Set<Int>])

        /// `true` when trial `index` of `arm` is already stored.
        func isDone(arm: String, index: Int) -> Bool {
            if case .resume(_, let done) = self { return done[arm]?.contains(index) ?? false }
            return false
        }

        /// How many of trials `0..<trials` of these arms (those of `shard`, when given) are
        /// already stored.
        func doneCount(arms: [String], trials: Int, shard: RunShard? = nil) -> Int {
            guard case .resume(_, let done) = self else { return 0 }
            return arms.reduce(0) { sum, arm in
                sum + (done[arm]?.count(where: { index in
                    index >= 0 && index < trials && (shard?.contains(index) ?? true)
                }) ?? 0)
            }
        }
    }

    /// A run whose heartbeat is older than this is taken to have died (the heartbeat is renewed
    /// every `heartbeatInterval` while a runner writes).
    public static let staleAfter: TimeInterval = 10
    /// How often a running run renews its heartbeat.
    public static let heartbeatInterval: Duration = .seconds(1)

    func run(_ experiment: Experiment, plan: Plan, database: TraceDatabase, options: Options) async throws -> Result {
        switch experiment.mode {
        case .live: return try await runLive(experiment, plan: plan, database: database, options: options)
        case .simulated: return try await runSimulated(experiment, plan: plan, database: database, options: options)
        }
    }

    /// Inserts the run (with its provenance) and its arms, or reopens the run being resumed, and
    /// opens a writer for its trials.
    private func beginRecording(_ experiment: Experiment, plan: Plan, database: TraceDatabase,
                        serverURL: String?, shard: RunShard?) throws -> (RunHandle, TraceWriter) {
        guard case .new(let configText) = plan else {
            // The run was claimed (marked running, fresh heartbeat) by `resume`.
            guard case .resume(let stored, _) = plan else { preconditionFailure() }
            return (stored.handle, try TraceWriter(database: database, run: stored.handle))
        }
        let provenance = Provenance.current()
        let handle = try database.beginRun(
            RunProvenance(experimentName: experiment.name, experimentDescription: experiment.description,
                          mode: experiment.mode.runMode, seed: experiment.seed,
                          trialsPerArm: experiment.trials, concurrency: experiment.concurrency,
                          timeout: experiment.scaledTimeout, startedAt: Date(), gitSHA: provenance.gitSHA,
                          gitDirty: provenance.gitDirty, host: provenance.host, toolchain: provenance.toolchain,
                          configText: configText, serverURL: serverURL, shard: shard),
            arms: experiment.arms.map {
                ArmSpec(name: $0.name, strategy: $0.strategy.kind, parametersJSON: $0.strategy.parametersJSON)
            })
        return (handle, try TraceWriter(database: database, run: handle))
    }

    /// Records one run: begins it (or reopens the run being resumed), runs `trials` into its
    /// writer while renewing the heartbeat, and marks it finished, or failed or interrupted when
    /// `trials` throws.
    /// - Parameter trials: runs the trials into the sink, with the run's time origin; returns how
    ///   many it recorded.
    func recordRun(_ experiment: Experiment, plan: Plan, database: TraceDatabase, serverURL: String?, shard: RunShard?,
                   trials: @escaping @Sendable (any TraceSink, ContinuousClock.Instant) async throws -> Int) async throws -> Result {
        let (handle, writer) = try beginRecording(experiment, plan: plan, database: database, serverURL: serverURL,
                                                  shard: shard)
        let clock = ContinuousClock()
        let runStart = clock.now
        do {
            let count = try await withHeartbeat(database, runID: handle.runID, writer: writer) {
                try await trials(writer, runStart)
            }
            let wall = runStart.duration(to: clock.now)
            try await finishRecording(handle, writer: writer, database: database, wall: wall)
            return Result(runID: handle.runID, trials: count, wallTime: wall)
        } catch {
            try? await finishRecording(handle, writer: writer, database: database,
                                       wall: runStart.duration(to: clock.now), error: error)
            throw error is CancellationError ? error : ExperimentError.runFailed("\(error)")
        }
    }

    /// Runs `body` while renewing the run's heartbeat every `heartbeatInterval`, and writing the
    /// trials that `writer` has held longer than its flush interval (`TraceWriter.flushIfDue`).
    func withHeartbeat<T: Sendable>(_ database: TraceDatabase, runID: Int64, writer: TraceWriter,
                                    _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.heartbeatInterval)
                    try? database.heartbeat(runID)
                    try? await writer.flushIfDue()
                }
                return nil
            }
            group.addTask { try await body() }
            defer { group.cancelAll() }
            while let value = try await group.next() {
                if let value { return value }
            }
            throw CancellationError()
        }
    }

    /// Closes the writer and marks the run finished, or, after `error`, failed or interrupted.
    private func finishRecording(_ handle: RunHandle, writer: TraceWriter, database: TraceDatabase, wall: Duration,
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

extension Experiment.Mode {
    /// The mode as the database records it.
    var runMode: RunMode { self == .live ? .live : .simulated }

    /// The mode of a recorded run.
    init(_ mode: RunMode) { self = mode == .live ? .live : .simulated }
}
