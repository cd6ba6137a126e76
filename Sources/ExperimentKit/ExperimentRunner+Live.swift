import Foundation
import MockJobServer
import PollingClient
import PollingCore
import Synchronization
import TraceStore

/// Live mode: real HTTP against the mock server.
///
/// Without a server URL it starts the mock job server in-process on an ephemeral loopback port
/// and stops it at the end. Trials run concurrently, at most `concurrency` at once, interleaved
/// across arms (trial 0 of every arm, then trial 1, …) so that every arm meets the same load.
/// With `arrivals`, trial `i` of every arm starts at the pattern's `i`-th instant, or as soon as a
/// worker is free after it (the wait is recorded).
/// A shard (`Options.shard`) runs only its trial indexes, with the whole run's seeds; `run`
/// refuses a live shard of an experiment with a `learned` arm (`checkShard`).
extension ExperimentRunner {
    /// The most connections the client keeps to the server: 1 024. Up to that, every trial in
    /// flight has its own connection (queued requests would distort poll timing); beyond it, a
    /// connection per trial costs memory (about 20 KB each) but no speed, since 2 cores are then
    /// busy anyway.
    public static let maximumConnections = 1_024

    /// Runs `experiment` live and records it in `database`.
    /// - Parameters:
    ///   - experiment: the parsed experiment.
    ///   - configText: the file's text, stored with the run.
    ///   - database: an open, writable trace database.
    ///   - options: overrides.
    /// - Returns: the run id and counts.
    /// - Throws: `ExperimentError.runFailed` (the run row is then marked `failed`), or a
    ///   `TraceStoreError`. Cancellation marks the run `interrupted` and rethrows.
    func runLive(_ experiment: Experiment, plan: Plan, database: TraceDatabase,
                 options: Options) async throws -> Result {
        if let url = options.serverURL {
            return try await runLive(experiment, plan: plan, database: database, baseURL: url, server: nil, options: options)
        }
        var started = false
        do {
            return try await withRunningJobServer(
                configuration: experiment.scaledServer.configuration(seed: experiment.seed), logger: logger
            ) { server in
                started = true
                return try await runLive(experiment, plan: plan, database: database, baseURL: server.baseURL,
                                         server: server.server, options: options)
            }
        } catch where !started && !(error is CancellationError) {
            throw ExperimentError.runFailed("could not start the embedded mock server: \(error)")
        }
    }

    /// Runs the trials against the server at `baseURL`, with a webhook receiver on loopback
    /// when an arm is a `webhook` arm.
    private func runLive(_ experiment: Experiment, plan: Plan, database: TraceDatabase, baseURL: String,
                         server: MockJobServer?, options: Options) async throws -> Result {
        guard experiment.arms.contains(where: { if case .webhook = $0.strategy { true } else { false } }) else {
            return try await runLive(experiment, plan: plan, database: database, baseURL: baseURL, server: server,
                                     webhook: nil, options: options)
        }
        var started = false
        do {
            return try await WebhookReceiver.withReceiver(logger: logger) { receiver in
                started = true
                return try await runLive(experiment, plan: plan, database: database, baseURL: baseURL, server: server,
                                         webhook: receiver, options: options)
            }
        } catch where !started && !(error is CancellationError) {
            throw ExperimentError.runFailed("could not start the webhook receiver on 127.0.0.1: \(error)")
        }
    }

    /// Runs the trials against the server at `baseURL` with a client of its own, shut down after.
    private func runLive(_ experiment: Experiment, plan: Plan, database: TraceDatabase, baseURL: String,
                         server: MockJobServer?, webhook: WebhookReceiver?, options: Options) async throws -> Result {
        let client: JobClient
        do {
            client = try JobClient(baseURL: baseURL, configuration: .init(
                timeout: .init(request: .clampedSeconds(experiment.requestTimeout)),
                maximumConnections: min(experiment.concurrency, Self.maximumConnections), webhook: webhook), logger: logger)
        } catch {
            throw ExperimentError.runFailed("\(error)")
        }
        let outcome: Swift.Result<Result, any Error>
        do {
            outcome = .success(try await record(experiment, plan: plan, database: database, client: client,
                                                server: server, options: options))
        } catch {
            outcome = .failure(error)
        }
        if case .success = outcome {
            try await client.shutdown()
        } else {
            try? await client.shutdown()
        }
        return try outcome.get()
    }

    /// Warms the client up, then records the run's trials through `client`, and the embedded
    /// server's counts (restarted at the run's start) into `server_load` and `server_push`.
    private func record(_ experiment: Experiment, plan: Plan, database: TraceDatabase, client: JobClient,
                        server: MockJobServer?, options: Options) async throws -> Result {
        do {
            try await client.warmUp(connections: experiment.concurrency)
        } catch {
            throw ExperimentError.runFailed("cannot reach the job server at \(client.baseURL): \(error)")
        }
        let result = try await recordRun(experiment, plan: plan, database: database, serverURL: client.baseURL,
                                         shard: options.shard) { sink, runStart in
            server?.load.restart(at: runStart)
            server?.push.restart(at: runStart)
            return try await runTrials(experiment, plan: plan, client: client, clock: ContinuousClock(), runStart: runStart,
                                       sink: sink, shard: options.shard, progress: options.progress)
        }
        if let server {
            await server.push.waitForClosedStreams(limit: .seconds(2))
            try database.recordServerLoad(runID: result.runID, counts: server.load.counts)
            try database.recordServerPush(runID: result.runID, counts: server.push.counts)
        }
        return result
    }

    private func runTrials(_ experiment: Experiment, plan: Plan, client: JobClient, clock: ContinuousClock,
                           runStart: ContinuousClock.Instant, sink: any TraceSink, shard: RunShard?,
                           progress: (@Sendable (Int, Int) -> Void)?) async throws -> Int {
        let drivers = experiment.arms.map { arm in
            TrialDriver(poller: Poller(transport: client, clock: clock, configuration: experiment.pollLoopConfiguration(for: arm)),
                        runStart: runStart)
        }
        let armNames = experiment.arms.map(\.name)
        let queue = TrialQueue(arms: armNames.count, trials: experiment.trials, shard: shard,
                               skipping: plan.doneCount(arms: armNames, trials: experiment.trials, shard: shard),
                               arrivals: experiment.arrivals?.stream(seed: SeedDerivation.arrivalSeed(runSeed: experiment.seed))) { arm, index in
            plan.isDone(arm: armNames[arm], index: index)
        }
        let total = queue.total
        let knowledge = try SharedKnowledge(experiment)
        let budgets = experiment.arms.map { $0.retry.makeBudget() }  // one per arm, shared by its trials
        let lateness = LatenessLog()
        let roundTrips = RoundTripCheck(arms: armNames, longPoll: experiment.arms.map { $0.strategy.kind == "long-poll" },
                                        timeScale: experiment.timeScale)
        defer { lateness.warnIfLate(concurrency: experiment.concurrency, logger: logger) }
        // A pool of `concurrency` workers, each taking the next trial in order until none is left;
        // a discarding group frees each worker as soon as it is done.
        try await withThrowingDiscardingTaskGroup { group in
            for _ in 0..<min(experiment.concurrency, total) {
                group.addTask {
                    while let (item, k, arrival) = queue.takeArriving() {
                        let arm = experiment.arms[item.arm]
                        // A trial that arrives while every worker is busy waits for one; the
                        // wait is recorded (arrival patterns only).
                        let wanted = runStart.advanced(by: arrival ?? rampUpOffset(experiment, trial: k))
                        let wait = arrival.map { _ in max(.zero, wanted.duration(to: clock.now)) }
                        let trial = TrialDriver<ContinuousClock>.Trial(
                            arm: arm.name, index: item.index, parameters: experiment.scaledJob,
                            jobSeed: SeedDerivation.jobSeed(runSeed: experiment.seed, trialIndex: item.index),
                            cancelAtDeadline: arm.cancelAtDeadline, wait: wait)
                        try await clock.sleep(until: wanted, tolerance: nil)
                        var strategy = try knowledge.strategy(arm: item.arm)
                        var rng = SeededGenerator(seed: SeedDerivation.strategySeed(
                            runSeed: experiment.seed, armIndex: item.arm, trialIndex: item.index))
                        let record = try await drivers[item.arm].run(trial, strategy: &strategy, using: &rng, sink: sink,
                                                          budget: budgets[item.arm])
                        try knowledge.learn(arm: item.arm, from: record)
                        lateness.add(record)
                        if let warning = roundTrips.add(arm: item.arm, record) { logger.warning("\(warning)") }
                        let finished = queue.complete()  // not inside `progress?(…)`: that skips it when nil
                        progress?(finished, total)
                    }
                }
            }
        }
        return queue.completed
    }

    /// When the `trial`-th trial to start (across arms) may start: the first `concurrency` trials
    /// are spread evenly over `rampUp` seconds; later ones start as soon as a slot frees.
    private func rampUpOffset(_ experiment: Experiment, trial: Int) -> Duration {
        guard experiment.rampUp > 0, trial < experiment.concurrency else { return .zero }
        return .clampedSeconds(experiment.rampUp * Double(trial) / Double(experiment.concurrency))
    }
}
