import ExperimentKit
import PollingCore
import Testing

/// Parses one arm (indented YAML keys after `strategy:`) in a minimal experiment.
func parseArm(_ arm: String, job: String = "base_delay: 1.5\n  var_delay: 0.9") throws -> StrategyConfiguration {
    let yaml = """
        name: kinds
        trials: 1
        seed: 1
        job:
          \(job)
        arms:
          - name: a
        \(arm.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        """
    return try Experiment.parse(yaml: yaml, file: "kinds.yaml").arms[0].strategy
}

@Suite struct StrategyKindsParsingTests {
    @Test func presetsGetIndustryDefaults() throws {
        #expect(try parseArm("strategy: grpc") == .grpc(try GRPCBackoffStrategy(initial: 1, multiplier: 1.6, jitter: 0.2, maxBackoff: 120)))
        #expect(try parseArm("strategy: aws") == .aws(try AWSStandardRetryStrategy(base: 1, cap: 20, maxAttempts: nil)))
        #expect(try parseArm("strategy: google-lro") == .googleLRO(try GoogleLROStrategy(initial: 1, multiplier: 1.5, maxDelay: 20, timeout: 900)))
        #expect(try parseArm("strategy: smithy") == .smithy(try SmithyWaiterStrategy(minDelay: 2, maxDelay: 120)))
        #expect(try parseArm("strategy: kubernetes") == .kubernetes(try KubernetesBackoffStrategy(duration: 1, factor: 2, jitter: 0.1, steps: nil, cap: 60)))
        #expect(try parseArm("strategy: azure") == .azure(AzureLROStrategy(interval: 30, initialDelay: nil)))
        #expect(try parseArm("strategy: hinted") == .hinted(HintedStrategy(interval: 1, minInterval: 0.05, maxInterval: 30)))
        #expect(try parseArm("strategy: long-poll") == .longPoll(LongPollStrategy(wait: 20, errorDelay: 1)))
    }

    @Test func presetParametersAreRead() throws {
        #expect(try parseArm("strategy: grpc\ninitial: 0.1\nmultiplier: 2\njitter: 0.1\nmax_backoff: 3") ==
            .grpc(try GRPCBackoffStrategy(initial: 0.1, multiplier: 2, jitter: 0.1, maxBackoff: 3)))
        #expect(try parseArm("strategy: aws\nbase: 0.2\ncap: 2\nmax_attempts: 30") ==
            .aws(try AWSStandardRetryStrategy(base: 0.2, cap: 2, maxAttempts: 30)))
        #expect(try parseArm("strategy: kubernetes\nduration: 0.1\nsteps: 12\ncap: 1") ==
            .kubernetes(try KubernetesBackoffStrategy(duration: 0.1, steps: 12, cap: 1)))
        #expect(try parseArm("strategy: azure\ninterval: 0.5\ninitial_delay: 0") == .azure(AzureLROStrategy(interval: 0.5, initialDelay: 0)))
        #expect(try parseArm("strategy: long-poll\nwait: 5") == .longPoll(LongPollStrategy(wait: 5)))
        #expect(try parseArm("strategy: smithy\nmin_delay: 0.1\nmax_delay: 2").parametersJSON == #"{"max_delay":2,"min_delay":0.1}"#)
    }

    @Test func optimalDefaultsToTheJobModelAndResolvesItsSchedule() throws {
        let config = try parseArm("strategy: optimal\nweights: [1, 2]")
        #expect(config == .optimal(OptimalConfiguration(weights: .init(hit: 1, efficiency: 2))))
        #expect(config.needsContext)
        let job = JobParameters(baseDelay: 1.5, varDelay: 0.9)
        let resolved = try config.resolved(job: job)
        #expect(!resolved.needsContext)
        guard case .optimal(let c) = resolved, let offsets = c.offsets else { Issue.record("not resolved"); return }
        // DESIGN.md: two polls for U[1.5, 2.4] at weights (1, 2), the last at 2.4 s.
        #expect(offsets.count == 2 && offsets.last == 2.4)
        var strategy = try config.makeStrategy(context: StrategyContext(job: job))
        var rng = SeededGenerator(seed: 1)
        #expect(strategy.firstPoll(using: &rng) == .poll(at: .clampedSeconds(offsets[0])))
        #expect(config.parametersJSON == #"{"distribution":"job","fallback_interval":null,"weights":[1,2]}"#)
    }

    @Test func optimalAcceptsADistributionOverride() throws {
        let config = try parseArm("strategy: optimal\ndistribution: {kind: uniform, lower: 1, upper: 3}\nfallback_interval: 0.25")
        guard case .optimal(let c) = config else { Issue.record("wrong kind"); return }
        #expect(c.distribution == .fixed(try .uniform(1, 3)) && c.fallbackInterval == 0.25)
        // The override wins over the job model: the single poll sits at 3 s, not 2.4 s.
        let strategy = try config.makeStrategy(context: StrategyContext(job: JobParameters(baseDelay: 1.5, varDelay: 0.9)))
        #expect((strategy as? OptimalStrategy)?.offsets.last == 3)
        let empirical = try parseArm("strategy: optimal\ndistribution: {kind: empirical, durations: [1, 2]}")
        guard case .optimal(let e) = empirical else { Issue.record("wrong kind"); return }
        #expect(e.distribution == .fixed(try .empirical([1, 2])))
    }

    @Test func learnedUsesTheInjectedEstimate() throws {
        let config = try parseArm("strategy: learned\nweights: [1, 1]\nmin_observations: 3")
        #expect(config == .learned(LearnedConfiguration(weights: .init(hit: 1, efficiency: 1), minimumObservations: 3)))
        let exploring = try config.makeStrategy(context: StrategyContext())
        guard case .exploring = (exploring as? LearnedStrategy)?.mode else { Issue.record("should explore"); return }
        var estimator = DurationEstimator()
        for t in [1.0, 1.5, 2.0] { estimator.add(.exact(t)) }
        let learned = try config.makeStrategy(context: StrategyContext(estimate: estimator.estimate()))
        guard case .optimal(let s) = (learned as? LearnedStrategy)?.mode else { Issue.record("should be optimal"); return }
        #expect(s.offsets.last == 2)
        #expect(config.parametersJSON == #"{"min_observations":3,"weights":[1,1]}"#)
    }

    @Test(arguments: [
        ("strategy: grpc\njitter: 1.5", "arms[0].jitter: must be in [0, 1)"),
        ("strategy: grpc\nmultiplier: 0.5", "arms[0].multiplier: must be >= 1"),
        ("strategy: aws\nmax_attempts: 0", "arms[0].max_attempts: must be between 1"),
        ("strategy: smithy\nmin_delay: 5\nmax_delay: 2", "arms[0].max_delay: must be >= min_delay"),
        ("strategy: hinted\nmin_interval: 40", "arms[0].max_interval: must be >= min_interval"),
        ("strategy: long-poll\nwait: 0", "arms[0].wait: must be a number of seconds > 0"),
        ("strategy: azure\nretry_after: 1", "arms[0].retry_after: unknown key"),
        ("strategy: optimal\nweights: [1]", "arms[0].weights: must be a list of two numbers"),
        ("strategy: optimal\ndistribution: {kind: normal}", "arms[0].distribution.kind: unknown distribution kind 'normal'"),
        ("strategy: optimal\ndistribution: {kind: uniform, lower: 2, upper: 1}", "arms[0].distribution.upper: must be >= lower"),
        ("strategy: optimal\ndistribution: {kind: empirical, durations: []}", "arms[0].distribution.durations: must be a non-empty list"),
        ("strategy: learned\nmin_observations: 0", "arms[0].min_observations: must be between 1"),
        ("strategy: learned\nminimum: 3", "arms[0].minimum: unknown key"),
        ("strategy: polite", "arms[0].strategy: unknown strategy 'polite' (use one of: constant, exponential, seed, grpc, aws, google-lro"),
    ])
    func badParametersNameTheField(arm: String, message: String) {
        do {
            _ = try parseArm(arm)
            Issue.record("\(arm) parsed")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
