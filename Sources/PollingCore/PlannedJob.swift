/// A job's fate, fixed at creation: how long it runs and how it ends.
///
/// Drawn by `PlannedJob.draw(_:seed:)`, the one drawing function shared by the mock server and
/// the simulator, so the same per-job seed gives the same job live or simulated.
public struct PlannedJob: Sendable, Hashable {
    /// Seconds from creation until the status turns final.
    public var duration: Double
    /// The final status, `completed` or `error`.
    public var outcome: JobStatus
    /// When each part finishes, for a job whose model is `parts` (at the top level); `nil`
    /// otherwise (a `parts` model nested in a mixture reports no progress).
    public var parts: PartSchedule?
    /// The job's size, or `nil` for an unsized job.
    public var size: Double?

    public init(duration: Double, outcome: JobStatus, parts: PartSchedule? = nil, size: Double? = nil) {
        self.duration = duration
        self.outcome = outcome
        self.parts = parts
        self.size = size
    }

    /// Draws a job from `parameters` with a generator seeded by `seed` alone: its size (from a
    /// sub-stream, `JobParameters.size(seed:)`, when there is a size model), then the duration
    /// given the size (exactly one draw whatever the model, see `DurationSpec.draw`), then the
    /// outcome (`error` with probability `1 - successRate`, seed behaviour).
    public static func draw(_ parameters: JobParameters, seed: UInt64) -> PlannedJob {
        draw(parameters, size: parameters.size(seed: seed), seed: seed)
    }

    /// Draws a job of a given size (the server's path: the client sent `size`): the duration
    /// from `parameters.duration(size:)`, then the outcome, from a generator seeded by `seed`.
    /// Equals `draw(_:seed:)` when `size` is the size that draws for `seed`.
    public static func draw(_ parameters: JobParameters, size: Double?, seed: UInt64) -> PlannedJob {
        var rng = SeededGenerator(seed: seed)
        return draw(parameters, size: size, using: &rng)
    }

    /// Draws a job of size `size` (nil = unsized) from `parameters` using `rng` (two 64-bit
    /// draws), from `parameters.duration(size:)`. A top-level `parts` model (with its count from
    /// the size when it has `part_size`) is drawn by `DurationSpec.Parts.draw(using:eachPart:)`,
    /// the function `DurationSpec.draw` uses too (same duration), keeping each part's completion
    /// instant (`parts`).
    public static func draw<R: RandomNumberGenerator>(_ parameters: JobParameters, size: Double? = nil,
                                                      using rng: inout R) -> PlannedJob {
        let spec = parameters.duration(size: size)
        let duration: Double
        var schedule: PartSchedule?
        if case .parts(let p) = spec {
            var parts: [Double] = []
            parts.reserveCapacity(p.count)
            duration = p.draw(using: &rng) { parts.append($0) }
            schedule = PartSchedule(combine: p.combine, partDurations: parts)
        } else {
            duration = spec.draw(using: &rng)
        }
        let outcome: JobStatus = rng.unitInterval() < parameters.successRate ? .completed : .error
        return PlannedJob(duration: duration, outcome: outcome, parts: schedule, size: size)
    }

    /// The progress `age` after creation (`PartSchedule.progress(age:)`), or `nil` for a job
    /// that is not made of parts.
    public func progress(age: Duration) -> JobProgress? {
        parts?.progress(age: age)
    }

    /// The planned duration as a `Duration` (clamped, see `Duration.clampedSeconds`).
    public var runTime: Duration { .clampedSeconds(duration) }

    /// The status `age` after creation: `pending` until `runTime`, then `outcome` forever.
    public func status(age: Duration) -> JobStatus {
        age >= runTime ? outcome : .pending
    }

    /// How long a long poll (`?wait=`) that reaches the server `age` after creation is held:
    /// until the job is final or `wait` has passed, whichever comes first; zero once final.
    public func longPollHold(age: Duration, wait: Duration) -> Duration {
        min(wait, max(.zero, runTime - age))
    }
}
