import Foundation
import GRDB
import TraceStore

/// The run catalogue (`analyze runs`): one entry per run with its provenance, size, tags and
/// note, filtered and ordered by run id.
public struct RunCatalogue: Sendable, Hashable, Encodable {
    /// One run as the catalogue lists it.
    public struct Entry: Sendable, Hashable, Encodable {
        /// `run.id`.
        public var runID: Int64
        /// The experiment's name.
        public var experiment: String
        /// `running`, `finished`, `failed` or `interrupted`.
        public var status: String
        /// `live` or `simulated`.
        public var mode: String
        /// The run seed (unsigned 64-bit, decimal text).
        public var seed: String
        /// Number of arms.
        public var arms: Int
        /// Trials stored (all arms, any outcome).
        public var trials: Int
        /// Wall-clock start, RFC 3339 UTC.
        public var startedAt: String
        /// Run length on the monotonic clock, in seconds; `nil` until the run ends.
        public var wallSeconds: Double?
        /// Git commit, `nil` when unknown.
        public var gitSHA: String?
        /// Uncommitted changes when the run started, `nil` when unknown.
        public var gitDirty: Bool?
        /// Tags, key → value.
        public var tags: [String: String]
        /// The note, `nil` when none.
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", experiment, status, mode, seed, arms, trials, startedAt = "started_at"
            case wallSeconds = "wall_s", gitSHA = "git_sha", gitDirty = "git_dirty", tags, note
        }

        /// `key=value` pairs sorted by key, joined by `, ` (the table and CSV form).
        public var tagText: String {
            tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        }

        /// Every key present (`null` when undefined); tags as an object key → value.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(runID, forKey: .runID)
            try c.encode(experiment, forKey: .experiment)
            try c.encode(status, forKey: .status)
            try c.encode(mode, forKey: .mode)
            try c.encode(seed, forKey: .seed)
            try c.encode(arms, forKey: .arms)
            try c.encode(trials, forKey: .trials)
            try c.encode(startedAt, forKey: .startedAt)
            try c.encode(wallSeconds, forKey: .wallSeconds)
            try c.encode(gitSHA, forKey: .gitSHA)
            try c.encode(gitDirty, forKey: .gitDirty)
            try c.encode(tags, forKey: .tags)
            try c.encode(note, forKey: .note)
        }
    }

    /// Which runs to list; every filter given must hold (AND).
    public struct Filter: Sendable, Hashable {
        /// Only runs of this experiment.
        public var experiment: String?
        /// Only runs with this status.
        public var status: String?
        /// Only runs in this mode.
        public var mode: String?
        /// Only runs carrying every one of these tags (key and value equal).
        public var tags: [RunTag]
        /// Only runs started at or after this instant.
        public var since: Date?

        /// Creates a filter; the default lists every run.
        public init(experiment: String? = nil, status: String? = nil, mode: String? = nil,
                    tags: [RunTag] = [], since: Date? = nil) {
            self.experiment = experiment
            self.status = status
            self.mode = mode
            self.tags = tags
            self.since = since
        }
    }

    /// The runs listed, ascending by id.
    public var entries: [Entry]

    /// Creates a catalogue (tests and renderers).
    public init(entries: [Entry]) {
        self.entries = entries
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(entries)
    }

    /// Parses `--since`: a date `YYYY-MM-DD` (midnight UTC) or an RFC 3339 instant
    /// (`2026-12-06T02:00:00Z`, fractional seconds and offsets allowed).
    /// - Throws: `AnalysisError.invalidField("--since", …)` naming the accepted forms.
    public static func parseSince(_ text: String) throws -> Date {
        if let date = try? Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().parse(text) {
            return date
        }
        for style in [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()] {
            if let date = try? style.parse(text) { return date }
        }
        throw AnalysisError.invalidField(
            "--since", "expected a date like 2026-12-06 or an RFC 3339 instant like 2026-12-06T02:00:00Z, got \"\(text)\"")
    }

    /// Reads the catalogue.
    /// - Parameters:
    ///   - reader: a results database.
    ///   - filter: which runs to list.
    /// - Returns: the matching runs, ascending by id (possibly none).
    /// - Throws: `AnalysisError.notAResultsDatabase`, `.invalidField` for a status or mode that
    ///   does not exist (naming the allowed values), `.database`.
    public static func load(from reader: any DatabaseReader, filter: Filter = .init()) throws -> RunCatalogue {
        if let status = filter.status, !["running", "finished", "failed", "interrupted"].contains(status) {
            throw AnalysisError.invalidField("--status", "\"\(status)\" is not a run status (running, finished, failed, interrupted)")
        }
        if let mode = filter.mode, !["live", "simulated"].contains(mode) {
            throw AnalysisError.invalidField("--mode", "\"\(mode)\" is not a run mode (live, simulated)")
        }
        let name = reader.path
        do {
            return try reader.read { db in
                guard try db.tableExists("run"), try db.tableExists("run_tag") else {
                    throw AnalysisError.notAResultsDatabase(path: name)
                }
                if let experiment = filter.experiment,
                   try Bool.fetchOne(db, sql: "SELECT 1 FROM experiment WHERE name = ?", arguments: [experiment]) == nil {
                    let known = try String.fetchAll(db, sql: "SELECT name FROM experiment ORDER BY name")
                    throw AnalysisError.unknownExperiment(name: experiment, known: known)
                }
                return RunCatalogue(entries: try fetch(db, filter: filter))
            }
        } catch let error as DatabaseError {
            throw AnalysisError.database(error.message ?? error.description)
        }
    }

    static func fetch(_ db: Database, filter: Filter) throws -> [Entry] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let experiment = filter.experiment { conditions.append("e.name = ?"); arguments.append(experiment) }
        if let status = filter.status { conditions.append("r.status = ?"); arguments.append(status) }
        if let mode = filter.mode { conditions.append("r.mode = ?"); arguments.append(mode) }
        for tag in filter.tags {
            conditions.append("EXISTS (SELECT 1 FROM run_tag g WHERE g.run_id = r.id AND g.key = ? AND g.value = ?)")
            arguments += [tag.key, tag.value]
        }
        let sql = """
            SELECT r.id, e.name, r.status, r.mode, r.seed, r.started_at, r.wall_ns, r.git_sha, r.git_dirty,
                   (SELECT count(*) FROM arm a WHERE a.run_id = r.id) AS arms,
                   (SELECT count(*) FROM trial t JOIN arm a ON a.id = t.arm_id WHERE a.run_id = r.id) AS trials,
                   (SELECT note FROM run_note n WHERE n.run_id = r.id) AS note
            FROM run r JOIN experiment e ON e.id = r.experiment_id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY r.id
            """
        var tags: [Int64: [String: String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT run_id, key, value FROM run_tag") {
            tags[row[0], default: [:]][row[1]] = row[2]
        }
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).compactMap { row in
            let started: String = row[5]
            if let since = filter.since {
                guard let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(started),
                      date >= since else { return nil }
            }
            let wall: Int64? = row[6]
            return Entry(
                runID: row[0], experiment: row[1], status: row[2], mode: row[3], seed: row[4], arms: row[9],
                trials: row[10], startedAt: started, wallSeconds: wall.map { Double($0) / 1e9 }, gitSHA: row[7],
                gitDirty: (row[8] as Int64?).map { $0 != 0 }, tags: tags[row[0]] ?? [:], note: row[11])
        }
    }
}
