import GRDB

/// A run's provenance as a report shows it: the header of every report (one `run` row
/// joined to its experiment; read back from the database, unlike TraceStore's `RunProvenance`,
/// which is written).
public struct RunHeader: Sendable, Hashable, Codable, FetchableRecord {
    /// `run.id`.
    public var runID: Int64
    /// The experiment's name.
    public var experiment: String
    /// `live` or `simulated`.
    public var mode: String
    /// `running`, `finished`, `failed` or `interrupted`.
    public var status: String
    /// The run seed, unsigned 64-bit as decimal text.
    public var seed: String
    /// Wall-clock start, RFC 3339 UTC, as stored.
    public var startedAt: String
    /// Wall-clock end, RFC 3339 UTC; `nil` while running or when interrupted.
    public var endedAt: String?
    /// Trials planned per arm.
    public var trialsPerArm: Int
    /// Git commit of the code that ran, `nil` when unknown.
    public var gitSHA: String?
    /// Whether the working tree had uncommitted changes, `nil` when unknown.
    public var gitDirty: Bool?

    /// Creates a provenance record (tests and renderers; the loader reads it from the database).
    public init(
        runID: Int64, experiment: String, mode: String, status: String, seed: String,
        startedAt: String, endedAt: String? = nil, trialsPerArm: Int,
        gitSHA: String? = nil, gitDirty: Bool? = nil
    ) {
        self.runID = runID
        self.experiment = experiment
        self.mode = mode
        self.status = status
        self.seed = seed
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.trialsPerArm = trialsPerArm
        self.gitSHA = gitSHA
        self.gitDirty = gitDirty
    }

    /// Reads the provenance of one run.
    /// - Parameters:
    ///   - db: an open connection to a results database.
    ///   - runID: `run.id`.
    /// - Returns: the run's provenance.
    /// - Throws: `AnalysisError.unknownRun` when no run has this id; SQLite errors as
    ///   GRDB's `DatabaseError`.
    public static func fetch(_ db: Database, runID: Int64) throws -> RunHeader {
        let request = SQLRequest<RunHeader>(literal: """
            SELECT r.id AS run_id, e.name AS experiment, r.mode AS mode, r.status AS status, r.seed AS seed,
                   r.started_at AS started_at, r.ended_at AS ended_at, r.trials_per_arm AS trials_per_arm,
                   r.git_sha AS git_sha, r.git_dirty AS git_dirty
            FROM run r JOIN experiment e ON e.id = r.experiment_id
            WHERE r.id = \(runID)
            """)
        guard let header = try request.fetchOne(db) else {
            throw AnalysisError.unknownRun(id: runID, latest: try Int64.fetchOne(db, sql: "SELECT max(id) FROM run"))
        }
        return header
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", experiment, mode, status, seed, startedAt = "started_at"
        case endedAt = "ended_at", trialsPerArm = "trials_per_arm", gitSHA = "git_sha"
        case gitDirty = "git_dirty"
    }

    /// Encodes every key, `null` for missing values, so that the JSON shape never varies.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runID, forKey: .runID)
        try c.encode(experiment, forKey: .experiment)
        try c.encode(mode, forKey: .mode)
        try c.encode(status, forKey: .status)
        try c.encode(seed, forKey: .seed)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(endedAt, forKey: .endedAt)
        try c.encode(trialsPerArm, forKey: .trialsPerArm)
        try c.encode(gitSHA, forKey: .gitSHA)
        try c.encode(gitDirty, forKey: .gitDirty)
    }
}
