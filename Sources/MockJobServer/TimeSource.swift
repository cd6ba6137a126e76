import Foundation

extension MockJobServer {
    /// Where the server reads the time: a monotonic instant for job state (pending until
    /// `created + duration`) and a wall-clock `Date` for the `created_at` / `finished_at` and
    /// epoch-second fields.
    ///
    /// Injected so that tests can move time without sleeping. Both closures are called once per
    /// job creation and `monotonic` once per status request.
    public struct TimeSource: Sendable {
        /// The current monotonic instant (drives job state).
        public var monotonic: @Sendable () -> ContinuousClock.Instant
        /// The current wall-clock time (only used for reported timestamps).
        public var wall: @Sendable () -> Date

        /// Creates a time source from two closures.
        /// - Parameters:
        ///   - monotonic: Returns the current monotonic instant.
        ///   - wall: Returns the current wall-clock time.
        public init(monotonic: @escaping @Sendable () -> ContinuousClock.Instant,
                    wall: @escaping @Sendable () -> Date) {
            self.monotonic = monotonic
            self.wall = wall
        }

        /// The real clocks: `ContinuousClock.now` and `Date()`.
        public static var system: TimeSource {
            TimeSource(monotonic: { ContinuousClock.now }, wall: { Date() })
        }
    }
}
