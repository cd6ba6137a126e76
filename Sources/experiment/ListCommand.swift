import ArgumentParser
import ExperimentKit

/// `experiment list`: the named experiments and their descriptions.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the experiments under experiments/.",
        discussion: """
            Examples:
              experiment list
              experiment list --dir /path/to/experiments
            """)

    @Option(name: .customLong("dir"), help: "Directory of experiment files.")
    var directory = "experiments"

    func run() throws {
        let catalog = ExperimentCatalog(directory: directory)
        let names = catalog.names()
        if names.isEmpty {
            print("no experiments under \(directory)/")
            return
        }
        for name in names {
            do {
                let (experiment, _) = try catalog.load(name)
                let arms = experiment.arms.map(\.name).joined(separator: ", ")
                print("\(name): \(experiment.trials) trials × [\(arms)] — \(experiment.description)")
            } catch {
                print("\(name): INVALID — \(error)")
            }
        }
    }
}
