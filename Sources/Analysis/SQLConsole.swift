import Dispatch
import Foundation
import GRDB
import GRDBSQLite

/// Runs ad-hoc read-only SQL (`analyze sql`) and exports tables and views (`analyze export`).
///
/// Statements pass `ReadOnlyGuard` first; a row cap, a byte cap and a time limit bound every
/// query, like Datasette's defaults (1 000 rows, 1 s). The time limit covers the whole query,
/// SQLite's work (interrupted with `sqlite3_interrupt` via GRDB's `interrupt()`) and the reading
/// of rows alike; the byte cap (`maxBytes`, default 1 000 000 bytes of text and blob values,
/// measured with `sqlite3_column_bytes` before a value is copied) bounds what a result may hold
/// and so the time and memory its rendering takes; SQLite's length limit (`SQLITE_LIMIT_LENGTH`)
/// is lowered to the cap (at least 1 MiB) for the query, so `SELECT zeroblob(900000000)` fails at once with
/// `AnalysisError.outputTooLarge` instead of allocating 900 MB.
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
    ///   - maxBytes: cap on the text and blob bytes of the rows kept (≥ 1; default `defaultMaxBytes`).
    /// - Returns: the result.
    /// - Throws: `AnalysisError.writeRefused`, `.timeLimitExceeded`, `.outputTooLarge`, `.database`.
    public static func query(reader: any DatabaseReader, sql: String, maxRows: Int = 1000,
                             timeLimit: Double = 5, maxBytes: Int = defaultMaxBytes) throws -> Result {
        var result = Result(columns: [], rows: [], truncated: false)
        try stream(reader: reader, sql: sql, timeLimit: timeLimit, maxBytes: maxBytes) { columns in
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

    /// The default cap on the text and blob bytes of an `analyze sql` result: 1 000 000.
    public static let defaultMaxBytes = 1_000_000

    /// Runs one read-only statement, handing rows to `row` until it returns `false`.
    /// - Parameters:
    ///   - reader: a read-only reader.
    ///   - sql: one statement.
    ///   - timeLimit: seconds before interruption (of SQLite and of the row loop); `nil` = none.
    ///   - maxBytes: cap on the text and blob bytes handed to `row`, summed over rows; `nil` = none.
    ///   - columns: called once with the column names.
    ///   - row: called per row; return `false` to stop.
    /// - Throws: as `query`.
    public static func stream(reader: any DatabaseReader, sql: String, timeLimit: Double?, maxBytes: Int? = nil,
                              columns: (([String]) -> Void), row: ([DatabaseValue]) throws -> Bool) throws {
        if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite) {
            throw AnalysisError.invalidField("--time-limit", "expects a positive number of seconds, got \(timeLimit)")
        }
        let deadline = timeLimit.map { DispatchTime.now() + $0 }
        let timer = timeLimit.map { limit in
            let item = DispatchWorkItem { reader.interrupt() }
            DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: item)
            return item
        }
        defer { timer?.cancel() }
        do {
            try reader.read { db in
                // No single value may exceed the cap (or 1 MiB, so that the schema's own text still
                // loads) either: SQLite then fails with SQLITE_TOOBIG before allocating it (a
                // zeroblob is expanded when its row is produced).
                let lengthLimit = sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_LENGTH, -1)
                if let maxBytes {
                    let limit = min(max(maxBytes + 1, 1 << 20), Int(lengthLimit))
                    sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_LENGTH, Int32(clamping: limit))
                }
                defer { sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_LENGTH, lengthLimit) }
                let statement = try ReadOnlyGuard.prepare(db, sql: sql)
                columns(statement.columnNames)
                let cursor = try Row.fetchCursor(statement)
                let count = statement.columnCount
                var bytes = 0
                while let next = try cursor.next() {
                    if let deadline, DispatchTime.now() > deadline { throw DatabaseError(resultCode: .SQLITE_INTERRUPT) }
                    if let maxBytes {
                        // Text and blob sizes only: sqlite3_column_bytes would convert a number to
                        // text, and it does not expand a zeroblob.
                        for index in 0..<Int32(count) {
                            let type = sqlite3_column_type(statement.sqliteStatement, index)
                            if type == SQLITE_TEXT || type == SQLITE_BLOB {
                                bytes += Int(sqlite3_column_bytes(statement.sqliteStatement, index))
                            }
                        }
                        if bytes > maxBytes { throw AnalysisError.outputTooLarge(maxBytes: maxBytes) }
                    }
                    if try !row(next.databaseValues.map { $0 }) { break }
                }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_TOOBIG && maxBytes != nil {
            throw AnalysisError.outputTooLarge(maxBytes: maxBytes ?? 0)
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
