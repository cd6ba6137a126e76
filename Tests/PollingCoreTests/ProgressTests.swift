import PollingCore
import Testing

/// Parts done of a composite job (`PartSchedule`, `PlannedJob.progress`) and the simulator's
/// progress reports; every expected value is computed by hand from the part durations.
@Suite struct ProgressTests {
    /// The seed's part model, 1.5 s + U(0, 0.9) s.
    static let seedPart = DurationSpec.seed(base: 1.5, variation: 0.9)

    /// The part durations of job seed `seed`, rebuilt from the generator alone (not through the
    /// code under test): the duration draw takes one 64-bit value from the job's generator and
    /// seeds a private generator with it; each seed part is then `1.5 + 0.9 · u` with
    /// `u = (next >> 11) · 2⁻⁵³`.
    static func seedParts(jobSeed: UInt64, count: Int) -> [Double] {
        var outer = SeededGenerator(seed: jobSeed)
        var sub = SeededGenerator(seed: outer.next())
        return (0..<count).map { _ in 1.5 + 0.9 * (Double(sub.next() >> 11) * 0x1.0p-53) }
    }

    @Test func fixedSequentialPartsFinishOneAfterAnother() {
        let job = PlannedJob.draw(JobParameters(duration: .parts(.init(count: 3, combine: .sum, part: .fixed(seconds: 2))), successRate: 1), seed: 7)
        #expect(job.duration == 6)
        #expect(job.parts?.ends == [2, 4, 6])
        let expected: [(Double, Int)] = [(0, 0), (1.999, 0), (2, 1), (3.5, 1), (4, 2), (5.999, 2), (6, 3), (100, 3)]
        for (age, done) in expected {
            #expect(job.progress(age: .seconds(age)) == JobProgress(done: done, total: 3), "age \(age)")
        }
    }

    @Test func fixedParallelPartsAllFinishTogether() {
        let job = PlannedJob.draw(JobParameters(duration: .parts(.init(count: 3, combine: .max, part: .fixed(seconds: 2))), successRate: 1), seed: 7)
        #expect(job.duration == 2)
        #expect(job.progress(age: .seconds(1.999)) == JobProgress(done: 0, total: 3))
        #expect(job.progress(age: .seconds(2)) == JobProgress(done: 3, total: 3))
    }

    @Test func seedPartsOfAGivenSeedSequential() {
        let parts = Self.seedParts(jobSeed: 42, count: 4)
        let ends = [parts[0], parts[0] + parts[1], parts[0] + parts[1] + parts[2], parts[0] + parts[1] + parts[2] + parts[3]]
        let params = JobParameters(duration: .parts(.init(count: 4, combine: .sum, part: Self.seedPart)), successRate: 0.8)
        let job = PlannedJob.draw(params, seed: 42)
        #expect(job.duration == ends[3])
        var rng = SeededGenerator(seed: 42)
        #expect(params.durationSpec.draw(using: &rng) == job.duration)  // the same draw as DurationSpec.draw
        #expect(job.parts?.ends == ends)
        // Just before and at each end.
        for (k, end) in ends.enumerated() {
            #expect(job.progress(age: .seconds(end - 1e-6))?.done == k)
            #expect(job.progress(age: .seconds(end))?.done == k + 1)
        }
        #expect(job.status(age: .seconds(ends[3] - 1e-6)) == .pending)
    }

    @Test func seedPartsOfAGivenSeedParallel() {
        let parts = Self.seedParts(jobSeed: 1234, count: 4)
        let job = PlannedJob.draw(JobParameters(duration: .parts(.init(count: 4, combine: .max, part: Self.seedPart)), successRate: 1), seed: 1234)
        #expect(job.duration == parts.max())
        let sorted = parts.sorted()
        #expect(job.parts?.ends == sorted)
        // Between the 2nd and 3rd part to finish: 2 done.
        #expect(job.progress(age: .seconds((sorted[1] + sorted[2]) / 2)) == JobProgress(done: 2, total: 4))
    }

    @Test func nonPartsJobsHaveNoProgress() {
        let job = PlannedJob.draw(JobParameters(duration: .exponential(mean: 3), successRate: 1), seed: 1)
        #expect(job.parts == nil)
        #expect(job.progress(age: .seconds(1)) == nil)
    }

    /// Polls every second and keeps the progress of every observation.
    struct RecordingStrategy: PollingStrategy {
        var seen: [JobProgress?] = []
        func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision { .poll(at: .zero) }
        mutating func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
            seen.append(observation.hint?.progress)
            return .poll(at: observation.sent + .seconds(1))
        }
    }

    /// The simulator's pending observations carry the progress at the instant the server
    /// answers: polls every 1 s (zero latency) on 3 sequential parts of 1.5 s (ends 1.5, 3, 4.5).
    @Test func simulatorReportsProgressOnPendingPolls() {
        let params = JobParameters(duration: .parts(.init(count: 3, combine: .sum, part: .fixed(seconds: 1.5))), successRate: 1)
        var strategy = RecordingStrategy()
        var rng = SeededGenerator(seed: 1), network = SeededGenerator(seed: 2)
        let record = TrialSimulator(reportsProgress: true).run(arm: "a", trialIndex: 0, jobSeed: 3, parameters: params,
                                                               strategy: &strategy, using: &rng, network: &network)
        #expect(record.calls.filter { $0.kind == .status }.count == 6)  // 0, 1, 2, 3, 4 pending; 5 detects
        #expect(strategy.seen == [0, 0, 1, 2, 2].map { JobProgress(done: $0, total: 3) })
        var blind = RecordingStrategy()
        _ = TrialSimulator().run(arm: "a", trialIndex: 0, jobSeed: 3, parameters: params,
                                 strategy: &blind, using: &rng, network: &network)
        #expect(blind.seen == [nil, nil, nil, nil, nil])  // without `progress: true`, none
    }

    @Test func progressStrategyReachesTheJobThroughTheSimulator() throws {
        // 4 sequential parts of 2 s: first poll at 1 s (nothing done: back off to 1 + 2 = 3 s), at
        // 3 s one part done → ends at 3 · 4 / 1 = 12 s; at 12 s pending? No: ends 2, 4, 6, 8,
        // so the poll at 12 s detects. Three polls.
        let params = JobParameters(duration: .parts(.init(count: 4, combine: .sum, part: .fixed(seconds: 2))), successRate: 1)
        var strategy: any PollingStrategy = try ProgressStrategy(initial: 1, multiplier: 2, minInterval: 0.05, maxInterval: 30)
        var rng = SeededGenerator(seed: 1), network = SeededGenerator(seed: 2)
        let record = TrialSimulator(reportsProgress: true).run(arm: "p", trialIndex: 0, jobSeed: 3, parameters: params,
                                                               strategy: &strategy, using: &rng, network: &network)
        let sent = record.calls.filter { $0.kind == .status }.map { Double($0.sentNanos) / 1e9 }
        #expect(sent == [1, 3, 12])
    }
}

/// `ProgressStrategy`'s estimator and rules on hand-computed cases.
@Suite struct ProgressStrategyTests {
    func observation(sent: Double, received: Double, progress: JobProgress?, remaining: Double? = nil) -> PollObservation {
        PollObservation(attempt: 0, sent: .seconds(sent), received: .seconds(received), status: .pending,
                        hint: progress.map { ServerHint(progress: $0) }, remaining: remaining.map { .seconds($0) })
    }

    @Test func estimatorIsElapsedTimesPartsLeftOverPartsDone() {
        // 1 of 4 done after 2 s: 2 s a part, 3 parts left → 6 s.
        #expect(ProgressStrategy.estimatedRemaining(.init(done: 1, total: 4), elapsed: 2) == 6)
        // 3 of 4 after 7.5 s: 2.5 s a part, 1 left → 2.5 s.
        #expect(ProgressStrategy.estimatedRemaining(.init(done: 3, total: 4), elapsed: 7.5) == 2.5)
        #expect(ProgressStrategy.estimatedRemaining(.init(done: 4, total: 4), elapsed: 9) == 0)
        #expect(ProgressStrategy.estimatedRemaining(.init(done: 0, total: 4), elapsed: 9) == nil)  // no rate yet
        #expect(ProgressStrategy.estimatedRemaining(.init(done: 5, total: 4), elapsed: 9) == nil)  // malformed
    }

    @Test func pollsWhenTheJobShouldBeDone() throws {
        var s = try ProgressStrategy(initial: 1, multiplier: 2, minInterval: 0.05, maxInterval: 30)
        var rng = SeededGenerator(seed: 0)
        #expect(s.firstPoll(using: &rng) == .poll(at: .seconds(1)))
        // 2 of 5 done at 4.1 s (answer received; sent at 4): ends at 4.1 · 5 / 2 = 10.25 s.
        #expect(s.nextPoll(after: observation(sent: 4, received: 4.1, progress: .init(done: 2, total: 5)), using: &rng)
                == .poll(at: .seconds(4.1) + .seconds(4.1 * 3 / 2)))
    }

    @Test func floorAndCeiling() throws {
        var s = try ProgressStrategy(initial: 1, multiplier: 2, minInterval: 0.5, maxInterval: 3)
        var rng = SeededGenerator(seed: 0)
        // 9 of 10 after 1 s: 0.111 s left, raised to the floor 0.5.
        #expect(s.nextPoll(after: observation(sent: 1, received: 1, progress: .init(done: 9, total: 10)), using: &rng) == .poll(at: .seconds(1.5)))
        // 1 of 10 after 1 s: 9 s left, cut to the ceiling 3.
        #expect(s.nextPoll(after: observation(sent: 1, received: 1, progress: .init(done: 1, total: 10)), using: &rng) == .poll(at: .seconds(4)))
    }

    @Test func backsOffFromTheSendUntilAPartIsDone() throws {
        var s = try ProgressStrategy(initial: 1, multiplier: 2, minInterval: 0.05, maxInterval: 5)
        var rng = SeededGenerator(seed: 0)
        // No progress field, then 0 done: waits 2, 4 from the send, then 5 (the cap).
        #expect(s.nextPoll(after: observation(sent: 1, received: 1.2, progress: nil), using: &rng) == .poll(at: .seconds(3)))
        #expect(s.nextPoll(after: observation(sent: 3, received: 3.2, progress: .init(done: 0, total: 4)), using: &rng) == .poll(at: .seconds(7)))
        #expect(s.nextPoll(after: observation(sent: 7, received: 7.2, progress: nil), using: &rng) == .poll(at: .seconds(12)))
    }

    @Test func lastPollJustBeforeTheDeadline() throws {
        var s = try ProgressStrategy(initial: 1, multiplier: 2, minInterval: 0.05, maxInterval: 30)
        var rng = SeededGenerator(seed: 0)
        // 1 of 4 after 2 s wants 6 s more, but only 3 s are left: one last poll at 2 + 3 · (1 − 1e-6).
        #expect(s.nextPoll(after: observation(sent: 2, received: 2, progress: .init(done: 1, total: 4), remaining: 3), using: &rng)
                == .poll(at: .seconds(2) + .seconds(3 * (1 - 1e-6))))
        // Less than the floor left: the poll lands on the deadline, so the poller ends the trial there.
        #expect(s.nextPoll(after: observation(sent: 5, received: 5, progress: .init(done: 1, total: 4), remaining: 0.01), using: &rng)
                == .poll(at: .seconds(5) + .seconds(0.01)))
        // Enough time: the deadline changes nothing.
        #expect(s.nextPoll(after: observation(sent: 2, received: 2, progress: .init(done: 1, total: 4), remaining: 100), using: &rng)
                == .poll(at: .seconds(8)))
    }

    @Test func refusesBadParameters() {
        #expect(throws: PollingCoreError.invalidField("initial", "must be a finite number of seconds > 0, got 0.0")) { try ProgressStrategy(initial: 0) }
        #expect(throws: PollingCoreError.self) { try ProgressStrategy(multiplier: 0.5) }
        #expect(throws: PollingCoreError.self) { try ProgressStrategy(minInterval: 5, maxInterval: 1) }
    }

    @Test func timeScaleAndClampingKeepProgress() {
        let hint = ServerHint(retryAfter: .seconds(100), eta: .seconds(0.3), progress: .init(done: 1, total: 2))
        let clamped = RetryPolicy().clamped(hint)
        #expect(clamped.progress == JobProgress(done: 1, total: 2))
        #expect(clamped.eta == .seconds(0.3))
        var scaled = TimeScaledStrategy(ProgressTests.RecordingStrategy(), scale: 0.1)
        var rng = SeededGenerator(seed: 0)
        _ = scaled.nextPoll(after: observation(sent: 1, received: 1, progress: .init(done: 1, total: 2)), using: &rng)
        #expect((scaled.base as? ProgressTests.RecordingStrategy)?.seen == [JobProgress(done: 1, total: 2)])
    }
}
