import GRDB

extension Schema {
    /// Migration `v10-server-push`: the table `server_push`, what push delivery cost the embedded
    /// mock server per 100 ms bucket of a live run (`PushCounts`), one row per non-empty bucket.
    /// Beside `server_load`, whose `served` already counts each event-stream subscription as
    /// one status request.
    static func createServerPush(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE server_push (
                run_id INTEGER NOT NULL REFERENCES run(id),
                bucket INTEGER NOT NULL CHECK (bucket >= 0),    -- 100 ms buckets from the run's start
                sse_opened INTEGER NOT NULL,                    -- event streams opened
                sse_resumed INTEGER NOT NULL,                   -- of those, with Last-Event-ID
                sse_open_peak INTEGER NOT NULL,                 -- most streams open at once in the bucket
                sse_connection_ns INTEGER NOT NULL,             -- open time of the streams opened in the bucket
                callback_attempts INTEGER NOT NULL,             -- webhook POSTs started
                callback_failures INTEGER NOT NULL,             -- of those, not answered 2xx in time
                callbacks_abandoned INTEGER NOT NULL,           -- callbacks given up after the last attempt
                PRIMARY KEY (run_id, bucket)
            ) STRICT, WITHOUT ROWID;
            """)
    }
}
