import Foundation

extension MockJobServer {
    /// Where the server reads the time: a monotonic instant for job state (pending until
    /// `created + duration`) and a wall-clock `Date` for the `created_at` / `finished_at` and
    /// epoch-second fields; and how it waits (long polls, injected latency, hangs, slow bodies).
    ///
    /// Injected so that tests can move time without sleeping: a manual source resumes its
    /// sleepers when the test advances it.
    public struct TimeSource: Sendable {
        /// The current monotonic instant (drives job state).
        public var monotonic: @Sendable () -> ContinuousClock.Instant
        /// The current wall-clock time (only used for reported timestamps and HTTP-dates).
        public var wall: @Sendable () -> Date
        /// Suspends the calling task until `monotonic()` reaches the given instant (returns at
        /// once if it already has). Must not block a thread; must throw `CancellationError` when
        /// the task is cancelled.
        public var sleepUntil: @Sendable (ContinuousClock.Instant) async throws -> Void

        /// Creates a time source from its closures.
        /// - Parameters:
        ///   - monotonic: Returns the current monotonic instant.
        ///   - wall: Returns the current wall-clock time.
        ///   - sleepUntil: Suspends until `monotonic()` reaches an instant. Default: a real
        ///     `Task.sleep(until:clock: .continuous)`, right only when `monotonic` is the real
        ///     continuous clock.
        public init(monotonic: @escaping @Sendable () -> ContinuousClock.Instant,
                    wall: @escaping @Sendable () -> Date,
                    sleepUntil: @escaping @Sendable (ContinuousClock.Instant) async throws -> Void = {
                        try await Task.sleep(until: $0, clock: .continuous)
                    }) {
            self.monotonic = monotonic
            self.wall = wall
            self.sleepUntil = sleepUntil
        }

        /// The real clocks: `ContinuousClock.now`, `Date()` and `Task.sleep`.
        public static var system: TimeSource {
            TimeSource(monotonic: { ContinuousClock.now }, wall: { Date() })
        }

        /// Suspends for `duration` from now (see `sleepUntil`).
        /// - Throws: `CancellationError` when the task is cancelled.
        func sleep(for duration: Duration) async throws {
            guard duration > .zero else { return }
            try await sleepUntil(monotonic() + duration)
        }
    }
}
