import Foundation
import PollingCore
import TraceStore

/// Simulated mode: every trial runs in virtual time through the same `PollLoop` as the live
/// poller and the same `PlannedJob.draw` as the mock server, so the same seed and file give
/// identical rows, bit for bit (only the run's wall-clock fields differ).
///
/// Two engines, one set of rules and draws:
/// - without a server `capacity` and without `arrivals`, the trials do not interact: each runs
///   on its own through `TrialSimulator`, starting at virtual time 0, in trial order (trial 0 of
///   every arm, then trial 1, …); this is the fast path, and what every run without those keys
///   has always produced;
/// - with either, each arm is a discrete-event simulation of all its trials on one virtual
///   clock against one server applying `ServerLimiter` (`FleetSimulator`): `concurrency` caps
///   the trials in flight, `arrivals` (or the ramp-up) sets when they want to start. Each arm
///   faces the server alone, with its own clock from 0 and its own server state, as if the arms
///   ran one after another, so the herds of different arms do not mix; arms are simulated in
///   file order and each arm's trials are recorded in the order they end.
/// `learned` arms learn from that arm's earlier trials (in trial order, or in order of ending
/// in the event simulation): deterministic either way.
extension ExperimentRunner {
    func runSimulated(_ experiment: Experiment, plan: Plan, database: TraceDatabase,
                      options: Options) async throws -> Result {
        try await recordRun(experiment, plan: plan, database: database, serverURL: nil, shard: options.shard) { sink, _ in
            try await Self.simulate(experiment, sink: sink, shard: options.shard,
                                    skipping: { plan.isDone(arm: $0, index: $1) }, progress: options.progress)
        }
    }

    /// `true` when `experiment` needs the event simulation (a server capacity or arrivals).
    static func needsEventSimulation(_ experiment: Experiment) -> Bool {
        experiment.arrivals != nil || !experiment.server.capacity.isUnlimited
    }

    /// Simulates every trial of `experiment` and records each to `sink` (see the extension's
    /// documentation for the order).
    ///
    /// With a shard, only the shard's trials are recorded, and they equal the whole run's. On the
    /// fast path, an arm that carries state from trial to trial (a `learned` arm's duration
    /// estimate, an arm's retry budget) also simulates the other shards' trials before each of
    /// its own, in the same order, and learns from them without recording them: such an arm
    /// costs as much in every shard as in the whole run, the other arms run only their shard's
    /// trials. In the event simulation every trial of every arm runs (they share the arm's
    /// server), and the shard records its own.
    /// - Parameters:
    ///   - shard: the trials to record (`index mod N == K`); `nil` for all.
    ///   - skipping: trials (arm name, index) not to record, e.g. those a resumed run already has
    ///     (in the event simulation they still run, since they load the server).
    /// - Returns: the number of trials recorded.
    /// - Throws: what the sink throws, or `CancellationError`.
    public static func simulate(_ experiment: Experiment, sink: any TraceSink, shard: RunShard? = nil,
                                skipping: @Sendable (String, Int) -> Bool = { _, _ in false },
                                progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        if needsEventSimulation(experiment) {
            return try await simulateFleet(experiment, sink: sink, skipping: { arm, index in
                !(shard?.contains(index) ?? true) || skipping(arm, index)
            }, progress: progress)
        }
        let simulators = experiment.arms.map {
            TrialSimulator(latency: experiment.latency, configuration: experiment.pollLoopConfiguration(for: $0),
                           reportsProgress: experiment.server.hints.progress)
        }
        let total = (shard?.trialCount(of: experiment.trials) ?? experiment.trials) * experiment.arms.count
        let knowledge = try SharedKnowledge(experiment)
        let budgets = experiment.arms.map { $0.retry.makeBudget() }  // one per arm, used in trial order
        // Arms whose trials depend on the arm's earlier trials: replayed outside the shard.
        let stateful = experiment.arms.indices.filter {
            experiment.arms[$0].strategy.learningMinimum != nil || budgets[$0] != nil
        }
        var finished = 0
        for index in 0..<experiment.trials {
            if index % 1024 == 0 { try Task.checkCancellation() }
            let recorded = shard?.contains(index) ?? true
            if !recorded && stateful.isEmpty { continue }
            let jobSeed = SeedDerivation.jobSeed(runSeed: experiment.seed, trialIndex: index)
            for (armIndex, arm) in experiment.arms.enumerated() {
                if recorded ? skipping(arm.name, index) : !stateful.contains(armIndex) { continue }
                var strategy = try knowledge.strategy(arm: armIndex)
                var rng = SeededGenerator(seed: SeedDerivation.strategySeed(runSeed: experiment.seed, armIndex: armIndex, trialIndex: index))
                var network = SeededGenerator(seed: SeedDerivation.networkSeed(runSeed: experiment.seed, armIndex: armIndex, trialIndex: index))
                let record = simulators[armIndex].run(arm: arm.name, trialIndex: index, jobSeed: jobSeed, parameters: experiment.scaledJob,
                                           strategy: &strategy, using: &rng, network: &network,
                                           cancelAtDeadline: arm.cancelAtDeadline, budget: budgets[armIndex])
                try knowledge.learn(arm: armIndex, from: record)
                guard recorded else { continue }
                try await sink.record(record)
                finished += 1
            }
            if recorded { progress?(finished, total) }
        }
        return finished
    }

    /// The event simulation: one `FleetSimulator` per arm, arms one after another.
    private static func simulateFleet(_ experiment: Experiment, sink: any TraceSink,
                                      skipping: @Sendable (String, Int) -> Bool,
                                      progress: (@Sendable (Int, Int) -> Void)?) async throws -> Int {
        let total = experiment.trials * experiment.arms.count
        let knowledge = try SharedKnowledge(experiment)
        var finished = 0, recorded = 0
        for (armIndex, arm) in experiment.arms.enumerated() {
            var fleet = fleetSimulator(experiment, arm: armIndex, knowledge: knowledge)
            while let record = try fleet.next() {
                if finished % 1024 == 0 { try Task.checkCancellation() }
                try knowledge.learn(arm: armIndex, from: record)
                finished += 1
                if !skipping(arm.name, record.trialIndex) {
                    try await sink.record(record)
                    recorded += 1
                }
                if finished % 64 == 0 || finished == total { progress?(finished, total) }
            }
        }
        return recorded
    }

    /// The event simulation of arm `arm` of `experiment` (its own server and clock).
    static func fleetSimulator(_ experiment: Experiment, arm armIndex: Int,
                               knowledge: SharedKnowledge) -> FleetSimulator<AnyPollingStrategy> {
        let arm = experiment.arms[armIndex]
        let setup = FleetSimulator<AnyPollingStrategy>.Setup(
            arm: arm.name, armIndex: armIndex, trials: experiment.trials, runSeed: experiment.seed,
            parameters: experiment.scaledJob,
            simulator: TrialSimulator(latency: experiment.latency, configuration: experiment.pollLoopConfiguration(for: arm),
                                      reportsProgress: experiment.server.hints.progress),
            capacity: experiment.scaledServer.capacity, concurrency: experiment.concurrency, arrivals: experiment.arrivals,
            rampUp: experiment.rampUp, cancelAtDeadline: arm.cancelAtDeadline, budget: arm.retry.makeBudget())
        return FleetSimulator(setup) { _ in AnyPollingStrategy(try knowledge.strategy(arm: armIndex)) }
    }
}
