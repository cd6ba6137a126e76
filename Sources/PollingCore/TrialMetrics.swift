/// The per-trial metrics of DESIGN.md, computed from one trial's instants.
///
/// - delay = `detect - max(done, start)` seconds (≥ 0, clamped so that sub-microsecond
///   anchor error never makes it negative);
/// - ER (efficiency ratio, seed definition) = `delay / (detect - start)`; 1 without detection;
/// - per-trial HR = `1 / n` when detected, else 0.
public struct TrialMetrics: Sendable, Hashable {
    public var startNanos: Int64
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

    /// Detection delay in seconds, `nil` without detection.
    public var delay: Double? {
        guard let detect = detectNanos else { return nil }
        let reference = max(doneNanos ?? startNanos, startNanos)
        return Double(max(0, detect - reference)) / 1e9
    }

    /// Efficiency ratio in [0, 1]; 1 for a trial without detection (all its waiting was wasted).
    public var efficiencyRatio: Double {
        guard let detect = detectNanos, let delay else { return 1 }
        let span = Double(detect - startNanos) / 1e9
        return span > 0 ? min(1, delay / span) : 0
    }

    /// Per-trial hit rate: `1/n` when detected, 0 otherwise.
    public var hitRate: Double { detected && tries > 0 ? 1 / Double(tries) : 0 }

    /// `wi · HR − wj · ER` for this trial (the per-trial score).
    public func score(wi: Double, wj: Double) -> Double { wi * hitRate - wj * efficiencyRatio }
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
