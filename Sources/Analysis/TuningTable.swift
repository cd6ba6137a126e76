import GRDB
import TraceStore

/// The recorded tunings (`tuning`, `tuning_family` tables) as text: `analyze tune` and the
/// tuning section of `analyze report`.
public enum TuningTable {
    /// One stored tuning's header line and its families, best first.
    struct Stored {
        var id: Int64
        var header: String
        var records: [TuningFamilyRecord]
    }

    /// The text of `analyze tune`.
    /// - Parameters:
    ///   - reader: a results database.
    ///   - tuningID: a tuning id; default the latest (of `experiment` when given).
    ///   - experiment: restricts to one experiment's tunings.
    ///   - all: list every tuning (one line each) instead of one tuning's families.
    /// - Returns: text ending with a newline.
    /// - Throws: `AnalysisError.invalidField` for an unknown tuning or a database without
    ///   tunings; `.database`.
    public static func render(reader: any DatabaseReader, tuningID: Int64? = nil, experiment: String? = nil,
                              all: Bool = false) throws -> String {
        do {
            return try reader.read { db in
                guard try db.tableExists("tuning") else {
                    throw AnalysisError.invalidField("tuning", "this database has no tuning tables: run `experiment tune NAME` first")
                }
                if all { return try list(db, experiment: experiment) }
                guard let id = try tuningID ?? latest(db, experiment: experiment) else {
                    throw AnalysisError.invalidField(
                        experiment == nil ? "tuning" : "--experiment",
                        "no tuning recorded\(experiment.map { " for experiment \"\($0)\"" } ?? ""): run `experiment tune \(experiment ?? "NAME")` first")
                }
                guard let stored = try fetch(db, id: id) else {
                    throw AnalysisError.invalidField("--tuning", "no tuning with id \(id); `analyze tune --all` lists them")
                }
                return stored.header + "\n\n" + TuningSummary.table(stored.records).render() + "\n"
            }
        } catch let error as DatabaseError {
            throw AnalysisError.database(error.message ?? error.description)
        }
    }

    /// The Markdown section of `analyze report` for the latest tuning of `experiment`, or `""`
    /// when it has none (or the database predates the tuning tables).
    static func markdownSection(_ db: Database, experiment: String) throws -> String {
        guard try db.tableExists("tuning"), let id = try latest(db, experiment: experiment),
              let stored = try fetch(db, id: id) else { return "" }
        return "## Tuning (`experiment tune`)\n\n" + TextEscaping.markdown(stored.header) + "\n\n"
            + ExperimentReport.codeBlock(TuningSummary.table(stored.records).render() + "\n")
    }

    /// The HTML section of `analyze report --format html` for the latest tuning of `experiment`
    /// (escaped with `TextEscaping.html`), or `""` when it has none.
    static func htmlSection(_ db: Database, experiment: String) throws -> String {
        guard try db.tableExists("tuning"), let id = try latest(db, experiment: experiment),
              let stored = try fetch(db, id: id) else { return "" }
        return "<h2>Tuning (experiment tune)</h2>\n<p>\(TextEscaping.html(stored.header))</p>\n<pre>"
            + HTMLReport.preformatted(TuningSummary.table(stored.records).render()) + "</pre>\n"
    }

    static func latest(_ db: Database, experiment: String?) throws -> Int64? {
        if let experiment {
            return try Int64.fetchOne(db, sql: """
                SELECT t.id FROM tuning t JOIN experiment e ON e.id = t.experiment_id WHERE e.name = ? ORDER BY t.id DESC LIMIT 1
                """, arguments: [experiment])
        }
        return try Int64.fetchOne(db, sql: "SELECT max(id) FROM tuning")
    }

    static func fetch(_ db: Database, id: Int64) throws -> Stored? {
        guard let t = try Row.fetchOne(db, sql: """
            SELECT t.*, e.name AS experiment FROM tuning t JOIN experiment e ON e.id = t.experiment_id WHERE t.id = ?
            """, arguments: [id]) else { return nil }
        let objective: String = t["objective"]
        var header = "tuning \(id) of \(t["experiment"] as String) (\(t["created_at"] as String)): objective \(objective)"
        if objective == "slo", let bound = t["slo_p99_delay_s"] as Double? {
            header += ", p99 delay <= \(TuningSummary.n(bound)) s"
        } else {
            header += " at weights (\(TuningSummary.n(t["wi"])), \(TuningSummary.n(t["wj"])))"
        }
        header += "; budget \(t["budget"] as Int) trials, seed \(t["seed"] as String), workload \(t["workload_hash"] as String)"
        if let optimal = t["optimal_score"] as Double? { header += "; optimal score \(TuningSummary.n(optimal))" }
        let records = try Row.fetchAll(db, sql: "SELECT * FROM tuning_family WHERE tuning_id = ? ORDER BY rank", arguments: [id]).map {
            TuningFamilyRecord(rank: $0["rank"], family: $0["family"], strategy: $0["strategy"], parametersJSON: $0["parameters"],
                               score: $0["score"], scoreExact: $0["score_exact"], scoreCILow: $0["score_ci_low"],
                               scoreCIHigh: $0["score_ci_high"], meanCalls: $0["mean_calls"], p99Delay: ($0["p99_delay_s"] as Double?) ?? .infinity,
                               p99DelayUpperBound: $0["p99_delay_ucb_s"], gapToOptimal: $0["gap_to_optimal"],
                               tiedWithBest: $0["tied_with_best"], evaluations: $0["evaluations"])
        }
        return Stored(id: id, header: header, records: records)
    }

    static func list(_ db: Database, experiment: String?) throws -> String {
        var table = TextTable(columns: [.init("tuning"), .init("experiment", .left), .init("created", .left), .init("objective", .left),
                                        .init("budget"), .init("seed", .left), .init("best family", .left), .init("parameters", .left)])
        let rows = try Row.fetchAll(db, sql: """
            SELECT t.id, e.name, t.created_at, t.objective, t.budget, t.seed, f.family, f.parameters
            FROM tuning t JOIN experiment e ON e.id = t.experiment_id
            LEFT JOIN tuning_family f ON f.tuning_id = t.id AND f.rank = 1
            WHERE ? IS NULL OR e.name = ? ORDER BY t.id
            """, arguments: [experiment, experiment])
        for r in rows {
            table.rows.append([String(r[0] as Int64), TextEscaping.oneLine(r[1] as String), r[2], r[3], String(r[4] as Int), r[5],
                               (r[6] as String?) ?? "", TextEscaping.oneLine((r[7] as String?) ?? "")])
        }
        return table.render() + "\n"
    }
}
