import PollingCore
import Synchronization
import TraceStore

/// The trials of a live run, handed out in order to a pool of workers without ever listing
/// them: memory stays constant whatever `trials` is (an experiment may ask for 10 000 000
/// trials per arm).
///
/// Order: trial 0 of every arm, then trial 1 of every arm, … (index-major), so that every arm
/// meets the same load. Pairs for which `isDone` holds (trials already stored by the run being
/// resumed) are skipped. With a shard `K/N`, only the trial indexes K, K + N, K + 2N, … below
/// `trials` are handed out, in that order.
///
/// With an arrival pattern, each item comes with its arrival instant: trial `i` of every arm
/// arrives at the `i`-th instant of the pattern's stream (drawn in order, one at a time, under
/// the queue's lock, so it stays deterministic whichever worker asks).
final class TrialQueue: Sendable {
    /// One trial to run: the arm's position in the experiment and the trial index.
    struct Item: Sendable, Equatable {
        var arm: Int
        var index: Int
    }

    /// How many trials the queue hands out in all (`arms × trials − skipped`).
    let total: Int
    private let arms: Int
    /// Trials per arm handed out (the shard's part of `trials`).
    private let trials: Int
    private let shard: RunShard?
    private let isDone: @Sendable (_ arm: Int, _ index: Int) -> Bool
    /// The next (index-major) position to look at, and how many items were handed out.
    private let cursor = Mutex((position: 0, taken: 0))
    /// The arrival stream and the instant of trial index `index` (the last one drawn).
    private let arrivals: Mutex<(stream: ArrivalStream, index: Int, instant: Duration)?>
    private let done = Mutex(0)

    /// - Parameters:
    ///   - arms: the number of arms (≥ 0).
    ///   - trials: the number of trials per arm (≥ 0).
    ///   - shard: hand out only this shard's trial indexes; default `nil`, all.
    ///   - skipped: how many (arm, index) pairs `isDone` holds for (within the shard); `total` is
    ///     `arms × (the shard's part of) trials − skipped` (saturating at 0).
    ///   - isDone: whether trial `index` of arm `arm` is already stored and must be skipped.
    ///   - arrivals: the arrival stream, if the experiment has an arrival pattern; a shard's
    ///     trial `i` still arrives at the stream's `i`-th instant.
    init(arms: Int, trials: Int, shard: RunShard? = nil, skipping skipped: Int = 0, arrivals: ArrivalStream? = nil,
         isDone: @escaping @Sendable (_ arm: Int, _ index: Int) -> Bool = { _, _ in false }) {
        self.arrivals = Mutex(arrivals.map { ($0, -1, .zero) })
        self.arms = max(0, arms)
        self.trials = shard?.trialCount(of: max(0, trials)) ?? max(0, trials)
        self.shard = shard
        let (all, overflow) = self.arms.multipliedReportingOverflow(by: self.trials)
        self.total = max(0, (overflow ? Int.max : all) - skipped)
        self.isDone = isDone
    }

    /// The next trial to run and its start ordinal (0 for the first trial handed out, 1 for the
    /// next, …), or `nil` when every trial has been taken.
    func take() -> (Item, Int)? {
        takeArriving().map { ($0.item, $0.ordinal) }
    }

    /// The next trial to run, its start ordinal and its arrival instant (from the run's start;
    /// `nil` without an arrival pattern), or `nil` when every trial has been taken.
    func takeArriving() -> (item: Item, ordinal: Int, arrival: Duration?)? {
        cursor.withLock { cursor -> (item: Item, ordinal: Int, arrival: Duration?)? in
            while arms > 0 {
                let ordinal = cursor.position / arms
                guard ordinal < trials else { return nil }
                let item = Item(arm: cursor.position % arms, index: shard?.trialIndex(ordinal: ordinal) ?? ordinal)
                cursor.position += 1
                if isDone(item.arm, item.index) { continue }
                defer { cursor.taken += 1 }
                return (item, cursor.taken, arrival(of: item.index))
            }
            return nil
        }
    }

    /// The arrival instant of trial index `index` (indices asked for in non-decreasing order).
    private func arrival(of index: Int) -> Duration? {
        arrivals.withLock { state -> Duration? in
            guard var current = state else { return nil }
            while current.index < index {
                current.instant = current.stream.next()
                current.index += 1
            }
            state = current
            return current.instant
        }
    }

    /// Counts a finished trial; returns how many have finished.
    func complete() -> Int {
        done.withLock { done in
            done += 1
            return done
        }
    }

    /// How many trials have finished.
    var completed: Int { done.withLock { $0 } }
}
