import Testing
import PollingCore
import TraceStore
@testable import ExperimentKit

/// The live runner's queue of (arm, trial) pairs (issue 10 item 11): handed out in index-major
/// order, resumed pairs skipped, and never listed up front.
@Suite struct TrialQueueTests {
    @Test func handsOutTrialsIndexMajorAndSkipsStoredOnes() {
        // 2 arms × 3 trials; arm 1's trial 0 and arm 0's trial 2 are already stored.
        let stored: Set<[Int]> = [[1, 0], [0, 2]]
        let queue = TrialQueue(arms: 2, trials: 3, skipping: 2) { arm, index in stored.contains([arm, index]) }
        #expect(queue.total == 4)
        var taken: [TrialQueue.Item] = []
        var ordinals: [Int] = []
        while let (item, ordinal) = queue.take() {
            taken.append(item)
            ordinals.append(ordinal)
        }
        #expect(taken == [.init(arm: 0, index: 0), .init(arm: 0, index: 1), .init(arm: 1, index: 1), .init(arm: 1, index: 2)])
        #expect(ordinals == [0, 1, 2, 3])
        #expect(queue.take() == nil)
    }

    /// Listing 3 × 10¹² pairs up front (what the runner did) needs tens of terabytes; the queue
    /// needs none, so this returns at once.
    @Test func aHugeRunIsNeverListed() {
        let queue = TrialQueue(arms: 3, trials: 1_000_000_000_000)
        #expect(queue.total == 3_000_000_000_000)
        let first = (0..<4).compactMap { _ in queue.take()?.0 }
        #expect(first == [.init(arm: 0, index: 0), .init(arm: 1, index: 0), .init(arm: 2, index: 0), .init(arm: 0, index: 1)])
    }

    @Test func finishedTrialsAreCounted() {
        let queue = TrialQueue(arms: 1, trials: 2)
        #expect(queue.complete() == 1)
        #expect(queue.complete() == 2)
        #expect(queue.completed == 2)
    }
}

/// Arrival instants handed out with the trials.
@Suite struct TrialQueueArrivalTests {
    /// Bursts of 2 every 1 s, 2 arms, trial 1 of arm 0 already stored: trial i of every arm gets
    /// the i-th instant (⌊i / 2⌋ s), skipped trials included in the count.
    @Test func trialIndexGetsItsArrival() {
        let queue = TrialQueue(arms: 2, trials: 4, skipping: 1,
                               arrivals: ArrivalPattern.bursts(size: 2, every: 1).stream(seed: 0)) { arm, index in
            arm == 0 && index == 1
        }
        var got: [String] = []
        while let (item, _, arrival) = queue.takeArriving() {
            got.append("\(item.arm)/\(item.index)@\(arrival?.seconds ?? -1)")
        }
        #expect(got == ["0/0@0.0", "1/0@0.0", "1/1@0.0", "0/2@1.0", "1/2@1.0", "0/3@1.0", "1/3@1.0"])
    }
}

/// A sharded live run hands out only its shard's trial indexes, index-major.
@Suite struct ShardedTrialQueueTests {
    @Test func handsOutTheShardsIndexesOnly() throws {
        // 2 arms × 10 trials, shard 1/3: indexes 1, 4, 7; arm 0's trial 4 is already stored.
        let queue = TrialQueue(arms: 2, trials: 10, shard: try RunShard(index: 1, count: 3), skipping: 1) { arm, index in
            arm == 0 && index == 4
        }
        #expect(queue.total == 5)
        var taken: [TrialQueue.Item] = []
        while let (item, _) = queue.take() { taken.append(item) }
        #expect(taken == [.init(arm: 0, index: 1), .init(arm: 1, index: 1), .init(arm: 1, index: 4),
                          .init(arm: 0, index: 7), .init(arm: 1, index: 7)])
    }
}

extension ShardedTrialQueueTests {
    /// Bursts of 2 every 1 s, shard 1/3 of 9 trials: trial i arrives at the whole run's i-th
    /// instant, ⌊i / 2⌋ s (1 → 0 s, 4 → 2 s, 7 → 3 s), though the shard never runs the others.
    @Test func aShardsTrialKeepsTheWholeRunsArrival() throws {
        let queue = TrialQueue(arms: 1, trials: 9, shard: try RunShard(index: 1, count: 3),
                               arrivals: ArrivalPattern.bursts(size: 2, every: 1).stream(seed: 0))
        var got: [String] = []
        while let (item, _, arrival) = queue.takeArriving() {
            got.append("\(item.index)@\(arrival?.seconds ?? -1)")
        }
        #expect(got == ["1@0.0", "4@2.0", "7@3.0"])
    }
}
