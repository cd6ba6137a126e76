import GRDB

/// The arms of one name across the runs a report covers (one arm when it covers one run).
///
/// Reports that cover several runs of an experiment group arms by name; trials are paired by
/// `(run_id, trial_index)`, which names the same job in every arm of a run.
public struct ArmGroup: Sendable, Hashable {
    /// The arm name.
    public var name: String
    /// The position of the arm in the experiment file (the smallest `arm_index` seen).
    public var index: Int
    /// The strategy kind (of the latest run that has the arm).
    public var strategy: String
    /// `arm.id` of every arm in the group, ascending.
    public var armIDs: [Int64]

    /// Creates a group (tests).
    public init(name: String, index: Int, strategy: String, armIDs: [Int64]) {
        self.name = name
        self.index = index
        self.strategy = strategy
        self.armIDs = armIDs
    }

    /// One `arm` row as the grouping reads it.
    struct ArmRow: Decodable, FetchableRecord {
        var id: Int64
        var armIndex: Int
        var name: String
        var strategy: String
        enum CodingKeys: String, CodingKey { case id, armIndex = "arm_index", name, strategy }
    }

    /// The arm groups of some runs, ordered by arm index then name.
    /// - Parameters:
    ///   - db: an open connection.
    ///   - runIDs: the runs.
    /// - Returns: one group per distinct arm name.
    /// - Throws: GRDB's `DatabaseError`.
    public static func fetchAll(_ db: Database, runIDs: [Int64]) throws -> [ArmGroup] {
        guard !runIDs.isEmpty else { return [] }
        let rows = try SQLRequest<ArmRow>(literal: """
            SELECT id, arm_index, name, strategy FROM arm WHERE run_id IN \(runIDs) ORDER BY id
            """).fetchAll(db)
        var groups: [ArmGroup] = []
        var position: [String: Int] = [:]
        for row in rows {
            if let at = position[row.name] {
                groups[at].armIDs.append(row.id)
                groups[at].index = min(groups[at].index, row.armIndex)
                groups[at].strategy = row.strategy
            } else {
                position[row.name] = groups.count
                groups.append(ArmGroup(name: row.name, index: row.armIndex, strategy: row.strategy, armIDs: [row.id]))
            }
        }
        return groups.sorted { ($0.index, $0.name) < ($1.index, $1.name) }
    }

    /// The group named `name`, or `AnalysisError.unknownArm` listing the known names.
    static func named(_ name: String, in groups: [ArmGroup], runs: [Int64]) throws -> ArmGroup {
        guard let group = groups.first(where: { $0.name == name }) else {
            throw AnalysisError.unknownArm(name: name, runs: runs, known: groups.map(\.name))
        }
        return group
    }
}

/// Resolves which runs a report covers: the selected run, or every run of its experiment.
public enum RunScope {
    /// The run ids covered, ascending.
    /// - Parameters:
    ///   - db: an open connection.
    ///   - selector: the run selector.
    ///   - allRuns: when `true`, every run of the selected run's experiment.
    ///   - databaseName: how errors name the database.
    /// - Returns: the selected run id (the latest covered) and all covered ids.
    /// - Throws: `RunSelector.resolve`'s errors.
    public static func resolve(_ db: Database, selector: RunSelector, allRuns: Bool,
                               databaseName: String? = nil) throws -> (latest: Int64, all: [Int64]) {
        let runID = try selector.resolve(db, databaseName: databaseName)
        guard allRuns else { return (runID, [runID]) }
        let ids = try Int64.fetchAll(db, sql: """
            SELECT id FROM run WHERE experiment_id = (SELECT experiment_id FROM run WHERE id = ?) ORDER BY id
            """, arguments: [runID])
        return (ids.last ?? runID, ids)
    }

    /// Reads on `reader` with the ids of the runs a report covers (see `resolve`), turning
    /// SQLite errors into `AnalysisError.database`.
    /// - Throws: the selection's errors, `body`'s, or `.database`.
    public static func read<T>(_ reader: any DatabaseReader, selector: RunSelector, allRuns: Bool,
                               _ body: (Database, [Int64]) throws -> T) throws -> T {
        let name = reader.path
        do {
            return try reader.read { db in
                try body(db, try resolve(db, selector: selector, allRuns: allRuns, databaseName: name).all)
            }
        } catch let error as DatabaseError {
            throw AnalysisError.database(error.message ?? error.description)
        }
    }
}
