import BenchSupport
import ExperimentKit
import Foundation
import PollingCore
import TraceStore

/// `bench-simulation [TRIALS] [ROUNDS]`: simulated polls (status calls) per second, release
/// build, for the seed strategy on the seed job model (jobs of 1.5 s + U(0, 0.9) s, the
/// seed-headline arm), TRIALS trials (default 200 000), each measurement ROUNDS times (default
/// 3; the median counts, the range is printed beside it):
/// - into an `InMemoryTraceSink` through `ExperimentRunner.simulate` (goal ≥ 1 000 000 polls/s);
/// - into SQLite through `ExperimentRunner.run` in simulated mode, every call written by the
///   tracer (goal ≥ 500 000 polls/s), on a fresh file in the temporary directory.
/// Prints `simulation …` lines (and each round on stderr); exits non-zero only if a run fails.
@main
struct BenchSimulation {
    static func main() async {
        do { try await run() } catch {
            BenchReport.printError("\(CommandLine.arguments[0]): \(error)")
            exit(1)
        }
    }

    static func run() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let trials = arguments.first.flatMap(Int.init) ?? 200_000
        let rounds = max(1, arguments.dropFirst().first.flatMap(Int.init) ?? 3)
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

        var memoryRates: [Double] = []
        var memoryPolls = 0
        for round in 1...rounds {
            let sink = InMemoryTraceSink()
            let (_, seconds) = try await BenchReport.time { try await ExperimentRunner.simulate(experiment, sink: sink) }
            memoryPolls = await sink.trials.reduce(0) { $0 + $1.tries }
            memoryRates.append(Double(memoryPolls) / seconds)
            BenchReport.printError("bench-simulation: in memory, round \(round): \(BenchReport.grouped(memoryRates.last!)) polls/s")
        }
        BenchReport.print("simulation in memory: \(summary(memoryRates)) polls/s (\(trials) trials, \(memoryPolls) polls; goal >= 1 000 000; load \(BenchReport.loadAverage()))")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-bench-sim-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var sqliteRates: [Double] = []
        var counts = (polls: 0, rows: 0)
        for round in 1...rounds {
            let database = try TraceDatabase.open(path: directory.appendingPathComponent("sim-\(round).sqlite").path)
            defer { try? database.close() }
            let (_, seconds) = try await BenchReport.time {
                try await ExperimentRunner().run(experiment, configText: yaml, database: database)
            }
            counts = try await database.reader.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM api_call WHERE kind = 'status'") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM api_call") ?? 0)
            }
            sqliteRates.append(Double(counts.polls) / seconds)
            BenchReport.printError("bench-simulation: to SQLite, round \(round): \(BenchReport.grouped(sqliteRates.last!)) polls/s (\(String(format: "%.2f", seconds)) s)")
        }
        BenchReport.print("simulation to SQLite: \(summary(sqliteRates)) polls/s (\(trials) trials, \(counts.polls) polls, \(counts.rows) call rows, every call written; goal >= 500 000; load \(BenchReport.loadAverage()))")
    }

    /// "median (min–max, n rounds)"; `rates` is not empty.
    static func summary(_ rates: [Double]) -> String {
        let sorted = rates.sorted()
        let median = Statistics.percentile(sorted: sorted, 0.5)!
        return "\(BenchReport.grouped(median)) median (\(BenchReport.grouped(sorted.first!))–\(BenchReport.grouped(sorted.last!)), \(rates.count) rounds)"
    }
}
