import Dispatch
import Foundation
import GRDB

/// Runs ad-hoc read-only SQL (`analyze sql`) and exports tables and views (`analyze export`).
///
/// Statements pass `ReadOnlyGuard` first; a row cap and a time limit bound every query (the
/// limit interrupts SQLite with `sqlite3_interrupt` via GRDB's `interrupt()`), like Datasette's
/// defaults (1 000 rows, 1 s).
public enum SQLConsole {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable {
        case table, csv, json
    }

    /// A query's result.
    public struct Result: Sendable, Hashable {
        /// Column names, in order.
        public var columns: [String]
        /// Rows, at most the cap.
        public var rows: [[DatabaseValue]]
        /// `true` when more rows existed than the cap.
        public var truncated: Bool
    }

    /// Runs one read-only statement.
    /// - Parameters:
    ///   - reader: a reader opened read-only (`TraceDatabase.openReadOnly`).
    ///   - sql: one statement.
    ///   - maxRows: row cap (≥ 1; default 1 000).
    ///   - timeLimit: seconds before the query is interrupted (> 0; default 5).
    /// - Returns: the result.
    /// - Throws: `AnalysisError.writeRefused`, `.timeLimitExceeded`, `.database`.
    public static func query(reader: any DatabaseReader, sql: String, maxRows: Int = 1000,
                             timeLimit: Double = 5) throws -> Result {
        var result = Result(columns: [], rows: [], truncated: false)
        try stream(reader: reader, sql: sql, timeLimit: timeLimit) { columns in
            result.columns = columns
        } row: { values in
            if result.rows.count >= maxRows {
                result.truncated = true
                return false
            }
            result.rows.append(values)
            return true
        }
        return result
    }

    /// Runs one read-only statement, handing rows to `row` until it returns `false`.
    /// - Parameters:
    ///   - reader: a read-only reader.
    ///   - sql: one statement.
    ///   - timeLimit: seconds before interruption; `nil` = none.
    ///   - columns: called once with the column names.
    ///   - row: called per row; return `false` to stop.
    /// - Throws: as `query`.
    public static func stream(reader: any DatabaseReader, sql: String, timeLimit: Double?,
                              columns: (([String]) -> Void), row: ([DatabaseValue]) throws -> Bool) throws {
        if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite) {
            throw AnalysisError.invalidField("--time-limit", "expects a positive number of seconds, got \(timeLimit)")
        }
        let timer = timeLimit.map { limit in
            let item = DispatchWorkItem { reader.interrupt() }
            DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: item)
            return item
        }
        defer { timer?.cancel() }
        do {
            try reader.read { db in
                let statement = try ReadOnlyGuard.prepare(db, sql: sql)
                columns(statement.columnNames)
                let cursor = try Row.fetchCursor(statement)
                while let next = try cursor.next() {
                    if try !row(next.databaseValues.map { $0 }) { break }
                }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw AnalysisError.timeLimitExceeded(seconds: timeLimit ?? 0)
        } catch let error as DatabaseError {
            throw AnalysisError.database(error.message ?? error.description)
        }
    }

    /// The names of the tables and views that `export` accepts, sorted.
    public static func exportableNames(reader: any DatabaseReader) throws -> [String] {
        try reader.read { db in
            try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
        }
    }

    /// Writes every row of a table or view as CSV or JSON.
    /// - Parameters:
    ///   - reader: a read-only reader.
    ///   - name: a table or view name.
    ///   - format: `.csv` or `.json`.
    ///   - write: receives the text in chunks.
    /// - Returns: the number of rows written.
    /// - Throws: `AnalysisError.invalidField` for an unknown name (listing the known ones) or the
    ///   table format; `.database`.
    @discardableResult
    public static func export(reader: any DatabaseReader, name: String, format: Format,
                              write: (String) -> Void) throws -> Int {
        let known = try exportableNames(reader: reader)
        guard known.contains(name) else {
            throw AnalysisError.invalidField("--table", "no table or view named \"\(name)\" (known: \(known.joined(separator: ", ")))")
        }
        guard format != .table else {
            throw AnalysisError.invalidField("--format", "export writes csv or json")
        }
        var names: [String] = []
        var count = 0
        var buffer = ""
        let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try stream(reader: reader, sql: "SELECT * FROM \(quoted)", timeLimit: nil) { columns in
            names = columns
            buffer = format == .csv ? CSV.record(columns) : "["
        } row: { values in
            if format == .csv {
                buffer += CSV.record(values.map(QueryRenderer.csvField))
            } else {
                buffer += (count == 0 ? "\n" : ",\n") + QueryRenderer.jsonObject(names, values)
            }
            count += 1
            if buffer.utf8.count > 1 << 16 {
                write(buffer)
                buffer = ""
            }
            return true
        }
        if format == .json { buffer += count == 0 ? "]\n" : "\n]\n" }
        write(buffer)
        return count
    }
}
