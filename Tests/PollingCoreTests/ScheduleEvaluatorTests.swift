import PollingCore
import Testing

@Suite struct ScheduleEvaluatorTests {
    static let seedJob = JobParameters(baseDelay: 1.5, varDelay: 0.9, durationModel: .seed)
    static let unit = OptimalSchedule.Weights(hit: 1, efficiency: 1)

    func evaluator(_ job: JobParameters = seedJob, trials: Int = 400, seed: UInt64 = 7,
                   deadline: Duration? = nil) throws -> ScheduleEvaluator {
        ScheduleEvaluator(workload: try .init(job: job, loop: PollLoopConfiguration(deadline: deadline)),
                          weights: Self.unit, trials: trials, seed: seed)
    }

    /// One poll at 2.4 s on U[1.5, 2.4]: HR 1, ER = E[(2.4 − T)/2.4] = 0.45/2.4, score 0.8125
    /// (DESIGN.md theory table).
    @Test func exactScoreOfOnePollAtTheUpperBound() throws {
        let e = try evaluator()
        let strategy = ConstantStrategy(interval: 5, initialDelay: 2.4)
        #expect(e.fixedSchedule(strategy) == [2.4])
        #expect(abs(e.exactScore(strategy)! - 0.8125) < 1e-12)
    }

    /// Polls at 0, 1, 2, 3 s (constant 1 s): the job is found at 2 s when T ≤ 2 (mass 5/9, mean
    /// 1.75) and at 3 s otherwise (mass 4/9, mean 2.2). Score = 5/9·(1/3 − (2 − 1.75)/2)
    /// + 4/9·(1/4 − (3 − 2.2)/3) = 0.11574… − 0.00741… = 0.108333…
    @Test func exactScoreOfAConstantSchedule() throws {
        let e = try evaluator()
        let strategy = ConstantStrategy(interval: 1)
        #expect(e.fixedSchedule(strategy) == [0, 1, 2, 3])
        let expected = 5.0 / 9 * (1.0 / 3 - 0.25 / 2) + 4.0 / 9 * (0.25 - 0.8 / 3)
        #expect(abs(e.exactScore(strategy)! - expected) < 1e-12)
    }

    /// A deadline of 2 s stops the schedule before its 2 s poll: mass after 1 s is undetected
    /// (−1 each), the mass before it is zero, so the score is −1.
    @Test func deadlineCutsTheSchedule() throws {
        let e = try evaluator(deadline: .seconds(2))
        let strategy = ConstantStrategy(interval: 1)
        #expect(e.fixedSchedule(strategy) == [0, 1])
        #expect(abs(e.exactScore(strategy)! + 1) < 1e-12)
    }

    /// Jitter makes a schedule random (no exact value); a seed strategy with jitter [1, 1] draws
    /// numbers but its schedule is fixed.
    @Test func randomSchedulesHaveNoExactValue() throws {
        let e = try evaluator()
        #expect(e.exactScore(try ExponentialStrategy(initial: 0.1, jitter: .full)) == nil)
        #expect(e.exactScore(try AWSStandardRetryStrategy()) == nil)
        let seed = try #require(e.fixedSchedule(SeedStrategy(initialInterval: 0.1, maxInterval: 3, jitter: 1...1)))
        #expect(seed.count == 6)
        #expect(zip(seed, [0, 0.1, 0.3, 0.7, 1.5, 3.1]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(e.exactScore(try GRPCBackoffStrategy(jitter: 0)) != nil)
        #expect(e.exactScore(try GRPCBackoffStrategy(jitter: 0.2)) == nil)
    }

    /// Monte Carlo on the common trials agrees with the exact value within sampling error
    /// (4 standard errors), and two candidates see the same jobs (a candidate compared with
    /// itself differs by exactly 0 on every trial).
    @Test func monteCarloAgreesAndIsPaired() throws {
        let e = try evaluator(trials: 2000)
        let strategy = try ExponentialStrategy(initial: 0.2, multiplier: 1.5, maxInterval: 1, initialDelay: 1.2)
        let exact = try #require(e.exactScore(strategy))
        let mc = e.sample(strategy)
        let sd = Statistics.standardDeviation(mc.scores)!
        #expect(abs(mc.meanScore - exact) < 4 * sd / 2000.0.squareRoot())
        #expect(e.sample(strategy).scores == mc.scores)
        #expect(mc.delays.allSatisfy { $0.isFinite && $0 >= 0 })
    }

    /// An undetected trial has an infinite delay.
    @Test func undetectedTrialsHaveInfiniteDelay() throws {
        let e = try evaluator(trials: 50, deadline: .seconds(1))
        let mc = e.sample(ConstantStrategy(interval: 0.5))
        #expect(mc.delays.allSatisfy { $0 == .infinity })
        #expect(mc.meanCalls == 2)
    }
}

@Suite struct QuantileUpperBoundTests {
    /// 1 − 0.99^299 = 0.9505 ≥ 0.95 but 1 − 0.99^298 = 0.94996: 299 is the smallest sample
    /// whose maximum bounds the p99 at 95 %. Ranks for 400 and 1000 from the exact binomial sum
    /// (computed independently in Python: 400, 996).
    @Test func ranks() {
        #expect(QuantileUpperBound.rank(n: 298, p: 0.99, confidence: 0.95) == nil)
        #expect(QuantileUpperBound.rank(n: 299, p: 0.99, confidence: 0.95) == 299)
        #expect(QuantileUpperBound.rank(n: 400, p: 0.99, confidence: 0.95) == 400)
        #expect(QuantileUpperBound.rank(n: 1000, p: 0.99, confidence: 0.95) == 996)
        #expect(QuantileUpperBound.allowedExceedances(n: 1000, p: 0.99, confidence: 0.95) == 4)
        let values = (1...1000).map(Double.init).reversed().map { $0 }
        #expect(QuantileUpperBound.bound(values, p: 0.99, confidence: 0.95) == 996)
    }
}

@Suite struct NelderMeadTests {
    /// A shifted quadratic bowl with its minimum at (0.3, 0.7) inside the cube, and one with its
    /// minimum outside (the clamped optimum is on the face x = 1).
    @Test func findsMinima() {
        let inside = NelderMead.minimize(start: [0.9, 0.1], step: 0.2, maxEvaluations: 400) { x in
            (x[0] - 0.3) * (x[0] - 0.3) + 2 * (x[1] - 0.7) * (x[1] - 0.7)
        }
        #expect(abs(inside.point[0] - 0.3) < 1e-3 && abs(inside.point[1] - 0.7) < 1e-3)
        #expect(inside.evaluations <= 402)
        let face = NelderMead.minimize(start: [0.5, 0.5], step: 0.2, maxEvaluations: 400) { x in
            (x[0] - 1.5) * (x[0] - 1.5) + (x[1] - 0.2) * (x[1] - 0.2)
        }
        #expect(abs(face.point[0] - 1) < 1e-3 && abs(face.point[1] - 0.2) < 1e-3)
    }
}
