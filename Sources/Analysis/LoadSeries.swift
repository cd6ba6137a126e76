import GRDB

/// The calls an arm sent per time bucket (issue 12 item 7): status calls counted by the bucket
/// of their `sent_ns`, bucket `i` covering `[i · width, (i + 1) · width)` from the run's start
/// (the buckets of the server's `server_load` at the default width of 100 ms). The one
/// definition behind `analyze load` and the fleet figures' peak load.
public enum LoadSeries {
    /// The default bucket width: 100 ms, in nanoseconds (`LoadCounts.bucket`).
    public static let defaultBucketNanos: Int64 = 100_000_000

    /// The SQL bucket index of a call: `sent_ns / width` (integer division; `sent_ns` ≥ 0).
    static func bucketSQL(_ bucketNanos: Int64) -> SQL { "c.sent_ns / \(bucketNanos)" }

    /// Status calls per bucket of each arm, one map per arm id.
    /// - Parameters:
    ///   - db: an open connection.
    ///   - armIDs: the arms.
    ///   - bucketNanos: the bucket width in nanoseconds, > 0.
    /// - Returns: for each arm id with calls, bucket index → status calls sent in it.
    /// - Throws: GRDB's `DatabaseError`.
    public static func counts(_ db: Database, armIDs: [Int64], bucketNanos: Int64) throws -> [Int64: [Int64: Int]] {
        let rows = try Row.fetchAll(db, SQLRequest<Row>(literal: """
            SELECT t.arm_id AS arm_id, \(bucketSQL(bucketNanos)) AS bucket, count(*) AS n
            FROM api_call c JOIN trial t ON t.id = c.trial_id
            WHERE t.arm_id IN \(armIDs) AND c.kind = 'status' GROUP BY t.arm_id, bucket
            """))
        var result: [Int64: [Int64: Int]] = [:]
        for row in rows {
            result[row["arm_id"], default: [:]][row["bucket"]] = row["n"]
        }
        return result
    }

    /// The most status calls any one of the arms sent in one bucket.
    /// - Parameters: as `counts`.
    /// - Returns: the peak, or `nil` without status calls.
    /// - Throws: GRDB's `DatabaseError`.
    public static func peak(_ db: Database, armIDs: [Int64], bucketNanos: Int64) throws -> Int? {
        try counts(db, armIDs: armIDs, bucketNanos: bucketNanos).values.flatMap(\.values).max()
    }
}
