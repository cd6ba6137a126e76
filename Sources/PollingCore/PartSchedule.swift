/// How far a composite (`parts`) job has come: `done` of `total` parts finished.
///
/// What a server with `progress` enabled reports on pending `GET /jobs/{id}` responses
/// (`"progress": {"done": 1, "total": 4}`) and what the simulator puts on its pending
/// observations; `ProgressStrategy` estimates the time left from it.
public struct JobProgress: Codable, Sendable, Hashable {
    /// Parts finished so far, `0 … total`.
    public var done: Int
    /// Parts in the job, ≥ 1.
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }
}

/// The instants, from the job's creation, at which the parts of a `parts` job finish: drawn
/// with the job's duration by the same call (`DurationSpec.Parts.draw(using:eachPart:)`), so the
/// progress a server reports is the progress of the very parts whose combination is the job's
/// duration.
///
/// - `sum` (sequential parts): part `k` ends at the cumulative sum of parts `1 … k`, added in
///   draw order exactly as the duration is, so the last end *is* the duration, bit for bit.
/// - `max` (parallel parts, all started at creation): part `k` ends at its own duration; the ends
///   are kept sorted, so the last end is the maximum, i.e. the duration.
public struct PartSchedule: Sendable, Hashable {
    /// How the parts combine.
    public var combine: DurationSpec.Parts.Combine
    /// Completion instants in seconds from creation, ascending; `ends.last` is the job's duration.
    public var ends: [Double]

    public init(combine: DurationSpec.Parts.Combine, ends: [Double]) {
        self.combine = combine
        self.ends = ends
    }

    /// Builds the schedule from the part durations in draw order.
    /// - Parameters:
    ///   - combine: `sum` or `max`.
    ///   - durations: each part's duration in seconds, in the order they were drawn.
    public init(combine: DurationSpec.Parts.Combine, partDurations durations: [Double]) {
        self.combine = combine
        switch combine {
        case .sum:
            var total = 0.0
            ends = durations.map { total = total + $0; return total }
        case .max:
            ends = durations.sorted()
        }
    }

    /// The progress `age` after creation: `done` = the number of parts whose end is ≤ `age`
    /// (compared as `Duration`, like the job's status, so the last part counts exactly when the
    /// status turns final).
    public func progress(age: Duration) -> JobProgress {
        var low = 0, high = ends.count  // first index whose end is > age
        while low < high {
            let mid = (low + high) / 2
            if Duration.clampedSeconds(ends[mid]) <= age { low = mid + 1 } else { high = mid }
        }
        return JobProgress(done: low, total: ends.count)
    }
}

extension DurationSpec.Parts {
    /// One duration of the composite job, calling `eachPart` with every part's duration in
    /// draw order: the one drawing function of `parts` (used by `DurationSpec.draw` and by
    /// `PlannedJob.draw`, which keeps the part schedule for progress reports).
    ///
    /// Consumes exactly one 64-bit draw from `rng` (it seeds a private `SeededGenerator` from
    /// which the parts are drawn, see `DurationSpec.draw`).
    /// - Returns: `Σ parts` (`sum`, added in draw order) or `max parts` (`max`), seconds.
    public func draw<R: RandomNumberGenerator>(using rng: inout R, eachPart: (Double) -> Void = { _ in }) -> Double {
        var sub = SeededGenerator(seed: rng.next())
        var total = 0.0
        for _ in 0..<count {
            let x = part.draw(using: &sub)
            eachPart(x)
            total = combine == .sum ? total + x : Swift.max(total, x)
        }
        return total
    }
}
