import PollingCore
import Synchronization

/// The live runner's check that request latency stays small beside an arm's poll intervals.
///
/// `time_scale` shrinks every strategy time but not the round trip of a request, so a strongly
/// scaled arm can ask for polls closer together than the network can deliver them, and its
/// scores then measure the network rather than the strategy. For each arm (long polling
/// excluded: its requests are held on purpose) the check takes its first `sampleTrials` trials
/// that made at least two status calls and computes:
/// - the **round trip**: the median, over all their status calls, of `received − sent` (a status
///   call is the request the schedule spaces; injected server latency counts, as it should);
/// - the **poll interval**: the median, over those trials, of the first interval the strategy
///   asked for, `asked(2nd status call) − asked(1st)` (the scaled time it wanted between two
///   polls; for backoff the smallest one, and free of the machine's lateness).
/// When `interval < 20 × round trip` it returns one warning for that arm (once per arm) naming
/// the arm, both figures and the fix: raise `time_scale` (to at least the value that restores the
/// factor 20).
final class RoundTripCheck: Sendable {
    /// Round trips an interval must span: 20.
    static let factor = 20.0
    /// Trials per arm the figures are taken from: 5.
    static let sampleTrials = 5

    private struct ArmState {
        var roundTrips: [Double] = []
        var intervals: [Double] = []
        var decided = false
    }

    private let arms: [String]
    private let checked: [Bool]
    private let timeScale: Double
    private let state: Mutex<[ArmState]>

    /// - Parameters:
    ///   - arms: the arms' names, by index.
    ///   - longPoll: for each arm, whether it long-polls (not checked).
    ///   - timeScale: the experiment's `time_scale`, named in the warning.
    init(arms: [String], longPoll: [Bool], timeScale: Double) {
        self.arms = arms
        self.checked = longPoll.map { !$0 }
        self.timeScale = timeScale
        state = Mutex(Array(repeating: ArmState(), count: arms.count))
    }

    /// Adds a finished trial of arm `arm`; returns the arm's warning the first time its sample is
    /// complete and its interval is too short, else `nil`.
    func add(arm: Int, _ trial: TrialRecord) -> String? {
        guard checked[arm] else { return nil }
        let status = trial.calls.filter { $0.kind == .status }
        guard status.count >= 2, let first = status[0].askedNanos, let second = status[1].askedNanos else { return nil }
        let figures: (interval: Double, roundTrip: Double)? = state.withLock { states in
            guard !states[arm].decided else { return nil }
            states[arm].roundTrips += status.map { Double($0.receivedNanos - $0.sentNanos) / 1e9 }
            states[arm].intervals.append(Double(second - first) / 1e9)
            guard states[arm].intervals.count >= Self.sampleTrials else { return nil }
            states[arm].decided = true
            guard let interval = Statistics.percentile(sorted: states[arm].intervals.sorted(), 0.5),
                  let roundTrip = Statistics.percentile(sorted: states[arm].roundTrips.sorted(), 0.5) else { return nil }
            return (interval, roundTrip)
        }
        guard let figures, figures.interval < Self.factor * figures.roundTrip else { return nil }
        return Self.message(arm: arms[arm], interval: figures.interval, roundTrip: figures.roundTrip, timeScale: timeScale)
    }

    /// The warning text for one arm.
    static func message(arm: String, interval: Double, roundTrip: Double, timeScale: Double) -> String {
        let needed = interval > 0 ? timeScale * factor * roundTrip / interval : .infinity
        func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }
        return """
            arm '\(arm)': its first poll interval (median over its first \(sampleTrials) trials, time_scale \(timeScale)) is \
            \(ms(interval)), below \(Int(factor)) × the measured round trip \(ms(roundTrip)) (median status call, sent → \
            received) = \(ms(factor * roundTrip)): request latency does not scale with time_scale, so it distorts this arm's \
            scores; raise time_scale to at least \(needed.isFinite ? String(format: "%.3g", needed) : "a value that gives the arm a non-zero interval")
            """
    }
}
