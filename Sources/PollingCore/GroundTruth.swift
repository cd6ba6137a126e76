/// The rule that places a job's true completion on the client's timeline from a final response's
/// `run_time` (DESIGN.md, "Ground truth in live mode"), and decides when there is no usable truth.
///
/// The completion instant is `anchor + run_time`, where `anchor` is the midpoint of the create
/// call's send and receive instants (error at most half its round trip). A `run_time` is accepted
/// only when it is finite, ≥ 0 and `anchor + run_time ≤ detect + (create round trip) / 2`: the job
/// cannot have finished after the response that reported it final, up to the anchor's error.
/// Otherwise (and when the response has no `run_time`) the trial has no ground truth: it keeps its
/// outcome and calls, carries the trial error code `no_ground_truth`, and its delay and ER are
/// NULL in the `trial_metrics` view (summaries count such trials separately).
public enum GroundTruth {
    /// The trial error code of a detected trial without an acceptable `run_time`.
    public static let missingCode = "no_ground_truth"

    /// The job's true completion instant, or `nil` when `runTime` is not acceptable.
    /// - Parameters:
    ///   - runTime: the final response's `run_time` in seconds, if any.
    ///   - createSent: when the create call was sent (any common time base).
    ///   - createReceived: when its response arrived.
    ///   - detect: when the detecting response arrived.
    /// - Returns: `anchor + runTime` in the same time base, or `nil`.
    public static func completion(runTime: Double?, createSent: Duration, createReceived: Duration,
                                  detect: Duration) -> Duration? {
        guard let runTime, runTime.isFinite, runTime >= 0 else { return nil }
        let halfTrip = (createReceived - createSent) / 2
        let done = createSent + halfTrip + .clampedSeconds(runTime)
        return done <= detect + halfTrip ? done : nil
    }
}
