/// The per-trial metrics of DESIGN.md, computed from one trial's instants.
///
/// - delay = `detect - max(done, start)` seconds (≥ 0, clamped so that sub-microsecond
///   anchor error never makes it negative); `nil` without detection or without ground truth;
/// - ER (efficiency ratio, seed definition) = `delay / (detect - start)`; 1 without detection;
///   `nil` for a detected trial without ground truth (`GroundTruth`: no acceptable `run_time`);
/// - per-trial HR = `1 / n` when detected, else 0.
public struct TrialMetrics: Sendable, Hashable {
    public var startNanos: Int64
    /// The true completion instant; `nil` when unknown (undetected, or no ground truth).
    public var doneNanos: Int64?
    public var detectNanos: Int64?
    /// Number of status calls.
    public var tries: Int

    public init(startNanos: Int64, doneNanos: Int64?, detectNanos: Int64?, tries: Int) {
        self.startNanos = startNanos
        self.doneNanos = doneNanos
        self.detectNanos = detectNanos
        self.tries = tries
    }

    /// `true` when a final status was seen.
    public var detected: Bool { detectNanos != nil }

    /// `true` for a detected trial whose true completion instant is unknown.
    public var lacksGroundTruth: Bool { detected && doneNanos == nil }

    /// Detection delay in seconds; `nil` without detection or without ground truth.
    public var delay: Double? {
        guard let detect = detectNanos, let done = doneNanos else { return nil }
        return Double(max(0, detect - max(done, startNanos))) / 1e9
    }

    /// Efficiency ratio in [0, 1]; 1 for a trial without detection (all its waiting was wasted);
    /// `nil` for a detected trial without ground truth.
    public var efficiencyRatio: Double? {
        guard let detect = detectNanos else { return 1 }
        guard let delay else { return nil }
        let span = Double(detect - startNanos) / 1e9
        return span > 0 ? min(1, delay / span) : 0
    }

    /// Per-trial hit rate: `1/n` when detected, 0 otherwise.
    public var hitRate: Double { detected && tries > 0 ? 1 / Double(tries) : 0 }

    /// `wi · HR − wj · ER` for this trial (the per-trial score); `nil` when ER is.
    public func score(wi: Double, wj: Double) -> Double? { efficiencyRatio.map { wi * hitRate - wj * $0 } }
}

/// In-memory sink for tests and simulations that do not need a database.
public actor InMemoryTraceSink: TraceSink {
    /// Every trial recorded so far, in arrival order.
    public private(set) var trials: [TrialRecord] = []

    public init() {}

    public func record(_ trial: TrialRecord) async throws {
        trials.append(trial)
    }
}
