/// Polls at a precomputed optimal schedule (`OptimalSchedule`), offsets from start.
///
/// The first poll is at `offsets[0]`, never before the support's lower bound, so never before the
/// job can have finished. After a poll sent at `s`, the next is the first scheduled offset later
/// than `s` (when request latency has already carried the client past it, the poller treats the
/// past instant as "now"). After the last scheduled poll, if the job is still pending (latency,
/// or a duration outside the model), it keeps polling every `fallbackInterval` seconds from the
/// previous send.
///
/// Default fallback: the last gap of the schedule when it has two polls or more, else a tenth of
/// the last offset; never below 1 ms. Bounds: every poll instant ≥ `offsets[0]`; within the
/// schedule, each instant is a scheduled offset; after it, each gap is `fallbackInterval`.
public struct OptimalStrategy: PollingStrategy, Hashable {
    /// The scheduled instants in seconds from start, strictly increasing and > 0.
    public let offsets: [Double]
    /// The gap in seconds between polls once the schedule is exhausted.
    public let fallbackInterval: Double

    /// - Parameters:
    ///   - schedule: the optimal schedule.
    ///   - fallbackInterval: seconds between polls after the schedule; `nil` = the default above.
    public init(schedule: OptimalSchedule, fallbackInterval: Double? = nil) {
        self.init(offsets: schedule.offsets, fallbackInterval: fallbackInterval)
    }

    /// - Parameters:
    ///   - offsets: poll instants in seconds (sorted, de-duplicated and kept > 0 here; an empty
    ///     list means one poll at 1 ms).
    ///   - fallbackInterval: seconds between polls after the schedule; `nil` = the default above.
    public init(offsets: [Double], fallbackInterval: Double? = nil) {
        var cleaned = Array(Set(offsets.filter { $0.isFinite && $0 > 0 })).sorted()
        if cleaned.isEmpty { cleaned = [OptimalSchedule.minimumPollOffset] }
        self.offsets = cleaned
        let defaultGap = cleaned.count >= 2 ? cleaned[cleaned.count - 1] - cleaned[cleaned.count - 2] : cleaned[0] / 10
        let gap = fallbackInterval ?? defaultGap
        self.fallbackInterval = gap.isFinite ? max(gap, OptimalSchedule.minimumPollOffset) : defaultGap
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .clampedSeconds(offsets[0]))
    }

    public func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        let sent = observation.sent.seconds
        if let next = offsets.first(where: { $0 > sent }) {
            return .poll(at: .clampedSeconds(next))
        }
        return .poll(at: observation.sent + .clampedSeconds(fallbackInterval))
    }
}
