import GRDB
import PollingCore

/// The hot insert path: writes a batch of trials (each trial row with all its call rows) with
/// prepared statements cached on the connection and reused across rows.
enum TrialInserter {
    static let trialSQL = """
        INSERT INTO trial (arm_id, trial_index, job_id, job_seed, planned_duration_ns, start_ns, done_ns,
                           detect_ns, end_ns, outcome, tries, error_code)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let callSQL = """
        INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns, http_status, result, error_code,
                              retry_after_ns)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Inserts `trials` in the current transaction.
    /// - Parameters:
    ///   - trials: the trials; every arm name must be in `armIDs`.
    ///   - armIDs: arm name → `arm.id`.
    ///   - db: a connection inside a write transaction.
    /// - Throws: `TraceStoreError.unknownArm`, or the GRDB error of a failed insert.
    static func insert(_ trials: [TrialRecord], armIDs: [String: Int64], in db: Database) throws {
        let trialStatement = try db.cachedStatement(sql: trialSQL)
        let callStatement = try db.cachedStatement(sql: callSQL)
        for trial in trials {
            guard let armID = armIDs[trial.arm] else {
                throw TraceStoreError.unknownArm(trial.arm, known: Array(armIDs.keys))
            }
            try trialStatement.execute(arguments: [
                armID, trial.trialIndex, trial.jobID, String(trial.jobSeed), trial.plannedDurationNanos,
                trial.startNanos, trial.doneNanos, trial.detectNanos, trial.endNanos, trial.outcome.rawValue,
                trial.tries, trial.errorCode,
            ])
            let trialID = db.lastInsertedRowID
            for call in trial.calls {
                try callStatement.execute(arguments: [
                    trialID, call.sequence, call.kind.rawValue, call.sentNanos, call.receivedNanos,
                    call.httpStatus, call.result?.rawValue, call.errorCode, call.retryAfterNanos,
                ])
            }
        }
    }
}
