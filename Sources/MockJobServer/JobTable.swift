import Foundation
import PollingCore
import Synchronization

/// The server's jobs, keyed by id (`j1`, `j2`, … in creation order), behind a `Mutex`.
///
/// Jobs posted with a seed are drawn with `PlannedJob.draw(_:seed:)` (the same seed gives the
/// same job whatever the order); the others draw from the table's own `SeededGenerator`, seeded
/// once from the configuration, under the lock (deterministic for a given request order).
public final class JobTable: Sendable {
    private struct State {
        var jobs: [String: JobRecord] = [:]
        var counter = 0
        var latestID: String?
        var rng: SeededGenerator
    }

    private let state: Mutex<State>
    private let timeSource: MockJobServer.TimeSource

    /// Creates an empty table.
    /// - Parameters:
    ///   - seed: Seed of the generator used for jobs posted without a seed.
    ///   - timeSource: Clocks for creation instants and status computation.
    public init(seed: UInt64, timeSource: MockJobServer.TimeSource) {
        self.state = Mutex(State(rng: SeededGenerator(seed: seed)))
        self.timeSource = timeSource
    }

    /// Creates a job and makes it the most recent one.
    /// - Parameters:
    ///   - parameters: Validated job parameters.
    ///   - seed: The per-job seed, or `nil` to draw from the table's generator.
    /// - Returns: The new record.
    public func create(parameters: JobParameters, seed: UInt64?) -> JobRecord {
        let instant = timeSource.monotonic()
        let wall = timeSource.wall()
        return state.withLock { state in
            let planned = seed.map { PlannedJob.draw(parameters, seed: $0) }
                ?? PlannedJob.draw(parameters, using: &state.rng)
            state.counter += 1
            let id = "j\(state.counter)"
            let record = JobRecord(id: id, parameters: parameters, seed: seed, planned: planned,
                                   createdInstant: instant, createdWall: wall)
            state.jobs[id] = record
            state.latestID = id
            return record
        }
    }

    /// The job with `id`, or `nil`.
    public func job(id: String) -> JobRecord? {
        state.withLock { $0.jobs[id] }
    }

    /// The most recently created job, or `nil` before the first.
    public func latest() -> JobRecord? {
        state.withLock { state in state.latestID.flatMap { state.jobs[$0] } }
    }

    /// The number of jobs created so far.
    public var count: Int { state.withLock { $0.jobs.count } }

    /// The current monotonic instant of the table's time source.
    public func now() -> ContinuousClock.Instant { timeSource.monotonic() }
}
