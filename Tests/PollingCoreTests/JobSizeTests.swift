import Foundation
import PollingCore
import Testing

/// Job sizes and per-job hints (issue 11 item 2): sizes from the job's seed, `E[T | size]` by hand,
/// the laws hint-aware and hint-blind `optimal` use, and bad size models.
@Suite struct JobSizeTests {
    static let video = JobParameters(duration: .lognormal(median: 6, sigma: 0.3), successRate: 0.8,
                                     size: .lognormal(median: 4, sigma: 1.0))

    @Test func expectedDurationIsTheConditionalMeanByHand() {
        // Lognormal per unit of size: E[T | S = s] = s · median · e^(σ²/2).
        #expect(abs(Self.video.expectedDuration(size: 2.5) - 2.5 * 6 * exp(0.045)) <= 1e-12 * 16)
        // Exponential per unit: s · mean.
        let exponential = JobParameters(duration: .exponential(mean: 3), size: .exponential(mean: 2))
        #expect(abs(exponential.expectedDuration(size: 7) - 21) <= 1e-12)
        // Parts with part_size: count = ceil(5 / 2) = 3 parts of mean 1.5 + 0.9/2 = 1.95 → 5.85.
        let parts = JobParameters(duration: .parts(.init(count: 1, combine: .sum, part: .seed(base: 1.5, variation: 0.9), partSize: 2)),
                                  size: .exponential(mean: 4))
        #expect(abs(parts.expectedDuration(size: 5) - 5.85) <= 1e-12)
        #expect(abs(parts.expectedDuration(size: 4) - 3.9) <= 1e-12)      // exactly 2 parts
        #expect(abs(parts.expectedDuration(size: 0) - 1.95) <= 1e-12)     // at least one part
        // Without a size: E[T] of the model (1.5 + 0.45).
        #expect(abs(JobParameters().expectedDuration(size: nil) - 1.95) <= 1e-12)
    }

    @Test func partCountIsCeilOfSizeOverPartSizeClampedTo64() {
        #expect(DurationSpec.Parts.count(size: 5, partSize: 2) == 3)
        #expect(DurationSpec.Parts.count(size: 6, partSize: 2) == 3)
        #expect(DurationSpec.Parts.count(size: 6.0001, partSize: 2) == 4)
        #expect(DurationSpec.Parts.count(size: 0, partSize: 2) == 1)
        #expect(DurationSpec.Parts.count(size: 1e6, partSize: 2) == 64)
        #expect(DurationSpec.Parts.count(size: .infinity, partSize: 2) == 64)
    }

    @Test func theSeedFixesSizeThenDurationGivenSize() {
        for seed: UInt64 in 1...200 {
            let job = PlannedJob.draw(Self.video, seed: seed)
            let size = Self.video.size(seed: seed)!
            #expect(job.size == size)
            #expect(job == PlannedJob.draw(Self.video, size: size, seed: seed))
            // The size comes from a sub-stream: the outcome is the unsized job's outcome.
            let unsized = PlannedJob.draw(JobParameters(duration: .lognormal(median: 6, sigma: 0.3), successRate: 0.8), seed: seed)
            #expect(job.outcome == unsized.outcome)
            // T = S × D with D the unsized draw (lognormal scales exactly up to rounding).
            #expect(abs(job.duration - size * unsized.duration) <= 1e-9 * job.duration)
        }
    }

    @Test func sizesFollowTheSizeModel() {
        // The median of 4 000 lognormal(4, 1) sizes is near 4: P(S <= 4) = 0.5, binomial SE 0.0079.
        let below = (0..<4_000).count { Self.video.size(seed: UInt64($0) &* 7919 &+ 1)! <= 4 }
        #expect(abs(Double(below) / 4_000 - 0.5) <= 4 * 0.0079)
    }

    @Test func lawsOfTheSizedWorkload() {
        // Product of independent lognormals: median 4·6 = 24, sigma √(1 + 0.09).
        guard case .lognormal(let m, let s) = Self.video.marginalDuration else { Issue.record("not lognormal"); return }
        #expect(abs(m - 24) <= 1e-12)
        #expect(abs(s - 1.09.squareRoot()) <= 1e-12)
        // T / E[T | S] = D / E[D]: lognormal with the duration model's sigma, mean 1.
        let unit = Self.video.hintNormalisedDuration
        #expect(abs(unit.mean - 1) <= 1e-12)
        guard case .lognormal(_, let sigma) = unit else { Issue.record("not lognormal"); return }
        #expect(sigma == 0.3)
        #expect(abs(Self.video.meanDuration - 4 * exp(0.5) * 6 * exp(0.045)) <= 1e-9)
    }

    /// Theory: a schedule chosen knowing the size can copy any schedule chosen without it, so
    /// the best expected score given the hint is at least the best without it. For lognormal
    /// durations the score of the optimal schedule depends on sigma only (a scale family), so
    /// hint-aware = V(0.3) and hint-blind = V(1.044).
    @Test func hintAwareOptimalExpectsAtLeastHintBlind() throws {
        // A coarser grid than the default keeps this fast in a debug build; both sides get it.
        let options = OptimalSchedule.Options(gridSize: 150)
        for (wi, wj) in [(1.0, 1.0), (2.0, 1.0)] {
            let weights = OptimalSchedule.Weights(hit: wi, efficiency: wj)
            let aware = try OptimalSchedule(distribution: Self.video.hintNormalisedDuration, weights: weights, options: options).expectedScore
            let blind = try OptimalSchedule(distribution: Self.video.marginalDuration, weights: weights, options: options).expectedScore
            #expect(aware >= blind, "(\(wi), \(wj)): aware \(aware) blind \(blind)")
            print("sized video (\(wi), \(wj)): aware \(aware) blind \(blind)")
        }
        // The unit schedule is scale-free: the same law scaled by 37 s has the same score.
        let unit = try OptimalSchedule(distribution: Self.video.hintNormalisedDuration, weights: .init(hit: 1, efficiency: 1), options: options)
        let scaled = OptimalSchedule.expectedScore(schedule: unit.offsets.map { $0 * 37 }, distribution: Self.video.hintNormalisedDuration.scaled(by: 37),
                                                   weights: .init(hit: 1, efficiency: 1))
        #expect(abs(scaled - unit.expectedScore) <= 1e-9)
    }

    @Test func partsCountsMixtureOfTheMarginalLaw() {
        // Size exponential(mean 4), part_size 2: P(count = 1) = F(2) = 1 − e^(−0.5).
        let parts = JobParameters(duration: .parts(.init(count: 1, combine: .sum, part: .seed(base: 1.5, variation: 0.9), partSize: 2)),
                                  size: .exponential(mean: 4))
        guard case .mixture(let cs) = parts.marginalDuration else { Issue.record("not a mixture"); return }
        #expect(abs(cs[0].weight - (1 - exp(-0.5))) <= 1e-12)
        #expect(abs(cs.reduce(0) { $0 + $1.weight } - 1) <= 1e-12)
        // E[T] = Σ P(n) · 1.95 n.
        let expected = cs.enumerated().reduce(0.0) { $0 + $1.element.weight * 1.95 * Double($1.offset + 1) }
        #expect(abs(parts.meanDuration - expected) <= 1e-9 * expected)
        #expect(abs(parts.hintNormalisedDuration.mean - 1) <= 1e-9)
    }

    @Test func seedStrategyTakesTheJobsHintWhenAskedTo() {
        var perJob = SeedStrategy(durationHint: 1.5, usesJobHint: true)
        perJob.accepted(AcceptedJob(expectedDuration: 12))
        #expect(perJob.durationHint == 12)
        var fixed = SeedStrategy(durationHint: 1.5)
        fixed.accepted(AcceptedJob(expectedDuration: 12))
        #expect(fixed.durationHint == 1.5)
    }

    @Test func hintScaledStrategyPollsAtTheUnitScheduleTimesTheHint() {
        var rng = SeededGenerator(seed: 1)
        var s = TimeScaledStrategy(OptimalStrategy(offsets: [0.5, 1.25, 2]), scale: 10, followsJobHint: true)
        s.accepted(AcceptedJob(expectedDuration: 4))
        #expect(s.firstPoll(using: &rng) == .poll(at: .seconds(2)))
        let next = s.nextPoll(after: PollObservation(attempt: 0, sent: .seconds(2), received: .seconds(2), status: .pending), using: &rng)
        #expect(next == .poll(at: .seconds(5)))
        // Inside a time_scale of 0.5: the hint arrives in real seconds (2 = 4 workload s).
        var scaled = TimeScaledStrategy(TimeScaledStrategy(OptimalStrategy(offsets: [0.5]), scale: 10, followsJobHint: true), scale: 0.5)
        scaled.accepted(AcceptedJob(expectedDuration: 2))
        #expect(scaled.firstPoll(using: &rng) == .poll(at: .seconds(1)))
        // No hint: the initial scale (the workload's mean).
        var blind = TimeScaledStrategy(OptimalStrategy(offsets: [0.5]), scale: 10, followsJobHint: true)
        blind.accepted(AcceptedJob(expectedDuration: nil))
        #expect(blind.firstPoll(using: &rng) == .poll(at: .seconds(5)))
    }

    @Test func badSizeModelsAreRejectedNamingTheField() {
        func field(_ job: JobParameters) -> String? {
            do { try job.validate(); return nil } catch let PollingCoreError.invalidField(f, _) { return f } catch { return "?" }
        }
        let d = DurationSpec.lognormal(median: 6, sigma: 0.3)
        #expect(field(JobParameters(duration: d, size: .lomax(shape: 1, scale: 3))) == "size")          // infinite mean
        #expect(field(JobParameters(duration: d, size: .lomax(shape: 0.5, scale: 3))) == "size")
        #expect(field(JobParameters(duration: d, size: .lomax(shape: 2, scale: 3))) == nil)
        #expect(field(JobParameters(duration: d, size: .lognormal(median: .nan, sigma: 1))) == "size.median")
        #expect(field(JobParameters(duration: d, size: .exponential(mean: .infinity))) == "size.mean")
        let perPart = DurationSpec.parts(.init(count: 1, combine: .sum, part: .exponential(mean: 1), partSize: 2))
        #expect(field(JobParameters(duration: perPart)) == "duration.part_size")                         // needs sizes
        #expect(field(JobParameters(duration: perPart, size: .exponential(mean: 3))) == nil)
        #expect(throws: PollingCoreError.self) { try JobParameters.validate(size: -1) }
        #expect(throws: PollingCoreError.self) { try JobParameters.validate(size: .infinity) }
    }
}
