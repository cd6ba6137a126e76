import Foundation
import GRDB

/// Puts sharded runs (`experiment run NAME --shard K/N`, one file per shard, possibly from
/// several machines) back together into one run per experiment, seed and resolved configuration
/// (`experiment merge`).
///
/// Two steps: `plan(sources:)` reads the shard files (each with its own read-only GRDB
/// `DatabaseQueue`, `TraceDatabase.openReadOnly`; nothing is written to them) and checks that
/// the shards fit; `TraceDatabase.merge(_:)` then copies them into the output database in one
/// transaction. Source databases are read with their own connections rather than `ATTACH`ed:
/// SQLite attaches at most 10 databases and never inside a transaction, and a run may have more
/// shards than that.
///
/// The checks, per experiment: every shard has the same resolved configuration hash
/// (`run.resolved_config_hash`: file text, mode, seed and trials per arm) and the same shard
/// count N; each K of 0 … N − 1 occurs exactly once; every shard is `finished` and holds all its
/// trials. Shards built from different git commits are merged with a warning.
public struct ShardMerge: Sendable {
    /// One sharded run found in a source file.
    public struct Shard: Sendable, Hashable {
        /// The source file.
        public var path: String
        /// The run's id in that file.
        public var runID: Int64
        /// The experiment's name.
        public var experiment: String
        /// The run seed.
        public var seed: UInt64
        /// Live or simulated.
        public var mode: RunMode
        /// Trials per arm of the whole run (the shard holds its part of them).
        public var trialsPerArm: Int
        /// `run.resolved_config_hash` (16 hex digits).
        public var resolvedConfigHash: String
        /// K/N.
        public var shard: RunShard
        /// The run's status; only `finished` shards merge.
        public var status: RunStatus
        /// The git commit the shard was built from, if recorded.
        public var gitSHA: String?
        /// Whether that working tree had changes, if recorded.
        public var gitDirty: Bool?
        /// Trials stored, all arms.
        public var storedTrials: Int
        /// Arms of the run.
        public var arms: Int

        /// `K/N in FILE (run ID)`, for messages.
        public var label: String { "shard \(shard) in \(path) (run \(runID))" }
        /// The commit, `unknown` when not recorded, with `+dirty` for a modified working tree.
        var commit: String { (gitSHA ?? "unknown") + (gitDirty == true ? "+dirty" : "") }
    }

    /// The shards of one merged run, ordered by K.
    public struct Group: Sendable, Hashable {
        /// The experiment's name.
        public var experiment: String
        /// The run seed shared by the shards.
        public var seed: UInt64
        /// The resolved configuration hash shared by the shards.
        public var resolvedConfigHash: String
        /// Shards 0/N … (N − 1)/N, in that order once checked.
        public var shards: [Shard]
    }

    /// The runs to write, one per group.
    public let groups: [Group]
    /// Things the user should know (e.g. shards built from different commits), for stderr.
    public let warnings: [String]

    /// Reads the sharded runs of `sources` and checks them; unsharded runs in the files are
    /// ignored.
    /// - Parameter sources: the shard files (at least one).
    /// - Returns: the groups to merge and any warnings.
    /// - Throws: `TraceStoreError.mergeRefused` naming the file, run and shard at fault and the
    ///   fix: a file that is missing or not a PollLab database, no sharded run at all, shards of
    ///   one experiment with different resolved configuration hashes (both hashes named),
    ///   different N, a duplicate or missing K, an unfinished or incomplete shard.
    public static func plan(sources: [String]) throws -> ShardMerge {
        guard !sources.isEmpty else { throw TraceStoreError.mergeRefused("give at least one shard file to merge") }
        var shards: [Shard] = []
        for path in sources {
            shards += try readShards(path: path)
        }
        guard !shards.isEmpty else {
            throw TraceStoreError.mergeRefused(
                "\(sources.joined(separator: ", ")) hold no sharded run; run the shards with `experiment run NAME --shard K/N`")
        }
        var groups: [Group] = []
        var warnings: [String] = []
        for experiment in Set(shards.map(\.experiment)).sorted() {
            let ofExperiment = shards.filter { $0.experiment == experiment }
            let keys = Dictionary(grouping: ofExperiment) { GroupKey(seed: $0.seed, hash: $0.resolvedConfigHash) }
            let candidates = keys.map { key, shards in
                Group(experiment: experiment, seed: key.seed, resolvedConfigHash: key.hash,
                      shards: shards.sorted { ($0.shard, $0.path, $0.runID) < ($1.shard, $1.path, $1.runID) })
            }.sorted { ($0.seed, $0.resolvedConfigHash) < ($1.seed, $1.resolvedConfigHash) }
            if candidates.count > 1, candidates.contains(where: { !isComplete($0) }) {
                throw mismatch(experiment: experiment, candidates)
            }
            for group in candidates {
                try check(group)
                groups.append(group)
                if let warning = commitWarning(group) { warnings.append(warning) }
            }
        }
        return ShardMerge(groups: groups, warnings: warnings)
    }

    private struct GroupKey: Hashable {
        var seed: UInt64
        var hash: String
    }

    /// Whether a group has each K of 0 … N − 1 exactly once, with one N.
    private static func isComplete(_ group: Group) -> Bool {
        guard let count = group.shards.first?.shard.count,
              group.shards.allSatisfy({ $0.shard.count == count }) else { return false }
        return group.shards.map(\.shard.index) == Array(0..<count)
    }

    /// The refusal for shards of one experiment whose resolved configurations differ.
    private static func mismatch(experiment: String, _ candidates: [Group]) -> TraceStoreError {
        let parts = candidates.map { group -> String in
            let first = group.shards[0]
            let shards = group.shards.map { "\($0.shard) in \($0.path)" }.joined(separator: ", ")
            return "resolved config hash \(group.resolvedConfigHash) (seed \(group.seed), \(first.trialsPerArm) trials "
                + "per arm, \(first.mode.rawValue): shard\(group.shards.count == 1 ? "" : "s") \(shards))"
        }
        return .mergeRefused(
            "the shards of experiment \(experiment) were not run with one configuration: "
                + parts.joined(separator: " vs ") + "; run every shard from the same experiment file with the same "
                + "--seed, --trials and --simulate, and merge only those")
    }

    /// Refuses a group with mixed N, a duplicate or missing K, or an unfinished or incomplete shard.
    private static func check(_ group: Group) throws {
        let name = "experiment \(group.experiment) (seed \(group.seed), resolved config hash \(group.resolvedConfigHash))"
        let counts = Set(group.shards.map(\.shard.count))
        if counts.count > 1 {
            let list = group.shards.map(\.label).joined(separator: ", ")
            throw TraceStoreError.mergeRefused(
                "the shards of \(name) split the run into different numbers of shards (\(list)); merge shards of one N")
        }
        let count = group.shards[0].shard.count
        for index in 0..<count {
            let same = group.shards.filter { $0.shard.index == index }
            if same.count > 1 {
                throw TraceStoreError.mergeRefused(
                    "duplicate shard \(index)/\(count) of \(name): \(same.map(\.label).joined(separator: " and ")); "
                        + "pass each shard once")
            }
        }
        let present = Set(group.shards.map(\.shard.index))
        let missing = (0..<count).filter { !present.contains($0) }
        if !missing.isEmpty {
            throw TraceStoreError.mergeRefused(
                "missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) "
                    + "of \(name) (given: \(group.shards.map(\.label).joined(separator: ", "))); pass the files of every shard")
        }
        for shard in group.shards {
            guard shard.status == .finished else {
                throw TraceStoreError.mergeRefused(
                    "\(shard.label) of \(name) is \(shard.status.rawValue), not finished; finish it with "
                        + "`experiment resume \(shard.runID) --db \(shard.path)` before merging")
            }
            let expected = shard.shard.trialCount(of: shard.trialsPerArm) * shard.arms
            guard shard.storedTrials == expected else {
                throw TraceStoreError.mergeRefused(
                    "\(shard.label) of \(name) holds \(shard.storedTrials) trials, not the \(expected) of its shard; "
                        + "resume it (`experiment resume \(shard.runID) --db \(shard.path)`) or run it again")
            }
        }
    }

    /// The warning for a group whose shards were built from different commits, if they were.
    private static func commitWarning(_ group: Group) -> String? {
        guard Set(group.shards.map(\.commit)).count > 1 else { return nil }
        let list = group.shards.map { "\($0.shard) \($0.commit)" }.joined(separator: ", ")
        return "the shards of experiment \(group.experiment) (seed \(group.seed)) were built from different commits "
            + "(\(list)); the merged run records \(group.shards[0].commit)"
    }

    /// The sharded runs stored in one file.
    /// - Throws: `TraceStoreError.mergeRefused` when the file is missing or not a current PollLab
    ///   database.
    private static func readShards(path: String) throws -> [Shard] {
        let database: TraceDatabase
        do {
            database = try TraceDatabase.openReadOnly(path: path)
        } catch let error as TraceStoreError {
            switch error {
            case .notFound:
                throw TraceStoreError.mergeRefused("no shard file at \(path); check the path")
            default:
                throw TraceStoreError.mergeRefused(
                    "\(path) is not a PollLab database written by this version (\(error)); pass the files that "
                        + "`experiment run --shard K/N --db FILE` wrote")
            }
        }
        defer { try? database.close() }
        do {
            return try database.reader.read { db in
                try ShardRow.fetchAll(db).map { row in
                    Shard(path: path, runID: row.id, experiment: row.name, seed: UInt64(row.seed) ?? 0,
                          mode: RunMode(rawValue: row.mode) ?? .live, trialsPerArm: row.trialsPerArm,
                          resolvedConfigHash: row.resolvedConfigHash ?? "none",
                          shard: try RunShard(index: row.shardIndex, count: row.shardCount),
                          status: RunStatus(rawValue: row.status) ?? .failed, gitSHA: row.gitSHA,
                          gitDirty: row.gitDirty, storedTrials: row.trials, arms: row.arms)
                }
            }
        } catch {
            throw TraceStoreError.mergeRefused("cannot read the runs of \(path): \(TraceDatabase.reason(error))")
        }
    }
}

/// A sharded `run` row with its experiment's name and its counts of arms and trials.
struct ShardRow: Decodable, FetchableRecord {
    var id: Int64
    var name: String
    var status: String
    var mode: String
    var seed: String
    var trialsPerArm: Int
    var resolvedConfigHash: String?
    var shardIndex: Int
    var shardCount: Int
    var gitSHA: String?
    var gitDirty: Bool?
    var arms: Int
    var trials: Int
    enum CodingKeys: String, CodingKey {
        case id, name, status, mode, seed, arms, trials
        case trialsPerArm = "trials_per_arm", resolvedConfigHash = "resolved_config_hash"
        case shardIndex = "shard_index", shardCount = "shard_count", gitSHA = "git_sha", gitDirty = "git_dirty"
    }

    static func fetchAll(_ db: Database) throws -> [ShardRow] {
        try SQLRequest<ShardRow>(literal: """
            SELECT r.id, e.name, r.status, r.mode, r.seed, r.trials_per_arm, r.resolved_config_hash,
                   r.shard_index, r.shard_count, r.git_sha, r.git_dirty,
                   (SELECT count(*) FROM arm a WHERE a.run_id = r.id) AS arms,
                   (SELECT count(*) FROM trial t JOIN arm a ON a.id = t.arm_id WHERE a.run_id = r.id) AS trials
            FROM run r JOIN experiment e ON e.id = r.experiment_id
            WHERE r.shard_count IS NOT NULL ORDER BY r.id
            """).fetchAll(db)
    }
}
