import Synchronization

/// The trials of a live run, handed out in order to a pool of workers without ever listing
/// them: memory stays constant whatever `trials` is (an experiment may ask for 10 000 000
/// trials per arm).
///
/// Order: trial 0 of every arm, then trial 1 of every arm, … (index-major), so that every arm
/// meets the same load. Pairs for which `isDone` holds (trials already stored by the run being
/// resumed) are skipped.
final class TrialQueue: Sendable {
    /// One trial to run: the arm's position in the experiment and the trial index.
    struct Item: Sendable, Equatable {
        var arm: Int
        var index: Int
    }

    /// How many trials the queue hands out in all (`arms × trials − skipped`).
    let total: Int
    private let arms: Int
    private let trials: Int
    private let isDone: @Sendable (_ arm: Int, _ index: Int) -> Bool
    /// The next (index-major) position to look at, and how many items were handed out.
    private let cursor = Mutex((position: 0, taken: 0))
    private let done = Mutex(0)

    /// - Parameters:
    ///   - arms: the number of arms (≥ 0).
    ///   - trials: the number of trials per arm (≥ 0).
    ///   - skipped: how many (arm, index) pairs `isDone` holds for; `total` is `arms × trials −
    ///     skipped` (saturating at 0).
    ///   - isDone: whether trial `index` of arm `arm` is already stored and must be skipped.
    init(arms: Int, trials: Int, skipping skipped: Int = 0,
         isDone: @escaping @Sendable (_ arm: Int, _ index: Int) -> Bool = { _, _ in false }) {
        self.arms = max(0, arms)
        self.trials = max(0, trials)
        let (all, overflow) = self.arms.multipliedReportingOverflow(by: self.trials)
        self.total = max(0, (overflow ? Int.max : all) - skipped)
        self.isDone = isDone
    }

    /// The next trial to run and its start ordinal (0 for the first trial handed out, 1 for the
    /// next, …), or `nil` when every trial has been taken.
    func take() -> (Item, Int)? {
        cursor.withLock { cursor in
            while arms > 0 {
                let item = Item(arm: cursor.position % arms, index: cursor.position / arms)
                guard item.index < trials else { return nil }
                cursor.position += 1
                if isDone(item.arm, item.index) { continue }
                defer { cursor.taken += 1 }
                return (item, cursor.taken)
            }
            return nil
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
