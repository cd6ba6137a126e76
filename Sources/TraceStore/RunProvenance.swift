import Foundation

/// How a run executes its trials.
public enum RunMode: String, Sendable, Codable, CaseIterable {
    /// Against a job server over real HTTP, on the monotonic clock.
    case live
    /// In virtual time, with the job model of `PollingCore`.
    case simulated
}

/// The status of a run (`run.status`).
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// The run is writing trials (its heartbeat shows whether it is still alive).
    case running
    /// Every trial ended.
    case finished
    /// The run stopped on an error (`run.error` says why).
    case failed
    /// The run stopped early (signal, crash, stale heartbeat); it can be resumed.
    case interrupted
}

/// One arm of a run: a strategy configuration (`arm` row).
public struct ArmSpec: Sendable, Hashable, Codable {
    /// The arm's name, unique within the run.
    public var name: String
    /// The strategy kind, e.g. `seed`, `exponential`.
    public var strategy: String
    /// The strategy's parameters as a JSON object text (stored verbatim).
    public var parametersJSON: String

    /// - Parameters:
    ///   - name: the arm's name, unique within the run.
    ///   - strategy: the strategy kind.
    ///   - parametersJSON: the strategy's parameters as a JSON object (default `{}`).
    public init(name: String, strategy: String, parametersJSON: String = "{}") {
        self.name = name
        self.strategy = strategy
        self.parametersJSON = parametersJSON
    }
}

/// Everything recorded about a run when it begins (the `run` row's provenance).
public struct RunProvenance: Sendable, Hashable {
    /// The experiment's name (`experiment.name`; the experiment row is shared by its runs).
    public var experimentName: String
    /// The experiment's description (updates `experiment.description`).
    public var experimentDescription: String
    /// Live over HTTP or simulated in virtual time.
    public var mode: RunMode
    /// The run seed; stored as decimal text (unsigned 64-bit).
    public var seed: UInt64
    /// Trials per arm (≥ 0).
    public var trialsPerArm: Int
    /// Trials in flight at once (≥ 1).
    public var concurrency: Int
    /// Per-trial deadline in seconds; `nil` = none. Stored as `timeout_ns`.
    public var timeout: Double?
    /// Wall-clock start of the run (stored as RFC 3339 UTC).
    public var startedAt: Date
    /// The git commit of the code that ran, if known.
    public var gitSHA: String?
    /// Whether the working tree had uncommitted changes, if known.
    public var gitDirty: Bool?
    /// The host name.
    public var host: String
    /// The Swift toolchain version string.
    public var toolchain: String
    /// The experiment file as run (hashed into `config_hash` with FNV-1a 64).
    public var configText: String
    /// The job server's base URL; `nil` when simulated.
    public var serverURL: String?
    /// The part of the run this process runs (`--shard K/N`); `nil` for the whole run.
    public var shard: RunShard?

    /// Creates a run's provenance; each parameter is the property of the same name (units there).
    public init(experimentName: String, experimentDescription: String = "", mode: RunMode, seed: UInt64,
                trialsPerArm: Int, concurrency: Int, timeout: Double? = nil, startedAt: Date,
                gitSHA: String? = nil, gitDirty: Bool? = nil, host: String, toolchain: String,
                configText: String, serverURL: String? = nil, shard: RunShard? = nil) {
        self.experimentName = experimentName
        self.experimentDescription = experimentDescription
        self.mode = mode
        self.seed = seed
        self.trialsPerArm = trialsPerArm
        self.concurrency = concurrency
        self.timeout = timeout
        self.startedAt = startedAt
        self.gitSHA = gitSHA
        self.gitDirty = gitDirty
        self.host = host
        self.toolchain = toolchain
        self.configText = configText
        self.serverURL = serverURL
        self.shard = shard
    }

    /// `run.resolved_config_hash`: FNV-1a 64 (16 hex digits) of the configuration as resolved,
    /// i.e. of the text
    ///
    ///     polllab-resolved-config 1
    ///     mode: <live|simulated>
    ///     seed: <decimal>
    ///     trials_per_arm: <decimal>
    ///
    ///     <the experiment file's text>
    ///
    /// The command-line overrides that change which trials run or what they draw (`--simulate`,
    /// `--seed`, `--trials`) are in it, since shards run with different overrides must not be
    /// merged; `--shard` is not (it is what differs between shards), nor are the server URL and
    /// the database path (each machine has its own). The file text counts as written, comments
    /// included, as `config_hash` does.
    public var resolvedConfigHash: String {
        FNV1a.hex64("polllab-resolved-config 1\nmode: \(mode.rawValue)\nseed: \(seed)\ntrials_per_arm: \(trialsPerArm)\n\n"
                    + configText)
    }
}

/// The ids of a run and of its arms, as returned by `TraceDatabase.beginRun`.
public struct RunHandle: Sendable, Hashable {
    /// `run.id`.
    public var runID: Int64
    /// `arm.id` by arm name.
    public var armIDs: [String: Int64]

    /// Creates a handle from stored ids.
    public init(runID: Int64, armIDs: [String: Int64]) {
        self.runID = runID
        self.armIDs = armIDs
    }
}
