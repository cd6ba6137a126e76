import Foundation
import PollingCore
import TraceStore

/// Simulated mode: every trial runs in virtual time through `TrialSimulator` (the same
/// `PollLoop` as the live poller, the same `PlannedJob.draw` as the mock server), one after
/// another in trial order, so the same seed and file give identical rows, bit for bit (only the
/// run's wall-clock fields differ). Trials all start at virtual time 0; there is no server.
/// `learned` arms learn from that arm's earlier trials in trial order (deterministic).
extension ExperimentRunner {
    func runSimulated(_ experiment: Experiment, plan: Plan, database: TraceDatabase,
                      options: Options) async throws -> Result {
        try await recordRun(experiment, plan: plan, database: database, serverURL: nil) { sink, _ in
            try await Self.simulate(experiment, sink: sink, skipping: { plan.isDone(arm: $0, index: $1) },
                                    progress: options.progress)
        }
    }

    /// Simulates every trial of `experiment` in trial order (trial 0 of every arm, then trial 1, …)
    /// and records each to `sink`.
    /// - Parameters:
    ///   - skipping: trials (arm name, index) not to run, e.g. those a resumed run already has.
    /// - Returns: the number of trials recorded.
    /// - Throws: what the sink throws, or `CancellationError`.
    public static func simulate(_ experiment: Experiment, sink: any TraceSink,
                                skipping: @Sendable (String, Int) -> Bool = { _, _ in false },
                                progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        let simulators = experiment.arms.map {
            TrialSimulator(latency: experiment.latency, configuration: experiment.pollLoopConfiguration(for: $0))
        }
        let total = experiment.trials * experiment.arms.count
        let knowledge = try SharedKnowledge(experiment)
        let budgets = experiment.arms.map { $0.retry.makeBudget() }  // one per arm, used in trial order
        var finished = 0
        for index in 0..<experiment.trials {
            if index % 1024 == 0 { try Task.checkCancellation() }
            let jobSeed = SeedDerivation.jobSeed(runSeed: experiment.seed, trialIndex: index)
            for (armIndex, arm) in experiment.arms.enumerated() where !skipping(arm.name, index) {
                var strategy = try knowledge.strategy(arm: armIndex)
                var rng = SeededGenerator(seed: SeedDerivation.strategySeed(runSeed: experiment.seed, armIndex: armIndex, trialIndex: index))
                var network = SeededGenerator(seed: SeedDerivation.networkSeed(runSeed: experiment.seed, armIndex: armIndex, trialIndex: index))
                let record = simulators[armIndex].run(arm: arm.name, trialIndex: index, jobSeed: jobSeed, parameters: experiment.scaledJob,
                                           strategy: &strategy, using: &rng, network: &network,
                                           cancelAtDeadline: arm.cancelAtDeadline, budget: budgets[armIndex])
                try knowledge.learn(arm: armIndex, from: record)
                try await sink.record(record)
                finished += 1
            }
            progress?(finished, total)
        }
        return finished
    }
}
