import GRDB
import GRDBSQLite
import PollingCore

/// The hot insert path: writes a batch of trials (each trial row with all its call rows) with
/// prepared statements cached on the connection and reused across rows.
///
/// Rows go in multi-row `INSERT … VALUES (…), (…), …` statements of `rowsPerStatement` rows
/// (the last few of a batch one at a time): first every trial row of the batch, then every call
/// row, so a trial's row exists before any of its calls and the foreign key holds at every step.
/// The trial ids are assigned here, as SQLite itself would (`max(id) + 1`, counting up): GRDB
/// runs writes in `BEGIN IMMEDIATE` transactions, so no other connection can insert a trial
/// before this one commits. Fewer statement executions make inserts about 1.2–1.6× faster
/// (docs/performance.md).
///
/// Values are bound with the raw SQLite C API on GRDB's statement handles
/// (`Statement.sqliteStatement`) instead of `Statement.execute(arguments:)`: building
/// `StatementArguments` per row costs about a third of the insert speed (measured: ~69 % of raw
/// SQLite with GRDB arguments, close to 100 % with raw binding; see REFERENCE.md "Measured
/// figures"). The statements are left reset with cleared bindings, as GRDB expects.
enum TrialInserter {
    /// Rows per multi-row statement (at most 14 parameters each: far below SQLite's limit of
    /// 32 766).
    static let rowsPerStatement = 32
    static let trialSQL = insert(into: "trial", columns: trialColumns, rows: 1)
    static let trialChunkSQL = insert(into: "trial", columns: trialColumns, rows: rowsPerStatement)
    static let callSQL = insert(into: "api_call", columns: callColumns, rows: 1)
    static let callChunkSQL = insert(into: "api_call", columns: callColumns, rows: rowsPerStatement)

    private static let trialColumns = ["id", "arm_id", "trial_index", "job_id", "job_seed", "planned_duration_ns",
                                       "start_ns", "done_ns", "detect_ns", "end_ns", "outcome", "tries", "error_code", "wait_ns"]
    private static let callColumns = ["trial_id", "seq", "kind", "sent_ns", "received_ns", "http_status", "result",
                                      "error_code", "retry_after_ns", "asked_ns", "stale_retries"]

    /// `INSERT INTO table (columns) VALUES` with `rows` rows of parameters.
    private static func insert(into table: String, columns: [String], rows: Int) -> String {
        let row = "(" + repeatElement("?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + repeatElement(row, count: rows).joined(separator: ", ")
    }

    /// `SQLITE_TRANSIENT`: SQLite copies bound text before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Inserts `trials` in the current transaction.
    /// - Parameters:
    ///   - trials: the trials; every arm name must be in `armIDs`.
    ///   - armIDs: arm name → `arm.id`.
    ///   - db: a connection inside a write transaction opened with `BEGIN IMMEDIATE` (GRDB's
    ///     `write`).
    /// - Throws: `TraceStoreError.unknownArm`, or a GRDB `DatabaseError` for a failed insert
    ///   (constraint violation, I/O error).
    static func insert(_ trials: [TrialRecord], armIDs: [String: Int64], in db: Database) throws {
        let armIDOfTrial = try trials.map { trial in
            guard let armID = armIDs[trial.arm] else {
                throw TraceStoreError.unknownArm(trial.arm, known: armIDs.keys.sorted())
            }
            return armID
        }
        let firstID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM trial") ?? 0) + 1
        try insertRows(count: trials.count, columns: trialColumns.count, single: trialSQL, chunk: trialChunkSQL,
                       in: db) { handle, offset, row in
            let trial = trials[row]
            bind(handle, offset + 1, firstID + Int64(row))
            bind(handle, offset + 2, armIDOfTrial[row])
            bind(handle, offset + 3, Int64(trial.trialIndex))
            bind(handle, offset + 4, trial.jobID)
            bind(handle, offset + 5, String(trial.jobSeed))
            bind(handle, offset + 6, trial.plannedDurationNanos)
            bind(handle, offset + 7, trial.startNanos)
            bind(handle, offset + 8, trial.doneNanos)
            bind(handle, offset + 9, trial.detectNanos)
            bind(handle, offset + 10, trial.endNanos)
            bindStatic(handle, offset + 11, SQLiteText.text(trial.outcome))
            bind(handle, offset + 12, Int64(trial.tries))
            bind(handle, offset + 13, trial.errorCode)
            bind(handle, offset + 14, trial.waitNanos)
        }
        // Every call of the batch in order: (trial position, call position).
        var calls: [(trial: Int, call: Int)] = []
        calls.reserveCapacity(trials.reduce(0) { $0 + $1.calls.count })
        for (trialPosition, trial) in trials.enumerated() {
            for callPosition in trial.calls.indices { calls.append((trialPosition, callPosition)) }
        }
        try insertRows(count: calls.count, columns: callColumns.count, single: callSQL, chunk: callChunkSQL,
                       in: db) { handle, offset, row in
            let (trialPosition, callPosition) = calls[row]
            let call = trials[trialPosition].calls[callPosition]
            bind(handle, offset + 1, firstID + Int64(trialPosition))
            bind(handle, offset + 2, Int64(call.sequence))
            bindStatic(handle, offset + 3, SQLiteText.text(call.kind))
            bind(handle, offset + 4, call.sentNanos)
            bind(handle, offset + 5, call.receivedNanos)
            bind(handle, offset + 6, call.httpStatus.map(Int64.init))
            bindStatic(handle, offset + 7, call.result.map { SQLiteText.text($0) })
            bind(handle, offset + 8, call.errorCode)
            bind(handle, offset + 9, call.retryAfterNanos)
            bind(handle, offset + 10, call.askedNanos)
            bind(handle, offset + 11, Int64(call.staleRetries))
        }
    }

    /// Inserts `count` rows: `rowsPerStatement` at a time with `chunk`, the rest one at a time
    /// with `single`. `bindRow(handle, offset, row)` binds row `row` to parameters `offset + 1 …`.
    private static func insertRows(count: Int, columns: Int, single: String, chunk: String, in db: Database,
                                   bindRow: (SQLiteStatement, CInt, Int) -> Void) throws {
        let singleHandle = try db.cachedStatement(sql: single).sqliteStatement
        let chunkHandle = try db.cachedStatement(sql: chunk).sqliteStatement
        defer {
            for handle in [singleHandle, chunkHandle] {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
        }
        var row = 0
        while count - row >= rowsPerStatement {
            for slot in 0..<rowsPerStatement { bindRow(chunkHandle, CInt(slot * columns), row + slot) }
            try step(chunkHandle, sql: chunk, db: db)
            row += rowsPerStatement
        }
        while row < count {
            bindRow(singleHandle, 0, row)
            try step(singleHandle, sql: single, db: db)
            row += 1
        }
    }

    /// Runs an insert to completion and resets it for the next row.
    private static func step(_ handle: SQLiteStatement, sql: String, db: Database) throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = db.lastErrorMessage
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
        sqlite3_reset(handle)
    }

    // Binding a valid index of a prepared statement cannot fail except on misuse (a bug),
    // which the following `sqlite3_step` would report.
    private static func bind(_ handle: SQLiteStatement, _ index: CInt, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    private static func bind(_ handle: SQLiteStatement, _ index: CInt, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds text that outlives the statement (`SQLITE_STATIC`: SQLite does not copy it).
    private static func bindStatic(_ handle: SQLiteStatement, _ index: CInt, _ text: UnsafePointer<CChar>?) {
        if let text { sqlite3_bind_text(handle, index, text, -1, nil) } else { sqlite3_bind_null(handle, index) }
    }

    private static func bind(_ handle: SQLiteStatement, _ index: CInt, _ value: String?) {
        if let value {
            sqlite3_bind_text(handle, index, value, -1, transient)
        } else {
            sqlite3_bind_null(handle, index)
        }
    }
}
