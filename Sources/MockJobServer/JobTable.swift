import Foundation
import PollingCore
import Synchronization

/// The server's jobs, keyed by id (`j1`, `j2`, … in creation order), behind a `Mutex`.
///
/// Jobs posted with a seed are drawn with `PlannedJob.draw(_:seed:)` (the same seed gives the
/// same job whatever the order); the others draw from the table's own `SeededGenerator`, seeded
/// once from the configuration, under the lock (deterministic for a given request order).
///
/// Memory is bounded: at most `maxJobs` jobs are held, and a job is dropped `finishedJobTTL`
/// after it finishes (an `ExpiryQueue` ordered by expiry instant is swept on every create, so
/// expiry costs amortised O(log n) per job). A job cancelled with `cancel(id:)` counts as
/// finished from its cancellation on: it expires `finishedJobTTL` after it and no longer holds a
/// place against `maxJobs`. An expired id is told apart from an unknown one
/// because ids are sequential.
public final class JobTable: Sendable {
    /// The result of looking an id up.
    public enum Lookup: Sendable, Equatable {
        /// The job, and the sequence number (from 0) of this status request for it.
        case found(JobRecord, sequence: Int)
        /// The id was issued but the job has expired.
        case expired
        /// No job ever had this id.
        case unknown
    }

    private struct Entry {
        var record: JobRecord
        var requests: Int = 0
    }

    private struct State {
        var jobs: [Int: Entry] = [:]
        var counter = 0
        var latest: JobRecord?
        var rng: SeededGenerator
        var expiry = ExpiryQueue()
    }

    private let state: Mutex<State>
    private let timeSource: MockJobServer.TimeSource
    private let maxJobs: Int
    private let finishedJobTTL: Duration

    /// Creates an empty table.
    /// - Parameters:
    ///   - seed: Seed of the generator used for jobs posted without a seed.
    ///   - timeSource: Clocks for creation instants and status computation.
    ///   - maxJobs: Most jobs held at once. Default `Int.max`.
    ///   - finishedJobTTL: How long a job stays after it finishes. Default 300 s.
    public init(seed: UInt64, timeSource: MockJobServer.TimeSource, maxJobs: Int = .max,
                finishedJobTTL: Duration = .seconds(300)) {
        self.state = Mutex(State(rng: SeededGenerator(seed: seed)))
        self.timeSource = timeSource
        self.maxJobs = maxJobs
        self.finishedJobTTL = finishedJobTTL
    }

    /// Creates a job and makes it the most recent one, after dropping expired jobs.
    /// - Parameters:
    ///   - parameters: Validated job parameters.
    ///   - seed: The per-job seed, or `nil` to draw from the table's generator.
    ///   - faults: Scripted answers for the job's status requests (validated), or `nil`.
    ///   - size: The job's size (validated), or `nil` for an unsized job.
    /// - Returns: The new record.
    /// - Throws: `MockJobServerError.tooManyJobs` when `maxJobs` jobs are held.
    public func create(parameters: JobParameters, seed: UInt64?,
                       faults: [ScriptedFault]? = nil, size: Double? = nil) throws(MockJobServerError) -> JobRecord {
        let instant = timeSource.monotonic()
        let wall = timeSource.wall()
        let ttl = finishedJobTTL
        let limit = maxJobs
        return try state.withLock { (state) throws(MockJobServerError) -> JobRecord in
            state.expiry.popExpired(now: instant) { state.jobs[$0] = nil }
            // At capacity, make room by dropping finished jobs, oldest finish first (the queue is
            // ordered by finish + TTL); only pending jobs count against the limit for good.
            while state.jobs.count >= limit, let first = state.expiry.first, first.at - ttl <= instant {
                state.jobs[first.number] = nil
                state.expiry.removeFirst()
            }
            guard state.jobs.count < limit else { throw .tooManyJobs(limit) }
            let planned = seed.map { PlannedJob.draw(parameters, size: size, seed: $0) }
                ?? PlannedJob.draw(parameters, size: size, using: &state.rng)
            state.counter += 1
            let number = state.counter
            let record = JobRecord(id: "j\(number)", parameters: parameters, seed: seed, planned: planned,
                                   createdInstant: instant, createdWall: wall, faults: faults)
            let expiry = record.finishInstant + ttl
            state.jobs[number] = Entry(record: record)
            state.expiry.push(expiry, number)
            state.latest = record
            return record
        }
    }

    /// The job with `id`, or `nil` (unknown or expired).
    public func job(id: String) -> JobRecord? {
        guard let number = Self.number(of: id) else { return nil }
        let now = timeSource.monotonic()
        let ttl = finishedJobTTL
        return state.withLock { state in
            state.jobs[number].flatMap { $0.record.endInstant + ttl > now ? $0.record : nil }
        }
    }

    /// Looks `id` up for a status request and counts the request.
    /// - Parameter id: The id from the path, e.g. `j12`.
    /// - Returns: The record and this request's sequence number (0 for the job's first), or
    ///   whether the id expired or never existed.
    public func beginRequest(id: String) -> Lookup {
        guard let number = Self.number(of: id) else { return .unknown }
        let now = timeSource.monotonic()
        let ttl = finishedJobTTL
        return state.withLock { state in
            guard number <= state.counter else { return .unknown }
            // One hash lookup; the count is bumped in place.
            guard let index = state.jobs.index(forKey: number) else { return .expired }
            let sequence = state.jobs.values[index].requests
            let record = state.jobs.values[index].record
            guard record.endInstant + ttl > now else { return .expired }
            state.jobs.values[index].requests = sequence + 1
            return .found(record, sequence: sequence)
        }
    }

    /// Looks `id` up without counting a status request (event streams: they take no scripted
    /// fault, so they leave the fault sequence alone).
    /// - Returns: the record (with the number of status requests counted so far), or whether the
    ///   id expired or never existed.
    public func lookup(id: String) -> Lookup {
        guard let number = Self.number(of: id) else { return .unknown }
        let now = timeSource.monotonic()
        let ttl = finishedJobTTL
        return state.withLock { state in
            guard number <= state.counter else { return .unknown }
            guard let entry = state.jobs[number], entry.record.endInstant + ttl > now else { return .expired }
            return .found(entry.record, sequence: entry.requests)
        }
    }

    /// The result of cancelling a job.
    public enum Cancellation: Sendable, Equatable {
        /// The job as it is now: cancelled by this request (`changed`), or already final before
        /// it (`changed == false`: cancelled earlier, completed or errored; nothing changes).
        case done(JobRecord, changed: Bool)
        /// The id was issued but the job has expired.
        case expired
        /// No job ever had this id.
        case unknown
    }

    /// Cancels a pending job (`DELETE /jobs/{id}`): from now on it answers `cancelled`, and it
    /// stops counting against `maxJobs` (it expires `finishedJobTTL` from now). A job that is
    /// already final is left as it is, so a second cancellation changes nothing.
    /// - Parameter id: The id from the path.
    /// - Returns: The job after the request, or whether the id expired or never existed.
    public func cancel(id: String) -> Cancellation {
        guard let number = Self.number(of: id) else { return .unknown }
        let now = timeSource.monotonic()
        let ttl = finishedJobTTL
        return state.withLock { state in
            guard number <= state.counter else { return .unknown }
            guard var entry = state.jobs[number], entry.record.endInstant + ttl > now else { return .expired }
            guard entry.record.status(at: now) == .pending else { return .done(entry.record, changed: false) }
            entry.record.cancelledInstant = now
            state.jobs[number] = entry
            // An earlier expiry entry for the same job; the original one, popped later, finds
            // the job gone and does nothing.
            state.expiry.push(now + ttl, number)
            if state.latest?.id == entry.record.id { state.latest = entry.record }
            return .done(entry.record, changed: true)
        }
    }

    /// The most recently created job (even if it has expired since), or `nil` before the first.
    public func latest() -> JobRecord? {
        state.withLock { $0.latest }
    }

    /// The number of jobs held (not yet swept).
    public var count: Int { state.withLock { $0.jobs.count } }

    /// The number of jobs created so far.
    public var created: Int { state.withLock { $0.counter } }

    /// The current monotonic instant of the table's time source.
    public func now() -> ContinuousClock.Instant { timeSource.monotonic() }

    /// The job number of an id `j<digits>` (no sign, no leading zero), or `nil`.
    static func number(of id: String) -> Int? {
        let utf8 = id.utf8
        guard utf8.count >= 2, utf8.count <= 20, utf8.first == UInt8(ascii: "j") else { return nil }
        let digits = utf8.dropFirst()
        guard digits.first != UInt8(ascii: "0"), digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(id.dropFirst())
    }
}
