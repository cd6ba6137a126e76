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
