import PollingCore

/// `GET /stats` → 200: the capacity being applied and what the server did with status requests,
/// per 100 ms bucket of arrival since it started (or since the runner's run started).
///
/// `{"bucket_ms": 100, "capacity": {...}, "total": {"served", "queued", "rate_limited",
/// "overloaded"}, "buckets": [{...}, …], "push": {"total": {"sse_opened", "sse_resumed",
/// "sse_open_peak", "sse_connection_ns", "callback_attempts", "callback_failures",
/// "callbacks_abandoned"}, "sse_open"}}`; bucket `i` covers `[i · 100 ms, (i + 1) · 100 ms)`.
public struct StatsResponse: Codable, Sendable, Hashable {
    public var bucketMs: Int
    public var capacity: ServerCapacity
    public var total: LoadCounts.Bucket
    public var buckets: [LoadCounts.Bucket]
    /// Push delivery's totals (`PushCounts.total`: `sse_open_peak` is the peak), plus `sse_open`,
    /// the event streams open now.
    public var push: PushTotal

    /// `PushCounts.total` and the streams open now.
    public struct PushTotal: Codable, Sendable, Hashable {
        public var total: PushCounts.Bucket
        public var sseOpen: Int

        enum CodingKeys: String, CodingKey { case total, sseOpen = "sse_open" }
    }

    public init(capacity: ServerCapacity, counts: LoadCounts, push: PushCounts = PushCounts()) {
        self.bucketMs = Int(LoadCounts.bucket.nanoseconds / 1_000_000)
        self.capacity = capacity
        self.total = counts.total
        self.buckets = counts.buckets
        self.push = PushTotal(total: push.total, sseOpen: push.open)
    }

    enum CodingKeys: String, CodingKey {
        case bucketMs = "bucket_ms", capacity, total, buckets, push
    }
}
