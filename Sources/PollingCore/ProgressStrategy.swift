/// Polls when a composite job should be done, judging by the parts the server reports done
/// (`progress: {done, total}` on pending responses; a server-assisted strategy).
///
/// **Estimator.** With `d ≥ 1` of `n` parts done at elapsed time `e` (the observation's receive
/// instant, from the start of polling), the parts are taken to finish at a constant rate `d / e`,
/// so the time left is
///
///     remaining = e · (n − d) / d        (the job is expected to end at e · n / d)
///
/// This is the average-rate ETA of progress bars: tqdm's `format_meter` (tqdm/std.py) uses
/// `rate = n / elapsed` when no smoothed rate is given and `remaining = (total − n) / rate`.
/// For sequential parts (`sum`) of i.i.d. durations with mean `μ` the job ends at `n·μ` in
/// expectation, and `e / d` estimates `μ` (it is the mean of the `d` finished parts plus the
/// partial `d+1`-th part spread over them, so it errs high by at most one part in `d`); so
/// `e·(n − d)/d ≈ (n − d)·μ = E[remaining | d done]`. For parallel parts (`max`) the same
/// formula is exact in expectation when part durations are uniform on `[0, L]` (then
/// `d / n ≈ e / L`), and overestimates when parts have a floor (the seed's `1.5 s + U(0, 0.9) s`):
/// the arm shows what progress is worth there, it is not tuned to it.
///
/// **Rules.** First poll at `initial`. After a pending response:
/// 1. without progress, or with `done = 0` (no rate yet): exponential backoff, the k-th such
///    wait `min(maxInterval, initial · multiplier^k)` counted from the previous *send*, like the
///    backoff strategies (k = 1, 2, …);
/// 2. with `done ≥ 1`: wait `clamp(remaining, minInterval, maxInterval)` from the *receive*
///    instant (the progress describes the job at the server's answer);
/// 3. deadline: when the wait would reach past the deadline (`observation.remaining`), poll once
///    more just before it (`remaining · (1 − 1e-6)`, the last poll that can still detect, as
///    `OptimalSchedule` places its horizon), or, when less than `minInterval` is left, let the
///    poller end the trial at the deadline.
///
/// Defaults: initial 1 s, multiplier 2, minInterval 0.05 s, maxInterval 30 s (seconds in
/// workload time under a `time_scale`). Bounds of each wait in seconds: `[minInterval,
/// maxInterval]`, except the first poll (`initial`) and a last poll before the deadline.
public struct ProgressStrategy: PollingStrategy, Hashable {
    /// Seconds from start to the first poll, and the first fallback wait (> 0). Default 1.
    public var initial: Double
    /// Growth of the fallback wait before the first part is done (≥ 1). Default 2.
    public var multiplier: Double
    /// The floor of every wait after a progress report, seconds (≥ 0). Default 0.05.
    public var minInterval: Double
    /// The ceiling of every wait, seconds (≥ minInterval, > 0). Default 30.
    public var maxInterval: Double
    /// Fallback waits taken so far.
    private var fallbacks = 0

    /// - Throws: `PollingCoreError.invalidField` naming `initial` or `max_interval` (finite,
    ///   > 0), `multiplier` (finite, ≥ 1), `min_interval` (finite, ≥ 0, ≤ max_interval).
    public init(initial: Double = 1, multiplier: Double = 2, minInterval: Double = 0.05, maxInterval: Double = 30) throws {
        try StrategyParameter.positive(initial, "initial")
        try StrategyParameter.multiplier(multiplier, "multiplier")
        try StrategyParameter.nonNegative(minInterval, "min_interval")
        try StrategyParameter.positive(maxInterval, "max_interval")
        guard maxInterval >= minInterval else {
            throw PollingCoreError.invalidField("max_interval", "must be >= min_interval (\(minInterval)), got \(maxInterval)")
        }
        self.initial = initial
        self.multiplier = multiplier
        self.minInterval = minInterval
        self.maxInterval = maxInterval
    }

    /// The estimated seconds left, `elapsed · (total − done) / done`, or `nil` without a rate
    /// (`done` < 1, or a malformed report).
    /// - Parameters:
    ///   - progress: parts done of the total.
    ///   - elapsed: seconds since polling started, at the report.
    public static func estimatedRemaining(_ progress: JobProgress, elapsed: Double) -> Double? {
        guard progress.done >= 1, progress.total >= progress.done, elapsed.isFinite, elapsed >= 0 else { return nil }
        return elapsed * Double(progress.total - progress.done) / Double(progress.done)
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .clampedSeconds(initial))
    }

    public mutating func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        let from: Duration, wait: Double
        if let progress = observation.hint?.progress,
           let remaining = Self.estimatedRemaining(progress, elapsed: observation.received.seconds) {
            from = observation.received
            wait = min(max(remaining, minInterval), maxInterval)
        } else {
            fallbacks += 1
            from = observation.sent
            wait = BackoffMath.ceiling(initial: initial, multiplier: multiplier, cap: maxInterval, exponent: fallbacks)
        }
        if let left = observation.remaining?.seconds, (from - observation.received).seconds + wait >= left {
            guard left > minInterval else { return .poll(at: observation.received + .clampedSeconds(max(left, 0))) }
            return .poll(at: observation.received + .clampedSeconds(left * (1 - 1e-6)))
        }
        return .poll(at: from + .clampedSeconds(wait))
    }
}
