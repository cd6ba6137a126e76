import Synchronization

/// A virtual clock for one simulated timeline: `sleep(until:)` returns at once after moving
/// `now` forward to the deadline, and `advance(by:)` moves it forward explicitly (a simulated
/// transport uses it to model request latency).
///
/// Time only moves forward. With one sequential user per clock (one trial's poll loop) the
/// timeline is exact and deterministic; trials that do not interact can each have their own
/// clock. Not meant for several concurrent sleepers that must wake in order.
public final class VirtualClock: Clock, Sendable {
    /// An instant on the virtual timeline: a `Duration` since the clock's origin.
    public struct Instant: InstantProtocol, Hashable, Sendable, CustomStringConvertible {
        /// Time since the origin.
        public var offset: Duration

        public init(offset: Duration) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        public var description: String { "\(offset)" }
    }

    private let current: Mutex<Instant>

    /// Creates a clock whose `now` is `start` (default: the origin).
    public init(start: Instant = Instant(offset: .zero)) {
        current = Mutex(start)
    }

    /// The current virtual instant.
    public var now: Instant { current.withLock { $0 } }

    /// The smallest sleep the clock distinguishes: one nanosecond.
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// Moves `now` to `deadline` (if later) and returns without waiting.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        current.withLock { $0 = max($0, deadline) }
    }

    /// Moves `now` forward by `duration` (negative durations are ignored).
    public func advance(by duration: Duration) {
        guard duration > .zero else { return }
        current.withLock { $0 = $0.advanced(by: duration) }
    }
}
