import ArgumentParser
import ExperimentKit
import Foundation
import TraceStore

/// `experiment run NAME|PATH`: runs one experiment, records it, prints its summary.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment (by name under experiments/, or a path) and print its summary.",
        discussion: """
            Without --server the mock job server runs in-process on an ephemeral loopback port. \
            Results go to --db (default results.sqlite in the current directory); query them \
            with `analyze summary` or the sqlite3 shell.

            Examples:
              experiment run seed-headline
              experiment run baseline-comparison --trials 50 --seed 7 --db /tmp/results.sqlite
              experiment run strategy-shootout --simulate --trials 100000
              experiment run experiments/seed-headline.yaml --server http://127.0.0.1:8080
              experiment run strategy-shootout --simulate --shard 2/4 --db shard-2.sqlite

            With --shard K/N the run holds only the trials whose index is K modulo N, with the \
            seeds of the whole run; `experiment merge` puts the N shard files back together \
            (README, "Running a large sweep on several machines").
            """
    )

    @Argument(help: "Experiment name (experiments/NAME.yaml) or path to a .yaml file.")
    var experiment: String

    @OptionGroup var runner: RunnerOptions

    @Option(help: "Override the file's trials per arm (1 … 10000000).")
    var trials: Int?

    @Option(help: "Override the file's run seed (unsigned 64-bit).")
    var seed: UInt64?

    @Flag(help: "Simulate in virtual time instead of polling over HTTP (same poll loop, same jobs).")
    var simulate = false

    @Option(help: ArgumentHelp(
        "Run only shard K of N: the trials whose index is K modulo N (whole numbers, 0 ≤ K < N ≤ 1000000, e.g. 0/4 … 3/4).",
        valueName: "K/N"))
    var shard: RunShard?

    @Option(help: "Directory of named experiment files.")
    var dir = "experiments"

    func validate() throws {
        if let trials, !(1...10_000_000).contains(trials) {
            throw ValidationError("--trials must be between 1 and 10000000, got \(trials)")
        }
        if simulate, runner.server != nil {
            throw ValidationError("--simulate and --server exclude each other: a simulation needs no server")
        }
    }

    func run() async throws {
        let (parsed, text) = try loadExperiment()
        var resolved = parsed  // refuse an impossible shard before the database is created or opened
        if let trials { resolved.trials = trials }
        if simulate { resolved.mode = .simulated }
        do {
            try ExperimentRunner.checkShard(shard, of: resolved)
        } catch {
            throw CommandFailure("\(error)")
        }
        let db = runner.db
        let session = try RunSession(databasePath: db, label: parsed.name)
        let experimentRunner = ExperimentRunner(logger: runner.logger)
        let options = ExperimentRunner.Options(trials: trials, seed: seed, serverURL: runner.server,
                                               mode: simulate ? .simulated : nil, shard: shard,
                                               progress: session.progressCallback)
        let database = session.database
        let result = try await session.execute(interrupted: { [db] in
            let run = (try? database.latestRunID(experiment: parsed.name)).flatMap { $0 }.map(String.init) ?? "RUN"
            return "interrupted; the trials recorded so far are kept: `experiment resume \(run) --db \(db)` runs the rest"
        }) {
            try await experimentRunner.run(parsed, configText: text, database: database, options: options)
        }
        let perArm = trials ?? parsed.trials
        let total = (shard?.trialCount(of: perArm) ?? perArm) * parsed.arms.count
        let seconds = String(format: "%.2f", result.wallTime.seconds)
        let part = shard.map { " (shard \($0))" } ?? ""
        try session.printSummary("run \(result.runID) of \(parsed.name)\(part): \(result.trials)/\(total) trials in \(seconds) s → \(db)",
                                 runID: result.runID)
    }

    private func loadExperiment() throws -> (Experiment, String) {
        do {
            return try ExperimentCatalog(directory: dir).load(experiment)
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
