import GRDB

extension Schema {
    /// Migration `v5-server-load`: the table `server_load`, the embedded mock server's counts of
    /// status requests per 100 ms bucket of arrival (`LoadCounts`), one row per non-empty bucket
    /// of a live run. `bucket` `i` covers `[i · 100 ms, (i + 1) · 100 ms)` from the run's start.
    static func createServerLoad(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE server_load (
                run_id INTEGER NOT NULL REFERENCES run(id),
                bucket INTEGER NOT NULL CHECK (bucket >= 0),   -- 100 ms buckets from the run's start
                served INTEGER NOT NULL,                       -- status requests served (queued included)
                queued INTEGER NOT NULL,                       -- of those, waited for a slot
                rate_limited INTEGER NOT NULL,                 -- refused 429 (token bucket empty)
                overloaded INTEGER NOT NULL,                   -- refused 503 (slots busy, queue full)
                PRIMARY KEY (run_id, bucket)
            ) STRICT, WITHOUT ROWID;
            """)
    }
}
