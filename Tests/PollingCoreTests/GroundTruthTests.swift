import PollingCore
import Testing

/// Issue 10, item 3: saturating time arithmetic and the `run_time` ground-truth rule.
@Suite struct GroundTruthTests {
    /// Create call sent at 0, answered at 10 ms (anchor 5 ms, half trip 5 ms); detection at 1 s.
    static func truth(_ runTime: Double?) -> Duration? {
        GroundTruth.completion(runTime: runTime, createSent: .zero, createReceived: .milliseconds(10),
                               detect: .seconds(1))
    }

    @Test func anAcceptableRunTimeIsPlacedAtTheAnchor() {
        #expect(Self.truth(0.5) == .milliseconds(505))
        #expect(Self.truth(0) == .milliseconds(5))
        // The bound: anchor + run_time ≤ detect + half trip = 1.005 s, i.e. run_time ≤ 1 s.
        #expect(Self.truth(1.0) == .milliseconds(1005))
        #expect(Self.truth(1.001) == nil)
    }

    @Test func unusableRunTimesGiveNoGroundTruth() {
        #expect(Self.truth(nil) == nil)
        #expect(Self.truth(1e30) == nil)      // would put completion ~10¹² s after detection
        #expect(Self.truth(-5) == nil)        // would put completion before creation
        #expect(Self.truth(.nan) == nil)
        #expect(Self.truth(.infinity) == nil)
    }

    /// A recorded instant saturates instead of wrapping: 10 ns + 10¹² s is Int64.max, where
    /// `origin &+ …` used to give a negative instant.
    @Test func offsetsSaturateAtInt64Bounds() {
        #expect(Int64(10).advanced(by: .clampedSeconds(1e30)) == .max)
        #expect(Int64(-10).advanced(by: .clampedSeconds(-1e30)) == .min)
        #expect(Int64(10).advanced(by: .milliseconds(2)) == 2_000_010)
        let trace = PollTrace(calls: [PolledCall(attempt: 0, sent: .zero, received: .seconds(1), httpStatus: 200,
                                                 status: .completed)],
                              outcome: .completed, errorCode: nil, finalResponse: nil, end: .seconds(1))
        let record = TrialRecord(trial: ("a", 0, 1), plannedDuration: 1, origin: 10, createSent: .zero,
                                 start: .zero, done: .clampedSeconds(1e30), jobID: "j", trace: trace)
        #expect(record.doneNanos == .max)
    }

    /// A detected trial without ground truth keeps its outcome and calls, and gets its own code.
    @Test func aDetectedTrialWithoutTruthCarriesItsOwnCode() {
        let trace = PollTrace(calls: [PolledCall(attempt: 0, sent: .zero, received: .seconds(1), httpStatus: 200,
                                                 status: .completed)],
                              outcome: .completed, errorCode: nil, finalResponse: nil, end: .seconds(1))
        let record = TrialRecord(trial: ("a", 0, 1), plannedDuration: 1, origin: 0, createSent: .zero,
                                 start: .milliseconds(10), done: nil, jobID: "j", trace: trace)
        #expect(record.outcome == .completed)
        #expect(record.errorCode == "no_ground_truth")
        #expect(record.tries == 1)
        #expect(record.metrics.delay == nil)
        #expect(record.metrics.efficiencyRatio == nil)
    }
}
