import PollingCore
import Testing

/// Simulates `trials` jobs drawn from `job` (the shared drawing function), polled at `schedule`
/// with zero latency; returns the mean per-trial score and its standard error.
func simulatedScore(schedule: [Double], job: JobParameters, weights: OptimalSchedule.Weights,
                    trials: Int, seed: UInt64) -> (mean: Double, standardError: Double) {
    var rng = SeededGenerator(seed: seed)
    var sum = 0.0, sumSquares = 0.0
    for _ in 0..<trials {
        let t = job.durationSpec.draw(using: &rng)
        var score = -weights.efficiency
        if let n = schedule.firstIndex(where: { $0 >= t }) {
            let detect = schedule[n]
            score = weights.hit / Double(n + 1) - weights.efficiency * (detect - t) / detect
        }
        sum += score
        sumSquares += score * score
    }
    let mean = sum / Double(trials)
    let variance = (sumSquares - Double(trials) * mean * mean) / Double(trials - 1)
    return (mean, (variance / Double(trials)).squareRoot())
}

@Suite struct OptimalScheduleTests {
    static let seedJob = JobParameters(baseDelay: 1.5, varDelay: 0.9, durationModel: .seed)
    static let symmetricJob = JobParameters(baseDelay: 1.5, varDelay: 0.9, durationModel: .symmetric)

    /// (job, wi, wj, DESIGN.md table value, expected number of polls).
    static let table: [(JobParameters, Double, Double, Double, Int)] = [
        (seedJob, 1, 1, 0.8125, 1), (seedJob, 1, 2, 0.631, 2), (seedJob, 2, 1, 1.8125, 1), (seedJob, 1, 0.5, 0.90625, 1),
        (symmetricJob, 1, 1, 0.625, 1), (symmetricJob, 1, 2, 0.3237, 5), (symmetricJob, 2, 1, 1.625, 1),
        (symmetricJob, 1, 0.5, 0.8125, 1),
    ]

    @Test(arguments: 0..<8)
    func matchesTheTheoryTable(row: Int) throws {
        let (job, wi, wj, expected, polls) = Self.table[row]
        let weights = OptimalSchedule.Weights(hit: wi, efficiency: wj)
        let schedule = try OptimalSchedule(distribution: job.durationSpec, weights: weights)
        #expect(abs(schedule.expectedScore - expected) <= 0.001 * abs(expected), "\(schedule.expectedScore) vs \(expected)")
        #expect(schedule.offsets.count == polls, "\(schedule.offsets)")
        #expect(schedule.offsets.last == 2.4)
        #expect(schedule.offsets.allSatisfy { $0 >= job.durationBounds.lowerBound && $0 > 0 })
        #expect(zip(schedule.offsets, schedule.offsets.dropFirst()).allSatisfy { $0 < $1 })
        let simulated = simulatedScore(schedule: schedule.offsets, job: job, weights: weights, trials: 100_000, seed: 42 + UInt64(row))
        #expect(abs(simulated.mean - schedule.expectedScore) <= 3 * simulated.standardError,
                "simulated \(simulated.mean) ± \(simulated.standardError) vs exact \(schedule.expectedScore)")
    }

    @Test func singlePollAtTheUpperBoundHasTheClosedFormScore() throws {
        // E[(b − T)/b] = 1 − E[T]/b = 1 − 1.95/2.4 = 0.1875 for U[1.5, 2.4].
        let u = try DurationDistribution.uniform(1.5, 2.4)
        let w = OptimalSchedule.Weights(hit: 1, efficiency: 1)
        #expect(abs(OptimalSchedule.expectedScore(schedule: [2.4], distribution: u, weights: w) - 0.8125) < 1e-12)
        // Two polls at 1.95 and 2.4: half the mass each; interval 1: P 0.5, E[T; ·] = 0.5·1.725.
        // score = 0.5 − (0.5 − 0.8625/1.95) + 0.5/2 − (0.5 − 0.5·2.175/2.4).
        let two = 0.5 - (0.5 - 0.8625 / 1.95) + 0.25 - (0.5 - 0.5 * 2.175 / 2.4)
        #expect(abs(OptimalSchedule.expectedScore(schedule: [1.95, 2.4], distribution: u, weights: w) - two) < 1e-12)
        // A schedule ending early times out the rest: ER 1, HR 0.
        let early = 0.5 - (0.5 - 0.8625 / 1.95) - 0.5
        #expect(abs(OptimalSchedule.expectedScore(schedule: [1.95], distribution: u, weights: w) - early) < 1e-12)
    }

    @Test func onePollStaysOptimalBelowTheThresholdRatio() throws {
        // DESIGN.md: one poll at b while wj/wi ≤ b²f(b)/(2E[T]) = 5.76/0.9/3.9 ≈ 1.641.
        let u = try DurationDistribution.uniform(1.5, 2.4)
        let below = try OptimalSchedule(distribution: u, weights: .init(hit: 1, efficiency: 1.6))
        let above = try OptimalSchedule(distribution: u, weights: .init(hit: 1, efficiency: 1.7))
        #expect(below.offsets == [2.4])
        #expect(above.offsets.count == 2)
    }

    @Test func empiricalSampleSchedulesOnTheAtoms() throws {
        // Atoms 1, 2 (mass ½ each), weights (1, 1): one poll at 2 scores 1 − ½·(1/2) = 0.75;
        // polls at 1 and 2 score ½·1 + ½·½ = 0.75 too (a tie, so only the score is checked).
        let d = try DurationDistribution.empirical([1, 2])
        let s = try OptimalSchedule(distribution: d, weights: .init(hit: 1, efficiency: 1))
        #expect(abs(s.expectedScore - 0.75) < 1e-12)
        // With wj = 2 the second poll pays: 0.75 vs 1 − 2·0.25 = 0.5.
        let s2 = try OptimalSchedule(distribution: d, weights: .init(hit: 1, efficiency: 2))
        #expect(s2.offsets == [1, 2])
        #expect(abs(s2.expectedScore - 0.75) < 1e-12)
    }

    @Test func symmetricModelKeepsTheClampedMassAtZero() throws {
        // base 0.5, var 1.5: P(T = 0) = 1/1.5 ... = (1.5 − 0.5)/3 = 1/3, rest uniform on [0, 2].
        let d = JobParameters(baseDelay: 0.5, varDelay: 1.5, durationModel: .symmetric).durationSpec
        #expect(abs(d.cdf(0) - 1.0 / 3) < 1e-12)
        #expect(abs(d.cdf(1) - (1.0 / 3 + 2.0 / 3 * 0.5)) < 1e-12)
        #expect(abs(d.mean - 2.0 / 3) < 1e-12)
        #expect(d.support == 0...2)
        let s = try OptimalSchedule(distribution: d, weights: .init(hit: 1, efficiency: 1))
        #expect(s.offsets.first! > 0)
        #expect(s.offsets.last == 2)
    }

    @Test func uniformDistributionBasics() throws {
        let u = try DurationDistribution.uniform(1.5, 2.4)
        #expect(u.support == 1.5...2.4)
        #expect(abs(u.mean - 1.95) < 1e-12)
        #expect(abs(u.cdf(1.95) - 0.5) < 1e-12)
        #expect(abs(u.density(2) - 1 / 0.9) < 1e-12)
        #expect(u.density(1) == 0 && u.cdf(1) == 0 && u.cdf(3) == 1)
        #expect(throws: PollingCoreError.self) { try DurationDistribution.empirical([]) }
        #expect(throws: PollingCoreError.self) {
            try OptimalSchedule(distribution: u, weights: .init(hit: .nan, efficiency: 1))
        }
    }
}
