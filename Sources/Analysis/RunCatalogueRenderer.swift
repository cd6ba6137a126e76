import Foundation

/// Renders the run catalogue as a text table, CSV or JSON (`analyze runs --format`).
public enum RunCatalogueRenderer {
    /// The column titles of the table and the CSV header, in order.
    public static let columns = [
        "run", "experiment", "status", "mode", "seed", "arms", "trials", "started", "wall_s", "git", "tags", "note",
    ]

    /// The catalogue in `format`, ending with a newline.
    /// - Parameters:
    ///   - catalogue: the runs.
    ///   - format: `.table` (aligned columns, `(no runs match)` when empty), `.csv` (header + one
    ///     record per run, RFC 4180) or `.json` (an array of objects with sorted keys).
    public static func render(_ catalogue: RunCatalogue, format: SummaryFormat) -> String {
        switch format {
        case .table:
            guard !catalogue.entries.isEmpty else { return "(no runs match)\n" }
            let left: Set<String> = ["experiment", "status", "mode", "started", "git", "tags", "note"]
            let table = TextTable(
                columns: columns.map { TextTable.Column($0, left.contains($0) ? .left : .right) },
                rows: catalogue.entries.map { cells($0, forTable: true) })
            return table.render() + "\n"
        case .csv:
            return CSV.record(columns) + catalogue.entries.map { CSV.record(cells($0, forTable: false)) }.joined()
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            // Strings, integers, booleans and finite or nil numbers only: encoding cannot fail.
            guard let data = try? encoder.encode(catalogue) else {
                preconditionFailure("RunCatalogue is always encodable")
            }
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    /// One run's cells. In the table a note is cut to its first line and 40 characters and the
    /// commit to 12 hex digits; CSV keeps them whole. `git` is the sha with `+dirty` appended
    /// when the tree had changes, `-` when unknown.
    static func cells(_ entry: RunCatalogue.Entry, forTable: Bool) -> [String] {
        var git = entry.gitSHA.map { forTable ? String($0.prefix(12)) : $0 } ?? "-"
        if entry.gitDirty == true { git += "+dirty" }
        var note = entry.note ?? ""
        if forTable {
            note = String(note.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            if note.count > 40 { note = String(note.prefix(37)) + "..." }
        }
        return [
            String(entry.runID), entry.experiment, entry.status, entry.mode, entry.seed, String(entry.arms),
            String(entry.trials), entry.startedAt, entry.wallSeconds.map { String(format: "%.3f", $0) } ?? "",
            git, entry.tagText, note,
        ]
    }
}
