import GRDB
import PollingCore

extension TraceDatabase {
    /// Stores a live run's server counts (`server_load`), one row per non-empty 100 ms bucket. A
    /// bucket that already has a row (a resumed run counts again from its own start) gets the new
    /// counts added.
    /// - Parameters:
    ///   - runID: the run.
    ///   - counts: the server's counts, bucket 0 at the run's start.
    /// - Throws: `TraceStoreError.readOnly`, `.databaseFailed` (e.g. an unknown run: foreign key).
    public func recordServerLoad(runID: Int64, counts: LoadCounts) throws {
        try write("recording the server load of run \(runID)") { db in
            let statement = try db.makeStatement(sql: """
                INSERT INTO server_load (run_id, bucket, served, queued, rate_limited, overloaded) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, bucket) DO UPDATE SET served = served + excluded.served,
                    queued = queued + excluded.queued, rate_limited = rate_limited + excluded.rate_limited,
                    overloaded = overloaded + excluded.overloaded
                """)
            for (index, bucket) in counts.buckets.enumerated() where bucket.arrived > 0 {
                try statement.execute(arguments: [runID, index, bucket.served, bucket.queued, bucket.rateLimited,
                                                  bucket.overloaded])
            }
        }
    }
}

extension TraceDatabase {
    /// Stores a live run's push delivery counts (`server_push`), one row per non-empty 100 ms
    /// bucket. A bucket that already has a row (a resumed run counts again from its own start)
    /// gets the new counts added (its peak: the larger).
    /// - Parameters:
    ///   - runID: the run.
    ///   - counts: the server's push counts, bucket 0 at the run's start.
    /// - Throws: `TraceStoreError.readOnly`, `.databaseFailed` (e.g. an unknown run: foreign key).
    public func recordServerPush(runID: Int64, counts: PushCounts) throws {
        try write("recording the push delivery counts of run \(runID)") { db in
            let statement = try db.makeStatement(sql: """
                INSERT INTO server_push (run_id, bucket, sse_opened, sse_resumed, sse_open_peak, sse_connection_ns,
                    callback_attempts, callback_failures, callbacks_abandoned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, bucket) DO UPDATE SET sse_opened = sse_opened + excluded.sse_opened,
                    sse_resumed = sse_resumed + excluded.sse_resumed,
                    sse_open_peak = max(sse_open_peak, excluded.sse_open_peak),
                    sse_connection_ns = sse_connection_ns + excluded.sse_connection_ns,
                    callback_attempts = callback_attempts + excluded.callback_attempts,
                    callback_failures = callback_failures + excluded.callback_failures,
                    callbacks_abandoned = callbacks_abandoned + excluded.callbacks_abandoned
                """)
            for (index, b) in counts.buckets.enumerated() where !b.isEmpty {
                try statement.execute(arguments: [runID, index, b.sseOpened, b.sseResumed, b.sseOpenPeak, b.sseConnectionNanos,
                                                  b.callbackAttempts, b.callbackFailures, b.callbacksAbandoned])
            }
        }
    }
}
