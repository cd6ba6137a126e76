import Foundation

/// When the trials of an arm want to start: the `arrivals:` key of an experiment file.
///
/// Arrivals give the instant (from the start of the arm's timeline) at which trial `k` (in start
/// order, which is trial-index order) asks to start; the experiment's `concurrency` still caps the
/// trials in flight, so a trial that arrives while the cap is full waits for a slot, first come
/// first served, and its wait is recorded (`TrialRecord.waitNanos`, column `trial.wait_ns`).
/// Trial `i` of every arm arrives at the same instant (common random numbers, like the jobs).
///
/// YAML forms:
/// - `{pattern: herd}`: every trial at once, at 0 (the thundering herd after an outage);
/// - `{pattern: poisson, rate: R}`: a Poisson process of `R` arrivals per second; the gaps are
///   exponential with mean `1/R`, drawn by inversion (`−ln(1 − U)/R`) from a generator seeded with
///   `SeedDerivation.arrivalSeed(runSeed:)`; the first arrival is one gap after 0;
/// - `{pattern: bursts, size: K, every: S}`: `K` trials at 0, `K` more at `S` seconds, …
///   (trial `k` at `⌊k / K⌋ · S`).
public enum ArrivalPattern: Sendable, Hashable {
    /// Every trial at 0.
    case herd
    /// A Poisson process of `rate` arrivals per second (rate > 0).
    case poisson(rate: Double)
    /// `size` trials (≥ 1) every `every` seconds (≥ 0).
    case bursts(size: Int, every: Double)

    /// The pattern's name as written in `pattern:`.
    public var name: String {
        switch self {
        case .herd: return "herd"
        case .poisson: return "poisson"
        case .bursts: return "bursts"
        }
    }

    /// Checks the parameters.
    /// - Throws: `PollingCoreError.invalidField` naming `rate`, `size` or `every` and the range.
    public func validate() throws(PollingCoreError) {
        switch self {
        case .herd:
            break
        case .poisson(let rate):
            guard rate.isFinite, rate > 0 else {
                throw .invalidField("rate", "must be a finite number of arrivals per second > 0, got \(rate)")
            }
        case .bursts(let size, let every):
            guard size >= 1 else { throw .invalidField("size", "must be an integer >= 1 (trials per burst), got \(size)") }
            guard every.isFinite, every >= 0 else {
                throw .invalidField("every", "must be a finite number of seconds >= 0 between bursts, got \(every)")
            }
        }
    }

    /// The arrival instants in order, one at a time (constant memory whatever the trial count).
    /// - Parameter seed: the generator seed for `poisson` (ignored otherwise).
    public func stream(seed: UInt64) -> ArrivalStream {
        ArrivalStream(pattern: self, seed: seed)
    }
}

/// The arrival instants of an `ArrivalPattern`, trial 0 first. Deterministic for a given seed.
public struct ArrivalStream: Sendable {
    public let pattern: ArrivalPattern
    private var rng: SeededGenerator
    private var count = 0
    /// The Poisson process's last instant, seconds.
    private var last = 0.0

    init(pattern: ArrivalPattern, seed: UInt64) {
        self.pattern = pattern
        self.rng = SeededGenerator(seed: seed)
    }

    /// The next trial's arrival instant, from the start of the arm's timeline; non-decreasing.
    public mutating func next() -> Duration {
        defer { count += 1 }
        switch pattern {
        case .herd:
            return .zero
        case .poisson(let rate):
            last += -Foundation.log(1 - rng.unitInterval()) / rate
            return .clampedSeconds(last)
        case .bursts(let size, let every):
            return .clampedSeconds(Double(count / size) * every)
        }
    }
}

extension SeedDerivation {
    /// The seed of the arrival process (Poisson gaps) of a run: one stream shared by every arm,
    /// so trial `i` of every arm arrives at the same instant.
    public static func arrivalSeed(runSeed: UInt64) -> UInt64 {
        jobSeed(runSeed: runSeed ^ 0x4152_5256_414C_5300, trialIndex: -1)
    }
}
