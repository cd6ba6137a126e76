import Logging
import PollingCore
import Synchronization

/// The lateness of a live run's status calls (seconds, as `CallLateness` defines it), collected
/// as trials finish, and the warning the runner prints when its p99 exceeds `threshold`.
final class LatenessLog: Sendable {
    /// The p99 lateness above which the runner warns: 10 ms.
    static let threshold = 0.010
    private let values = Mutex<[Double]>([])

    /// Adds the lateness of every status call of `trial` that has an asked instant.
    func add(_ trial: TrialRecord) {
        let late = CallLateness.seconds(trial.calls)
        values.withLock { $0.append(contentsOf: late) }
    }

    /// (p50, p99) in seconds (Hyndman–Fan type 7), or `nil` without calls.
    var percentiles: (p50: Double, p99: Double)? {
        let sorted = values.withLock { $0 }.sorted()
        guard let p50 = Statistics.percentile(sorted: sorted, 0.5), let p99 = Statistics.percentile(sorted: sorted, 0.99) else {
            return nil
        }
        return (p50, p99)
    }

    /// Logs a warning naming the cause when p99 lateness exceeds `threshold`.
    func warnIfLate(concurrency: Int, logger: Logger) {
        guard let (p50, p99) = percentiles, p99 > Self.threshold else { return }
        logger.warning("""
            polls went out late: p99 lateness \(String(format: "%.1f", p99 * 1000)) ms (p50 \(String(format: "%.1f", p50 * 1000)) ms) \
            exceeds \(Int(Self.threshold * 1000)) ms: concurrency \(concurrency) is too high for this machine; lower `concurrency` \
            or spread starts with `ramp_up` (per arm: analyze summary, columns late p50/p99 ms)
            """)
    }
}
