import Foundation
import PollingCore

/// One job in the server's table: its parameters, its planned fate and when it was created.
///
/// The status is a pure function of the time: `pending` until `createdInstant + duration`, then
/// `planned.outcome` forever (seed behaviour, DESIGN.md); a job cancelled before it finished
/// (`cancelledInstant`, set by `DELETE /jobs/{id}`) answers `cancelled` from that instant on.
public struct JobRecord: Sendable, Hashable {
    /// The job id, e.g. `j1`.
    public var id: String
    /// The parameters the job was drawn from.
    public var parameters: JobParameters
    /// The per-job seed, when the request gave one.
    public var seed: UInt64?
    /// Duration (seconds) and outcome, fixed at creation.
    public var planned: PlannedJob
    /// Monotonic creation instant (drives the status).
    public var createdInstant: ContinuousClock.Instant
    /// Wall-clock creation time (reported as `created_at` / `request_time`).
    public var createdWall: Date
    /// Scripted answers for the job's successive status requests, or `nil`.
    public var faults: [ScriptedFault]?
    /// When `DELETE /jobs/{id}` cancelled the job (only ever before `finishInstant`), or `nil`.
    public var cancelledInstant: ContinuousClock.Instant?

    /// Creates a record.
    public init(id: String, parameters: JobParameters, seed: UInt64?, planned: PlannedJob,
                createdInstant: ContinuousClock.Instant, createdWall: Date, faults: [ScriptedFault]? = nil) {
        self.id = id
        self.parameters = parameters
        self.seed = seed
        self.planned = planned
        self.createdInstant = createdInstant
        self.createdWall = createdWall
        self.faults = faults
    }

    /// The monotonic instant the status turns final: `createdInstant + duration`.
    public var finishInstant: ContinuousClock.Instant { createdInstant + duration }

    /// The instant the job stopped being pending: the cancellation, or else `finishInstant`.
    /// Expiry and the server's capacity accounting count from it.
    public var endInstant: ContinuousClock.Instant { cancelledInstant ?? finishInstant }

    /// The planned duration as a `Duration` (clamped to ±1e12 s, see `Duration.clampedSeconds`).
    public var duration: Duration { planned.runTime }

    /// The status at monotonic instant `now`: final once `now >= createdInstant + duration`.
    public func status(at now: ContinuousClock.Instant) -> JobStatus {
        if let cancelledInstant, now >= cancelledInstant { return .cancelled }
        return planned.status(age: now - createdInstant)
    }

    /// Seconds left until the status turns final (0 once final).
    public func remaining(at now: ContinuousClock.Instant) -> Double {
        max(0, (duration - (now - createdInstant)).seconds)
    }

    /// Wall-clock finish time: `createdWall + planned.duration` (server clock).
    public var finishedWall: Date { createdWall.addingTimeInterval(planned.duration) }

    /// The `GET /jobs/{id}` body at `now`: id and status, plus `created_at`, `finished_at` and
    /// `run_time` (= the planned duration in seconds) once final; `eta` (seconds left) while
    /// pending when `includeETA` is set; `progress` (parts done, `PlannedJob.progress(age:)`)
    /// while pending when `includeProgress` is set and the job is made of parts (other jobs carry
    /// none: a documented no-op). A cancelled job carries `created_at` and `finished_at`
    /// (the cancellation's wall-clock time) but no `run_time`: it never ran to its end.
    /// - Parameters:
    ///   - now: The current monotonic instant.
    ///   - includeETA: Whether to report the seconds left while pending.
    ///   - includeProgress: Whether to report the parts done while pending.
    /// - Returns: The response body.
    public func statusResponse(at now: ContinuousClock.Instant, includeETA: Bool = false,
                               includeProgress: Bool = false) -> JobStatusResponse {
        let status = status(at: now)
        guard status.isFinal else {
            return JobStatusResponse(id: id, status: status, eta: includeETA ? remaining(at: now) : nil,
                                     progress: includeProgress ? planned.progress(age: now - createdInstant) : nil)
        }
        if status == .cancelled, let cancelledInstant {
            let wall = createdWall.addingTimeInterval((cancelledInstant - createdInstant).seconds)
            return JobStatusResponse(id: id, status: status, createdAt: RFC3339.string(from: createdWall),
                                     finishedAt: RFC3339.string(from: wall))
        }
        return JobStatusResponse(id: id, status: status,
                                 createdAt: RFC3339.string(from: createdWall),
                                 finishedAt: RFC3339.string(from: finishedWall),
                                 runTime: planned.duration)
    }
}
