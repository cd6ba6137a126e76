/// A server's status requests counted per 100 ms bucket of arrival: served (of which queued),
/// refused 429 by the rate limit, refused 503 by a full queue.
public struct LoadCounts: Sendable, Hashable, Codable {
    /// The bucket width: 100 ms.
    public static let bucket = Duration.milliseconds(100)

    /// One bucket's counts.
    public struct Bucket: Sendable, Hashable, Codable {
        /// Requests served (queued ones included).
        public var served = 0
        /// Served requests that waited for a slot.
        public var queued = 0
        /// Refused with 429 (token bucket empty).
        public var rateLimited = 0
        /// Refused with 503 (slots busy, queue full).
        public var overloaded = 0

        public init(served: Int = 0, queued: Int = 0, rateLimited: Int = 0, overloaded: Int = 0) {
            self.served = served
            self.queued = queued
            self.rateLimited = rateLimited
            self.overloaded = overloaded
        }

        /// Every request that arrived: served + 429 + 503.
        public var arrived: Int { served + rateLimited + overloaded }

        enum CodingKeys: String, CodingKey {
            case served, queued, rateLimited = "rate_limited", overloaded
        }
    }

    /// Bucket `i` covers arrivals in `[i · 100 ms, (i + 1) · 100 ms)`; trailing empty buckets are absent.
    public private(set) var buckets: [Bucket] = []

    public init(buckets: [Bucket] = []) {
        self.buckets = buckets
    }

    /// Adds one to `field` in the bucket of `instant` (instants before zero count in bucket 0).
    public mutating func add(at instant: Duration, _ field: WritableKeyPath<Bucket, Int>) {
        let index = max(0, Int(instant.nanoseconds / Self.bucket.nanoseconds))
        if index >= buckets.count { buckets.append(contentsOf: repeatElement(Bucket(), count: index - buckets.count + 1)) }
        buckets[index][keyPath: field] += 1
    }

    /// The sums over every bucket.
    public var total: Bucket {
        buckets.reduce(into: Bucket()) { sum, b in
            sum.served += b.served
            sum.queued += b.queued
            sum.rateLimited += b.rateLimited
            sum.overloaded += b.overloaded
        }
    }
}
