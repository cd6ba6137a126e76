/// What push delivery cost a server, per 100 ms bucket (the buckets of `LoadCounts`): server-sent
/// event streams (opened, resumed, the peak open at once, connection time) and webhook callback
/// attempts (issue 12 item 4). Kept beside `LoadCounts`, whose `served` already counts each
/// subscription as one status request.
///
/// A pure value: the server feeds it events with their instants (offsets from its origin) in
/// the order they happen.
public struct PushCounts: Sendable, Hashable {
    /// One bucket's counts.
    public struct Bucket: Sendable, Hashable, Codable {
        /// Event streams opened (`GET /jobs/{id}/events` answered 200) in the bucket.
        public var sseOpened = 0
        /// Of those, resumptions (a `Last-Event-ID` header was sent).
        public var sseResumed = 0
        /// The most streams open at once at any instant of the bucket.
        public var sseOpenPeak = 0
        /// Total open time, nanoseconds, of the streams *opened* in the bucket (added when each
        /// closes; a stream still open is not counted yet).
        public var sseConnectionNanos: Int64 = 0
        /// Callback POSTs started in the bucket.
        public var callbackAttempts = 0
        /// Of those, attempts that failed (no 2xx answer within the attempt timeout), counted in
        /// the bucket where the attempt started.
        public var callbackFailures = 0
        /// Callbacks given up after their last failed attempt (counted in that attempt's start bucket).
        public var callbacksAbandoned = 0

        public init() {}

        /// Whether anything happened in the bucket (or a stream was open in it).
        public var isEmpty: Bool { self == Bucket() }

        enum CodingKeys: String, CodingKey {
            case sseOpened = "sse_opened", sseResumed = "sse_resumed", sseOpenPeak = "sse_open_peak"
            case sseConnectionNanos = "sse_connection_ns", callbackAttempts = "callback_attempts"
            case callbackFailures = "callback_failures", callbacksAbandoned = "callbacks_abandoned"
        }
    }

    /// Bucket `i` covers `[i · 100 ms, (i + 1) · 100 ms)`; trailing empty buckets are absent.
    public private(set) var buckets: [Bucket] = []
    /// Streams open now.
    public private(set) var open = 0
    /// The bucket of the latest event (buckets after it have not seen `open` yet).
    private var latest = -1

    /// - Parameter open: streams already open when counting starts (they are not counted as
    ///   opened, only as open). Default 0.
    public init(open: Int = 0) {
        self.open = open
    }

    /// A stream opened at `instant`; `resumed` when the client sent `Last-Event-ID`.
    public mutating func streamOpened(at instant: Duration, resumed: Bool) {
        let i = touch(instant)
        open += 1
        buckets[i].sseOpened += 1
        if resumed { buckets[i].sseResumed += 1 }
        buckets[i].sseOpenPeak = max(buckets[i].sseOpenPeak, open)
    }

    /// A stream opened at `openedAt` closed at `instant`.
    public mutating func streamClosed(openedAt: Duration, at instant: Duration) {
        _ = touch(instant)
        open = max(0, open - 1)
        buckets[Self.index(openedAt)].sseConnectionNanos += max(.zero, instant - openedAt).nanoseconds
    }

    /// A callback attempt starts at `instant` (counted before the POST leaves, so a receiver
    /// never sees an attempt the counts do not have yet).
    public mutating func callbackAttemptStarted(at instant: Duration) {
        buckets[touch(instant)].callbackAttempts += 1
    }

    /// The attempt that started at `startedAt` failed (no 2xx in time), noted at `instant`;
    /// `abandoned` when it was the last one allowed.
    public mutating func callbackAttemptFailed(startedAt: Duration, at instant: Duration, abandoned: Bool) {
        _ = touch(instant)
        let i = Self.index(startedAt)
        buckets[i].callbackFailures += 1
        if abandoned { buckets[i].callbacksAbandoned += 1 }
    }

    /// The sums over every bucket; `sseOpenPeak` is the maximum.
    public var total: Bucket {
        buckets.reduce(into: Bucket()) { sum, b in
            sum.sseOpened += b.sseOpened
            sum.sseResumed += b.sseResumed
            sum.sseOpenPeak = max(sum.sseOpenPeak, b.sseOpenPeak)
            sum.sseConnectionNanos += b.sseConnectionNanos
            sum.callbackAttempts += b.callbackAttempts
            sum.callbackFailures += b.callbackFailures
            sum.callbacksAbandoned += b.callbacksAbandoned
        }
    }

    private static func index(_ instant: Duration) -> Int {
        max(0, Int(instant.nanoseconds / LoadCounts.bucket.nanoseconds))
    }

    /// The bucket of `instant`, created if needed; buckets between the previous event and this
    /// one had `open` streams all along, so their peak is at least that.
    private mutating func touch(_ instant: Duration) -> Int {
        let i = Self.index(instant)
        if i >= buckets.count { buckets.append(contentsOf: repeatElement(Bucket(), count: i - buckets.count + 1)) }
        if i > latest {
            for j in max(0, latest + 1)...i { buckets[j].sseOpenPeak = max(buckets[j].sseOpenPeak, open) }
            latest = i
        }
        return i
    }
}
