import PollingCore

/// `GET /stats` → 200: the capacity being applied and what the server did with status requests,
/// per 100 ms bucket of arrival since it started (or since the runner's run started).
///
/// `{"bucket_ms": 100, "capacity": {...}, "total": {"served", "queued", "rate_limited",
/// "overloaded"}, "buckets": [{...}, …]}`; bucket `i` covers `[i · 100 ms, (i + 1) · 100 ms)`.
public struct StatsResponse: Codable, Sendable, Hashable {
    public var bucketMs: Int
    public var capacity: ServerCapacity
    public var total: LoadCounts.Bucket
    public var buckets: [LoadCounts.Bucket]

    public init(capacity: ServerCapacity, counts: LoadCounts) {
        self.bucketMs = Int(LoadCounts.bucket.nanoseconds / 1_000_000)
        self.capacity = capacity
        self.total = counts.total
        self.buckets = counts.buckets
    }

    enum CodingKeys: String, CodingKey {
        case bucketMs = "bucket_ms", capacity, total, buckets
    }
}
