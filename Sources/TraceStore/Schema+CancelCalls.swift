import GRDB

extension Schema {
    /// Migration `v3-cancel-calls`: `api_call` accepts the call kind `cancel` (`DELETE /jobs/{id}`,
    /// sent by an arm with `cancel_at_deadline` when it gives up) and the job status `cancelled`
    /// (what that call, or a poll of a job someone cancelled, answers).
    ///
    /// SQLite cannot change a CHECK constraint in place, so the table is rebuilt with the same
    /// columns, key and `WITHOUT ROWID` layout (see `clusterCalls`) and its rows copied. The views
    /// that name `api_call` must not exist while it is swapped, so every view is dropped and then
    /// re-created from its own stored SQL: whatever view definitions earlier migrations left stay
    /// exactly as they were. The views need no change: `trial_calls` counts only `status` calls
    /// (so a `cancel` call is never a try) and treats only `completed` and `error` as detection.
    static func allowCancelCalls(_ db: Database) throws {
        let views = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY rowid")
        for view in views {
            try db.execute(sql: "DROP VIEW \(String(view["name"]).quotedDatabaseIdentifier)")
        }
        try db.execute(sql: """
            CREATE TABLE api_call_v3 (
                trial_id INTEGER NOT NULL REFERENCES trial(id),
                seq INTEGER NOT NULL,
                kind TEXT NOT NULL CHECK (kind = 'create' OR kind = 'status' OR kind = 'cancel'),
                sent_ns INTEGER NOT NULL,
                received_ns INTEGER NOT NULL,
                http_status INTEGER,
                result TEXT CHECK (result = 'pending' OR result = 'completed' OR result = 'error'
                                   OR result = 'cancelled'),
                error_code TEXT,
                retry_after_ns INTEGER,
                PRIMARY KEY (trial_id, seq)
            ) STRICT, WITHOUT ROWID;
            INSERT INTO api_call_v3 (trial_id, seq, kind, sent_ns, received_ns, http_status, result, error_code,
                                     retry_after_ns)
            SELECT trial_id, seq, kind, sent_ns, received_ns, http_status, result, error_code, retry_after_ns
            FROM api_call ORDER BY trial_id, seq;
            DROP TABLE api_call;
            ALTER TABLE api_call_v3 RENAME TO api_call;
            """)
        for view in views {
            try db.execute(sql: String(view["sql"]))
        }
    }
}
