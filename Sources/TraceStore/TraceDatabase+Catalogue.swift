import Foundation
import GRDB

extension TraceDatabase {
    /// Sets tags on a run (an existing key gets the new value). One transaction.
    /// - Parameters:
    ///   - runID: the run.
    ///   - tags: the tags, already validated by `RunTag`.
    /// - Throws: `TraceStoreError.unknownRun` (nothing written), `.readOnly`, `.databaseFailed`.
    public func tagRun(_ runID: Int64, _ tags: [RunTag]) throws {
        try write("tagging run \(runID)") { db in
            try Self.requireRuns(db, [runID])
            for tag in tags {
                try db.execute(
                    sql: """
                        INSERT INTO run_tag (run_id, key, value) VALUES (?, ?, ?)
                        ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
                        """,
                    arguments: [runID, tag.key, tag.value])
            }
        }
    }

    /// Removes tags from a run. One transaction; a key the run does not have is an error and
    /// nothing is removed.
    /// - Parameters:
    ///   - runID: the run.
    ///   - keys: tag keys.
    /// - Throws: `TraceStoreError.unknownRun`, `.invalidArgument` for a key the run lacks (naming
    ///   its tags), `.readOnly`, `.databaseFailed`.
    public func untagRun(_ runID: Int64, keys: [String]) throws {
        try write("untagging run \(runID)") { db in
            try Self.requireRuns(db, [runID])
            let present = Set(try String.fetchAll(db, sql: "SELECT key FROM run_tag WHERE run_id = ?", arguments: [runID]))
            for key in keys where !present.contains(key) {
                let list = present.isEmpty ? "none" : present.sorted().joined(separator: ", ")
                throw TraceStoreError.invalidArgument(
                    field: "tag key '\(key)'", message: "run \(runID) has no such tag (its tags: \(list))")
            }
            for key in keys {
                try db.execute(sql: "DELETE FROM run_tag WHERE run_id = ? AND key = ?", arguments: [runID, key])
            }
        }
    }

    /// Sets (replaces) a run's note; an empty text removes it.
    /// - Parameters:
    ///   - runID: the run.
    ///   - text: the note, at most 10 000 characters.
    /// - Throws: `TraceStoreError.unknownRun`, `.invalidArgument` for a note too long,
    ///   `.readOnly`, `.databaseFailed`.
    public func noteRun(_ runID: Int64, _ text: String) throws {
        guard text.count <= 10_000 else {
            throw TraceStoreError.invalidArgument(field: "note", message: "is \(text.count) characters; keep it to 10000")
        }
        let now = Timestamp.format(wallClock())
        try write("noting run \(runID)") { db in
            try Self.requireRuns(db, [runID])
            if text.isEmpty {
                try db.execute(sql: "DELETE FROM run_note WHERE run_id = ?", arguments: [runID])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO run_note (run_id, note, noted_at) VALUES (?, ?, ?)
                        ON CONFLICT (run_id) DO UPDATE SET note = excluded.note, noted_at = excluded.noted_at
                        """,
                    arguments: [runID, text, now])
            }
        }
    }

    /// Deletes runs and every row that depends on them (arms, trials, calls, tags, notes, and
    /// any row of a later table that references one of these by foreign key), in one
    /// transaction: either all the runs go or none. Experiments stay, even without runs.
    ///
    /// The dependent tables are found from the schema (`pragma_foreign_key_list`), so a table
    /// added by a later migration is covered without changing this function.
    /// - Parameter runIDs: the runs; all must exist.
    /// - Returns: the number of rows deleted per table, for tables that lost rows.
    /// - Throws: `TraceStoreError.unknownRun` for the first unknown id (nothing deleted),
    ///   `.readOnly`, `.databaseFailed`.
    @discardableResult
    public func deleteRuns(_ runIDs: [Int64]) throws -> [String: Int] {
        try write("deleting runs") { db in
            try Self.requireRuns(db, runIDs)
            let children = try Self.foreignKeyChildren(db)
            var deleted: [String: Int] = [:]
            let ids = runIDs.map(String.init).joined(separator: ", ")
            try Self.deleteRows(db, table: "run", column: "id", keys: ids, children: children, deleted: &deleted)
            return deleted
        }
    }

    /// Makes the file as small as its rows: `VACUUM`, then a WAL checkpoint that truncates the
    /// `-wal` file to zero bytes (`PRAGMA wal_checkpoint(TRUNCATE)`). Needs no other connection
    /// to be reading at that moment for the truncation to take effect.
    /// - Throws: `.readOnly`, `.databaseFailed`.
    public func vacuum() throws {
        guard !isReadOnly else { throw TraceStoreError.readOnly(path: path) }
        do {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw TraceStoreError.databaseFailed(operation: "vacuuming \(path)", reason: Self.reason(error))
        }
    }

    /// Bytes on disk of the database: the main file plus its `-wal` file (0 when absent).
    public var fileBytes: Int64 {
        [path, path + "-wal"].reduce(0) { sum, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
            return sum + (size ?? 0)
        }
    }

    /// Throws `unknownRun` for the first id with no run.
    static func requireRuns(_ db: Database, _ runIDs: [Int64]) throws {
        for id in runIDs where try Bool.fetchOne(db, sql: "SELECT 1 FROM run WHERE id = ?", arguments: [id]) == nil {
            throw TraceStoreError.unknownRun(id)
        }
    }

    /// A foreign key column: from `table.column` to `parentColumn` of its parent.
    struct ReferencingColumn {
        var table: String
        var column: String
        var parentColumn: String
    }

    /// Parent table → the foreign keys that reference it, from the schema.
    static func foreignKeyChildren(_ db: Database) throws -> [String: [ReferencingColumn]] {
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        var children: [String: [ReferencingColumn]] = [:]
        for table in tables {
            let rows = try Row.fetchAll(
                db, sql: "SELECT \"table\" AS parent, \"from\" AS child_column, \"to\" AS parent_column FROM pragma_foreign_key_list(?)",
                arguments: [table])
            for row in rows {
                let parent: String = row["parent"]
                let parentColumn: String? = row["parent_column"]
                children[parent, default: []].append(
                    ReferencingColumn(table: table, column: row["child_column"], parentColumn: parentColumn ?? "rowid"))
            }
        }
        return children
    }

    /// Deletes the rows of `table` whose `column` is in the SQL list or subquery `keys`, after
    /// deleting (recursively) the rows that reference them.
    private static func deleteRows(_ db: Database, table: String, column: String, keys: String,
                                   children: [String: [ReferencingColumn]], deleted: inout [String: Int]) throws {
        for child in children[table] ?? [] {
            let parentKeys = "SELECT \(child.parentColumn.quotedDatabaseIdentifier) FROM \(table.quotedDatabaseIdentifier) WHERE \(column.quotedDatabaseIdentifier) IN (\(keys))"
            try deleteRows(db, table: child.table, column: child.column, keys: parentKeys, children: children, deleted: &deleted)
        }
        try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier) WHERE \(column.quotedDatabaseIdentifier) IN (\(keys))")
        if db.changesCount > 0 { deleted[table, default: 0] += db.changesCount }
    }
}
