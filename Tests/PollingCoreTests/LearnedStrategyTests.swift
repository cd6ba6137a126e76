import PollingCore
import Testing

@Suite struct LearnedStrategyTests {
    @Test func optimalStrategyFollowsTheScheduleThenTheFallback() {
        let s = OptimalStrategy(offsets: [1.8, 2.1, 2.4])
        #expect(s.fallbackInterval == 2.4 - 2.1)
        expectClose(schedule(s, polls: 5), [1.8, 2.1, 2.4, 2.7, 3.0], tolerance: 1e-9)
        // A single poll falls back to a tenth of it.
        expectClose(schedule(OptimalStrategy(offsets: [2.4]), polls: 3), [2.4, 2.64, 2.88], tolerance: 1e-9)
    }

    @Test func optimalStrategySkipsScheduledInstantsOvertakenByLatency() {
        var s = OptimalStrategy(offsets: [1, 1.2, 1.4, 2])
        var rng = SeededGenerator(seed: 1)
        // Poll 0 was sent late, at 1.3 s: the next is the first instant after its send, 1.4 s.
        let late = PollObservation(attempt: 0, sent: .milliseconds(1300), received: .milliseconds(1500), status: .pending)
        guard case .poll(let next) = s.nextPoll(after: late, using: &rng) else { Issue.record("stopped"); return }
        #expect(abs(next.seconds - 1.4) < 1e-9)
    }

    @Test func optimalStrategyNeverPollsBeforeTheSupport() throws {
        let schedule = try OptimalSchedule(distribution: .uniform(0.6, 2.4), weights: .init(hit: 1, efficiency: 2))
        var s = OptimalStrategy(schedule: schedule)
        var rng = SeededGenerator(seed: 1)
        guard case .poll(let first) = s.firstPoll(using: &rng) else { Issue.record("stopped"); return }
        #expect(first.seconds >= 0.6 && first.seconds < 2.4)
    }

    @Test func estimatorWithExactDataIsTheEmpiricalDistribution() {
        var e = DurationEstimator()
        for t in [1.0, 2.0, 2.0, 3.0] { e.add(.exact(t)) }
        let d = e.estimate().distribution!
        #expect(abs(d.cdf(1) - 0.25) < 1e-12 && abs(d.cdf(2) - 0.75) < 1e-12 && d.cdf(3) == 1)
        #expect(abs(d.mean - 2) < 1e-12)
    }

    @Test func estimatorWithRightCensoringIsKaplanMeier() {
        // Exact 1, 3; censored at 2 (T > 2); exact 4. KM: S(1) = 3/4; at 3: 1 at risk of... risk
        // set {3, 4} → S(3) = 3/4 · 1/2 = 3/8; S(4) = 0. Masses: 1/4 at 1, 3/8 at 3, 3/8 at 4.
        var e = DurationEstimator()
        e.add(.exact(1)); e.add(.rightCensored(after: 2)); e.add(.exact(3)); e.add(.exact(4))
        let d = e.estimate().distribution!
        #expect(abs(d.cdf(1) - 0.25) < 1e-8)
        #expect(abs(d.cdf(2.5) - 0.25) < 1e-8)
        #expect(abs(d.cdf(3) - 0.625) < 1e-8)
        #expect(abs(d.cdf(4) - 1) < 1e-8)
    }

    @Test func kaplanMeierKeepsACensoredTieAtRiskAndPutsTheTailAtTheLastCensoring() {
        // Exact 2, censored at 2 (T > 2), exact 3, censored at 5. At 2: 4 at risk, mass 1/4.
        // At 3: the censored 2 left, risk set {3, 5}: S = 3/4 · 1/2, mass 3/8. Left: 3/8, placed
        // at the last censoring instant 5 (all we know is T > 5).
        var e = DurationEstimator()
        e.add(.exact(2)); e.add(.rightCensored(after: 2)); e.add(.exact(3)); e.add(.rightCensored(after: 5))
        let d = e.estimate().distribution!
        #expect(abs(d.cdf(2) - 0.25) < 1e-12)
        #expect(abs(d.cdf(3) - 0.625) < 1e-12)
        #expect(abs(d.cdf(4.99) - 0.625) < 1e-12 && d.cdf(5) == 1)
        // Everything censored: one point mass at the largest censoring instant.
        var censored = DurationEstimator()
        censored.add(.rightCensored(after: 1)); censored.add(.rightCensored(after: 4))
        #expect(censored.estimate().distribution!.pieces == [.init(lower: 4, upper: 4, mass: 1)])
    }

    @Test func tabulatedDistributionAgreesWithHandIntegrals() throws {
        // 1/2 uniform on [0, 2], 1/4 uniform on [1, 3] (overlapping), 1/4 at 2.
        let d = try DurationDistribution(pieces: [.init(lower: 0, upper: 2, mass: 0.5), .init(lower: 1, upper: 3, mass: 0.25),
                                                  .init(lower: 2, upper: 2, mass: 0.25)])
        // F(1.5) = 0.5 · 1.5/2 + 0.25 · 0.5/2 = 0.4375; G(1.5) = 0.25 · 1.5²/2 + 0.125 · (1.5² − 1)/2 = 0.359375.
        #expect(abs(d.cdf(1.5) - 0.4375) < 1e-15 && abs(d.partialMoment(1.5) - 0.359375) < 1e-15)
        // At 2 the point mass counts: F(2) = 0.5 + 0.125 + 0.25 = 0.875; just below, 0.625.
        #expect(abs(d.cdf(2) - 0.875) < 1e-15 && abs(d.cdf(2 - 1e-9) - 0.625) < 1e-8)
        #expect(abs(d.mean - (0.5 * 1 + 0.25 * 2 + 0.25 * 2)) < 1e-15)
        #expect(abs(d.density(1.5) - (0.25 + 0.125)) < 1e-15 && d.density(3) == 0 && d.density(-1) == 0)
        // Quantiles: inside a slope, at the jump, and on the last slope.
        #expect(abs(d.quantile(0.4375) - 1.5) < 1e-12)
        #expect(d.quantile(0.7) == 2 && d.quantile(0.875) == 2)
        #expect(abs(d.quantile(0.9375) - 2.5) < 1e-12)
        #expect(d.moments(after: 1, upTo: 2) == (mass: d.cdf(2) - d.cdf(1), moment: d.partialMoment(2) - d.partialMoment(1)))
    }

    @Test func estimatorWithIntervalsSpreadsMassOverTurnbullCells() {
        // (0, 2] and (1, 3]: Turnbull's innermost interval is (1, 2], all mass there.
        var e = DurationEstimator()
        e.add(.interval(lower: 0, upper: 2)); e.add(.interval(lower: 1, upper: 3))
        let d = e.estimate().distribution!
        #expect(d.cdf(1) < 1e-6)
        #expect(d.cdf(2) > 1 - 1e-6)
        #expect(abs(d.mean - 1.5) < 1e-4)
        #expect(e.count == 2)
        #expect(DurationEstimator().estimate() == .none)
    }

    @Test func learnedExploresUntilEnoughObservationsThenPollsOptimally() throws {
        let weights = OptimalSchedule.Weights(hit: 1, efficiency: 1)
        var e = DurationEstimator()
        var rng = SeededGenerator(seed: 7)
        let job = JobParameters(baseDelay: 1.5, varDelay: 0.9)
        for _ in 0..<9 { e.add(.exact(PlannedJob.draw(job, using: &rng).duration)) }
        let exploring = try LearnedStrategy(estimate: e.estimate(), weights: weights)
        expectClose(schedule(exploring, polls: 5), [0, 0.1, 0.3, 0.7, 1.2])
        for _ in 0..<991 { e.add(.exact(PlannedJob.draw(job, using: &rng).duration)) }
        let learned = try LearnedStrategy(estimate: e.estimate(), weights: weights)
        guard case .optimal(let s) = learned.mode else { Issue.record("still exploring"); return }
        // With 1 000 draws of U[1.5, 2.4] the last poll lands at the sample maximum ≈ 2.4 − 0.9/1001,
        // and the schedule scores within 0.5 % of the true optimum 0.8125: the ≈ 0.1 % of jobs
        // longer than the sample maximum count as time-outs (−1 each) in `expectedScore` (the
        // strategy itself would catch them with its fallback polls).
        #expect(abs(s.offsets.last! - 2.4) < 0.01)
        let score = OptimalSchedule.expectedScore(schedule: s.offsets, distribution: try .uniform(1.5, 2.4), weights: weights)
        #expect(abs(score - 0.8125) < 0.005 * 0.8125, "\(s.offsets) scores \(score)")
    }

    @Test func learnedFromIntervalCensoredPollsRecoversTheTableScore() throws {
        // Observations from polls every 0.05 s: T ∈ (k·0.05, (k+1)·0.05]. The schedule learned from
        // 2 000 of them scores within 1 % of the exact optimum (0.631) under the true model.
        var e = DurationEstimator()
        var rng = SeededGenerator(seed: 11)
        let job = JobParameters(baseDelay: 1.5, varDelay: 0.9)
        for _ in 0..<2_000 {
            let t = PlannedJob.draw(job, using: &rng).duration
            let k = (t / 0.05).rounded(.up)
            e.add(.interval(lower: (k - 1) * 0.05, upper: k * 0.05))
        }
        let weights = OptimalSchedule.Weights(hit: 1, efficiency: 2)
        let learned = try LearnedStrategy(estimate: e.estimate(), weights: weights)
        guard case .optimal(let s) = learned.mode else { Issue.record("still exploring"); return }
        let truth = job.durationSpec
        let score = OptimalSchedule.expectedScore(schedule: s.offsets, distribution: truth, weights: weights)
        #expect(abs(score - 0.6307) < 0.01 * 0.6307, "\(s.offsets) scores \(score)")
    }
}
