import BenchSupport
import ExperimentKit
import Foundation
import PollingCore
import TraceStore

/// `bench-simulation [TRIALS]`: simulated polls (status calls) per second, release build, for
/// the seed strategy on the seed job model (jobs of 1.5 s + U(0, 0.9) s, the seed-headline arm),
/// TRIALS trials (default 200 000):
/// - into an `InMemoryTraceSink` through `ExperimentRunner.simulate` (goal ≥ 1 000 000 polls/s);
/// - into SQLite through `ExperimentRunner.run` in simulated mode, every call written by the
///   tracer (goal ≥ 500 000 polls/s), on a fresh file in the temporary directory.
/// Prints `simulation …` lines; exits non-zero only if a run fails.
@main
struct BenchSimulation {
    static func main() async {
        do { try await run() } catch {
            BenchReport.printError("\(CommandLine.arguments[0]): \(error)")
            exit(1)
        }
    }

    static func run() async throws {
        let trials = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 200_000
        let yaml = """
            name: bench-simulation
            mode: simulated
            trials: \(trials)
            seed: 20241129
            job: {base_delay: 1.5, var_delay: 0.9, success_rate: 0.8, duration_model: seed}
            arms:
              - {name: seed, strategy: seed, initial_interval: 0.1, max_interval: 3, jitter: [1, 1], duration_hint: 1.5}
            """
        let experiment = try Experiment.parse(yaml: yaml, file: "bench-simulation.yaml")

        let sink = InMemoryTraceSink()
        let (count, memorySeconds) = try await BenchReport.time { try await ExperimentRunner.simulate(experiment, sink: sink) }
        let memoryPolls = await sink.trials.reduce(0) { $0 + $1.tries }
        BenchReport.print("simulation in memory: \(BenchReport.grouped(Double(memoryPolls) / memorySeconds)) polls/s (\(count) trials, \(memoryPolls) polls in \(String(format: "%.2f", memorySeconds)) s; goal >= 1 000 000; load \(BenchReport.loadAverage()))")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-bench-sim-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try TraceDatabase.open(path: directory.appendingPathComponent("sim.sqlite").path)
        defer { try? database.close() }
        let (result, sqliteSeconds) = try await BenchReport.time {
            try await ExperimentRunner().run(experiment, configText: yaml, database: database)
        }
        let (sqlitePolls, rows) = try await database.reader.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM api_call WHERE kind = 'status'") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM api_call") ?? 0)
        }
        BenchReport.print("simulation to SQLite: \(BenchReport.grouped(Double(sqlitePolls) / sqliteSeconds)) polls/s (\(result.trials) trials, \(sqlitePolls) polls, \(rows) call rows in \(String(format: "%.2f", sqliteSeconds)) s; goal >= 500 000; load \(BenchReport.loadAverage()))")
    }
}
