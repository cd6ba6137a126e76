import GRDB
import GRDBSQLite
import PollingCore

/// The hot insert path: writes a batch of trials (each trial row with all its call rows) with
/// prepared statements cached on the connection and reused across rows.
///
/// Trial rows are inserted one at a time (each needs its new `trial.id`); call rows go in
/// multi-row `INSERT … VALUES (…), (…), …` statements of `callsPerStatement` rows that may span
/// trials, and the last few of a batch one at a time. A trial's row is always inserted before
/// any statement that holds its calls runs, so the foreign key holds at every step. Fewer
/// statement executions make inserts about 1.2–1.6× faster (docs/performance.md).
///
/// Values are bound with the raw SQLite C API on GRDB's statement handles
/// (`Statement.sqliteStatement`) instead of `Statement.execute(arguments:)`: building
/// `StatementArguments` per row costs about a third of the insert speed (measured: ~69 % of raw
/// SQLite with GRDB arguments, close to 100 % with raw binding; see REFERENCE.md "Measured
/// figures"). The statements are left reset with cleared bindings, as GRDB expects.
enum TrialInserter {
    static let trialSQL = """
        INSERT INTO trial (arm_id, trial_index, job_id, job_seed, planned_duration_ns, start_ns, done_ns,
                           detect_ns, end_ns, outcome, tries, error_code)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    /// Call rows per multi-row statement (9 parameters each, far below SQLite's limit of 32 766).
    static let callsPerStatement = 32
    static let callSQL = callInsert(rows: 1)
    static let callChunkSQL = callInsert(rows: callsPerStatement)

    /// `INSERT INTO api_call … VALUES` with `rows` rows of 9 parameters.
    static func callInsert(rows: Int) -> String {
        "INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns, http_status, result, error_code, "
            + "retry_after_ns) VALUES "
            + repeatElement("(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// `SQLITE_TRANSIENT`: SQLite copies bound text before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Inserts `trials` in the current transaction.
    /// - Parameters:
    ///   - trials: the trials; every arm name must be in `armIDs`.
    ///   - armIDs: arm name → `arm.id`.
    ///   - db: a connection inside a write transaction.
    /// - Throws: `TraceStoreError.unknownArm`, or a GRDB `DatabaseError` for a failed insert
    ///   (constraint violation, I/O error).
    static func insert(_ trials: [TrialRecord], armIDs: [String: Int64], in db: Database) throws {
        let trialHandle = try db.cachedStatement(sql: trialSQL).sqliteStatement
        let callHandle = try db.cachedStatement(sql: callSQL).sqliteStatement
        let chunkHandle = try db.cachedStatement(sql: callChunkSQL).sqliteStatement
        let connection = db.sqliteConnection
        defer {
            for handle in [trialHandle, callHandle, chunkHandle] {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
        }
        // Calls bound into the chunk statement but not yet inserted: (trial id, trial, call).
        var queued: [(trialID: Int64, trial: Int, call: Int)] = []
        queued.reserveCapacity(callsPerStatement)
        for (trialPosition, trial) in trials.enumerated() {
            guard let armID = armIDs[trial.arm] else {
                throw TraceStoreError.unknownArm(trial.arm, known: armIDs.keys.sorted())
            }
            bind(trialHandle, 1, armID)
            bind(trialHandle, 2, Int64(trial.trialIndex))
            bind(trialHandle, 3, trial.jobID)
            bind(trialHandle, 4, String(trial.jobSeed))
            bind(trialHandle, 5, trial.plannedDurationNanos)
            bind(trialHandle, 6, trial.startNanos)
            bind(trialHandle, 7, trial.doneNanos)
            bind(trialHandle, 8, trial.detectNanos)
            bind(trialHandle, 9, trial.endNanos)
            bindStatic(trialHandle, 10, SQLiteText.text(trial.outcome))
            bind(trialHandle, 11, Int64(trial.tries))
            bind(trialHandle, 12, trial.errorCode)
            try step(trialHandle, sql: trialSQL, db: db)
            let trialID = sqlite3_last_insert_rowid(connection)
            for callPosition in trial.calls.indices {
                queued.append((trialID, trialPosition, callPosition))
                if queued.count == callsPerStatement {
                    for (slot, entry) in queued.enumerated() {
                        bind(chunkHandle, CInt(slot * 9), trialID: entry.trialID, trials[entry.trial].calls[entry.call])
                    }
                    try step(chunkHandle, sql: callChunkSQL, db: db)
                    queued.removeAll(keepingCapacity: true)
                }
            }
        }
        for entry in queued {
            bind(callHandle, 0, trialID: entry.trialID, trials[entry.trial].calls[entry.call])
            try step(callHandle, sql: callSQL, db: db)
        }
    }

    /// Binds one call row to parameters `offset + 1 … offset + 9`.
    private static func bind(_ handle: SQLiteStatement, _ offset: CInt, trialID: Int64, _ call: CallRecord) {
        bind(handle, offset + 1, trialID)
        bind(handle, offset + 2, Int64(call.sequence))
        bindStatic(handle, offset + 3, SQLiteText.text(call.kind))
        bind(handle, offset + 4, call.sentNanos)
        bind(handle, offset + 5, call.receivedNanos)
        bind(handle, offset + 6, call.httpStatus.map(Int64.init))
        bindStatic(handle, offset + 7, call.result.map { SQLiteText.text($0) })
        bind(handle, offset + 8, call.errorCode)
        bind(handle, offset + 9, call.retryAfterNanos)
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
