@testable import ExperimentKit
import PollingCore
import Testing

/// `learned` rebuilds its estimate and schedule only at fixed observation counts (ArmKnowledge's
/// refit rule): the minimum, doubling while below 1 000, then every 1 000.
@Suite struct RefitRuleTests {
    /// A detected trial whose job ran `seconds` (create at 0, one final poll).
    func trial(_ index: Int, seconds: Double) -> TrialRecord {
        let done = Int64(seconds * 1e9)
        return TrialRecord(arm: "learned", trialIndex: index, jobID: "j\(index)", jobSeed: UInt64(index), plannedDurationNanos: done,
                           startNanos: 0, doneNanos: done, detectNanos: done + 1, endNanos: done + 1, outcome: .completed,
                           calls: [CallRecord(sequence: 0, kind: .create, sentNanos: 0, receivedNanos: 0, httpStatus: 202, result: nil),
                                   CallRecord(sequence: 1, kind: .status, sentNanos: done + 1, receivedNanos: done + 1, httpStatus: 200, result: .completed)])
    }

    @Test func refitsAtTheMinimumDoublingBelowAThousandThenEveryThousand() throws {
        let configuration = StrategyConfiguration.learned(.init(weights: .init(hit: 1, efficiency: 1), minimumObservations: 10))
        var knowledge = try ArmKnowledge(configuration: configuration, job: JobParameters(baseDelay: 1.5, varDelay: 0.9),
                                         timeout: nil, minimum: 10)
        var refits: [Int] = []
        for i in 0..<3_500 {
            if let snapshot = knowledge.record(trial(i, seconds: 1.5 + 0.9 * Double(i % 97) / 97)) { refits.append(snapshot.count) }
        }
        #expect(refits == [10, 20, 40, 80, 160, 320, 640, 1_000, 2_000, 3_000])
        #expect((1...1_000).filter { ArmKnowledge.isRefitPoint(count: $0, minimum: 3) } == [3, 6, 12, 24, 48, 96, 192, 384, 768, 1_000])
        #expect((1...4_000).filter { ArmKnowledge.isRefitPoint(count: $0, minimum: 1_500) } == [2_000, 3_000, 4_000])
    }

    @Test func betweenRefitsTheLatestScheduleStays() throws {
        let configuration = StrategyConfiguration.learned(.init(weights: .init(hit: 1, efficiency: 1), minimumObservations: 10))
        var knowledge = try ArmKnowledge(configuration: configuration, job: JobParameters(baseDelay: 1.5, varDelay: 0.9),
                                         timeout: nil, minimum: 10)
        var offsetsAt: [Int: [Double]] = [:]
        for i in 0..<40 {
            try knowledge.learn(from: trial(i, seconds: 1.5 + 0.9 * Double((i * 37) % 40) / 40))
            guard let learned = knowledge.strategy as? LearnedStrategy, case .optimal(let s) = learned.mode else { continue }
            offsetsAt[i + 1] = s.offsets
        }
        // Exploring until 10 observations; the schedule of 10 stays through 19, that of 20 through 39.
        #expect(offsetsAt[9] == nil && offsetsAt[10] != nil)
        #expect((11...19).allSatisfy { offsetsAt[$0] == offsetsAt[10] })
        #expect(offsetsAt[20] != offsetsAt[19])
        #expect((21...39).allSatisfy { offsetsAt[$0] == offsetsAt[20] })
        #expect(offsetsAt[40] != offsetsAt[39])
    }
}
