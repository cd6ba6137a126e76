@testable import ExperimentKit
import PollingCore
import Testing

/// `learned`'s evidence from a trial that timed out: the job was pending at its last pending
/// poll, nothing more (issue 11 item 4).
@Suite struct CensoringTests {
    func call(_ seq: Int, _ sent: Double, _ received: Double, _ result: JobStatus?, kind: CallKind = .status) -> CallRecord {
        CallRecord(sequence: seq, kind: kind, sentNanos: Int64(sent * 1e9), receivedNanos: Int64(received * 1e9),
                   httpStatus: result == nil ? 503 : 200, result: result)
    }

    @Test func aTimedOutTrialIsCensoredAtItsLastPendingPollNotAtTheDeadline() {
        // Create sent at 0, answered at 0.002 (anchor 0.001); pending at 5 s, a failed call at 9 s,
        // deadline 16 s: all we know is T > 5 − 0.001.
        let trial = TrialRecord(arm: "learned", trialIndex: 0, jobID: "j1", jobSeed: 1, plannedDurationNanos: 20_000_000_000,
                                startNanos: 2_000_000, doneNanos: nil, detectNanos: nil, endNanos: 16_000_000_000,
                                outcome: .timedOut, calls: [call(0, 0, 0.002, nil, kind: .create), call(1, 1, 1.001, .pending),
                                                            call(2, 5, 5.001, .pending), call(3, 9, 9.001, nil)])
        #expect(ArmKnowledge.observation(from: trial) == .rightCensored(after: 5 - 0.001))
        // With a time scale of 0.5 the same trial says T > (5 − 0.001)/0.5 workload seconds.
        #expect(ArmKnowledge.observation(from: trial, scale: 0.5) == .rightCensored(after: (5 - 0.001) / 0.5))
    }

    @Test func aTrialWithNoPendingAnswerIsCensoredAtZero() {
        let trial = TrialRecord(arm: "learned", trialIndex: 0, jobID: "j1", jobSeed: 1, plannedDurationNanos: 1,
                                startNanos: 0, doneNanos: nil, detectNanos: nil, endNanos: 3_000_000_000,
                                outcome: .timedOut, calls: [call(0, 0, 0, nil, kind: .create), call(1, 1, 1.5, nil)])
        #expect(ArmKnowledge.observation(from: trial) == .rightCensored(after: 0))
    }
}
