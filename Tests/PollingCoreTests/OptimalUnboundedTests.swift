import Testing
@testable import PollingCore

/// `OptimalSchedule` on the workload models, against DESIGN.md's reference values ("Workloads":
/// computed independently of PollLab by dynamic programming on a fine geometric grid with exact
/// integrals, up to 320 polls; tolerance 0.1 %).
@Suite struct OptimalUnboundedTests {
    static let parts4Max = DurationSpec.parts(.init(count: 4, combine: .max, part: .seed(base: 1.5, variation: 0.9)))

    static let references: [(String, DurationSpec, OptimalSchedule.Weights, Double)] = [
        ("lognormal(30, 0.5) (1,1)", .lognormal(median: 30, sigma: 0.5), .init(hit: 1, efficiency: 1), 0.53252),
        ("lognormal(30, 0.5) (2,1)", .lognormal(median: 30, sigma: 0.5), .init(hit: 2, efficiency: 1), 1.44139),
        ("exponential(10) (1,1)", .exponential(mean: 10), .init(hit: 1, efficiency: 1), 0.35175),
        ("exponential(10) (2,1)", .exponential(mean: 10), .init(hit: 2, efficiency: 1), 1.26119),
        ("parts 4 × seed, max (1,1)", parts4Max, .init(hit: 1, efficiency: 1), 0.925),
        ("parts 4 × seed, max (2,1)", parts4Max, .init(hit: 2, efficiency: 1), 1.925),
        ("parts 4 × seed, max (1,2)", parts4Max, .init(hit: 1, efficiency: 2), 0.85),
    ]

    @Test(arguments: 0..<7)
    func expectedScoreMatchesDesignReference(_ index: Int) throws {
        let (name, model, weights, reference) = Self.references[index]
        let schedule = try OptimalSchedule(distribution: model, weights: weights)
        #expect(abs(schedule.expectedScore - reference) <= 0.001 * reference,
                "\(name): \(schedule.expectedScore) vs \(reference), \(schedule.offsets.count) polls, first \(schedule.offsets.prefix(3))")
    }

    @Test func firstPollsMatchTheReferenceSchedules() throws {
        // DESIGN.md: lognormal (1,1) first polls ≈ 42.6, 55.9, 66.0 s; exponential ≈ 13.2, 19.4, 24.0 s.
        let l = try OptimalSchedule(distribution: DurationSpec.lognormal(median: 30, sigma: 0.5), weights: .init(hit: 1, efficiency: 1))
        for (got, want) in zip(l.offsets, [42.6, 55.9, 66.0]) { #expect(abs(got - want) < 0.2, "\(l.offsets.prefix(3))") }
        let e = try OptimalSchedule(distribution: DurationSpec.exponential(mean: 10), weights: .init(hit: 1, efficiency: 1))
        for (got, want) in zip(e.offsets, [13.2, 19.4, 24.0]) { #expect(abs(got - want) < 0.1, "\(e.offsets.prefix(3))") }
        // Parts max at (1,1): one poll at the upper bound 2.4 s.
        let p = try OptimalSchedule(distribution: Self.parts4Max, weights: .init(hit: 1, efficiency: 1))
        #expect(p.offsets == [2.4])
    }

    @Test func simulatedMeanIsWithinThreeStandardErrorsOfTheExpectation() throws {
        for model in [DurationSpec.lognormal(median: 30, sigma: 0.5), .exponential(mean: 10)] {
            let weights = OptimalSchedule.Weights(hit: 1, efficiency: 1)
            let schedule = try OptimalSchedule(distribution: model, weights: weights)
            let simulated = simulatedScore(schedule: schedule.offsets, job: JobParameters(duration: model),
                                           weights: weights, trials: 20_000, seed: 99)
            #expect(abs(simulated.mean - schedule.expectedScore) <= 3 * simulated.standardError,
                    "\(model): \(simulated) vs \(schedule.expectedScore)")
        }
    }

    @Test func raisingThePollCapChangesTheScoreByLessThanFiveHundredthsOfAPercent() throws {
        let model = DurationSpec.exponential(mean: 10), weights = OptimalSchedule.Weights(hit: 2, efficiency: 1)
        let base = try OptimalSchedule(distribution: model, weights: weights)
        let wide = try OptimalSchedule(distribution: model, weights: weights, options: .init(maxPolls: 800, patience: 20))
        #expect(abs(wide.expectedScore - base.expectedScore) <= 0.0005 * abs(base.expectedScore))
    }

    @Test func aDeadlineCapsTheScheduleAndCountsLateJobsAsTimeOuts() throws {
        let model = DurationSpec.exponential(mean: 10), weights = OptimalSchedule.Weights(hit: 1, efficiency: 1)
        let deadline = model.quantile(0.8)
        let s = try OptimalSchedule(distribution: model, weights: weights, options: .init(deadline: deadline))
        #expect(s.offsets.last! <= deadline)
        // One poll at the deadline scores 0.8 · 1 − E[(D − T)/D; T ≤ D] − 0.2 (hand formula); the optimum
        // is at least that and below the no-deadline optimum.
        let onePoll = 0.8 - (0.8 - model.partialMoment(deadline) / deadline) - 0.2
        #expect(s.expectedScore >= onePoll - 1e-12)
        #expect(s.expectedScore < 0.35175)
    }
}
