/// The server's admission rules as a pure state machine (no clock, no I/O): one instance per
/// server, fed every status request's arrival instant in arrival order; the live mock server and
/// the simulator use it alike, so for the same arrivals they serve and refuse the same requests.
///
/// Rules (`ServerCapacity`), checked in this order for a request arriving at `now`:
/// 1. Token bucket (the classic algorithm, e.g. RFC 2697's committed bucket without colours): the
///    bucket holds `min(burst, tokens + rate · elapsed)`; with less than one token the request is
///    refused 429, and `retryAfter` is the time until one token has accumulated, `(1 − tokens) / rate`.
/// 2. Concurrency slots and a FIFO queue (an M/D/c-style server with deterministic service
///    time): the request takes the slot that frees first; it starts at `max(now, that slot's
///    free instant)` and finishes `serviceTime` later. If it would wait while `maxQueue`
///    requests are already waiting, it is refused 503 instead.
/// Only a served (or queued) request spends a token: a refused one costs the server nothing.
///
/// Every decision is counted in `counts` per 100 ms bucket of its arrival instant.
public struct ServerLimiter: Sendable {
    /// What happens to one request.
    public enum Decision: Sendable, Hashable {
        /// Served: service starts at `start` (later than the arrival when it queued) and the
        /// answer leaves at `finish`. Offsets on the caller's timeline.
        case serve(start: Duration, finish: Duration)
        /// Refused by the token bucket: `429` with `Retry-After` (the time until the next token).
        case rateLimited(retryAfter: Duration)
        /// Refused because every slot is busy and the queue is full: `503`.
        case overloaded
    }

    private struct Lane {
        var tokens: Double
        var refilled: Duration
        /// When each slot frees (min-heap order is not needed: `slots` is small; the minimum is scanned).
        var slots: [Duration]
        /// Start instants of admitted requests that have not started yet, in FIFO order.
        var waiting: [Duration] = []
        var waitingHead = 0
    }

    public let capacity: ServerCapacity
    /// Counts per 100 ms bucket of arrival.
    public private(set) var counts = LoadCounts()
    private var lanes: [String: Lane] = [:]

    /// - Parameter capacity: validated settings.
    public init(capacity: ServerCapacity) {
        self.capacity = capacity
    }

    /// Decides one request and counts it.
    /// - Parameters:
    ///   - now: the arrival instant, an offset on the caller's timeline (non-decreasing across calls).
    ///   - client: the client id (used only when `perClient`); `nil` = the shared client.
    /// - Returns: the decision.
    public mutating func admit(at now: Duration, client: String? = nil) -> Decision {
        let key = capacity.perClient ? (client ?? "") : ""
        var lane = lanes[key] ?? Lane(tokens: capacity.burst, refilled: now,
                                      slots: Array(repeating: now, count: capacity.concurrency ?? 0))
        defer { lanes[key] = lane }
        if let rate = capacity.rate {
            if now > lane.refilled {
                lane.tokens = min(capacity.burst, lane.tokens + rate * (now - lane.refilled).seconds)
                lane.refilled = now
            }
            guard lane.tokens >= 1 else {
                counts.add(at: now, \.rateLimited)
                return .rateLimited(retryAfter: .clampedSeconds((1 - lane.tokens) / rate))
            }
        }
        guard capacity.concurrency != nil else {
            lane.tokens -= 1
            counts.add(at: now, \.served)
            return .serve(start: now, finish: now)
        }
        while lane.waitingHead < lane.waiting.count, lane.waiting[lane.waitingHead] <= now { lane.waitingHead += 1 }
        if lane.waitingHead > 1024, lane.waitingHead * 2 > lane.waiting.count {
            lane.waiting.removeFirst(lane.waitingHead)
            lane.waitingHead = 0
        }
        var slot = 0
        for index in lane.slots.indices where lane.slots[index] < lane.slots[slot] { slot = index }
        let start = max(now, lane.slots[slot])
        if start > now {
            guard lane.waiting.count - lane.waitingHead < capacity.maxQueue else {
                counts.add(at: now, \.overloaded)
                return .overloaded
            }
            lane.waiting.append(start)
            counts.add(at: now, \.queued)
        }
        lane.tokens -= 1
        lane.slots[slot] = start + capacity.serviceTime
        counts.add(at: now, \.served)
        return .serve(start: start, finish: start + capacity.serviceTime)
    }
}
