import Foundation

/// The named experiments of a directory (default `experiments/` under the current directory):
/// one YAML file per experiment, `NAME.yaml`, whose `name` must equal `NAME`.
public struct ExperimentCatalog: Sendable {
    /// The directory holding the experiment files.
    public let directory: String

    public init(directory: String = "experiments") {
        self.directory = directory
    }

    /// The names of the experiments in `directory`, sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads an experiment by name (`experiments/NAME.yaml`) or by path (anything containing `/`
    /// or ending in `.yaml`/`.yml`).
    /// - Returns: the parsed experiment and the file's text (stored as the run's config).
    /// - Throws: `ExperimentError.notFound`, `.unreadable`, `.malformedYAML`, `.invalidField`
    ///   (including a `name` that does not match the file name).
    public func load(_ nameOrPath: String) throws -> (experiment: Experiment, text: String) {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml")
        let path = isPath ? nameOrPath : "\(directory)/\(nameOrPath).yaml"
        guard FileManager.default.fileExists(atPath: path) else {
            throw ExperimentError.notFound(nameOrPath, names())
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ExperimentError.unreadable(path, error.localizedDescription)
        }
        let experiment = try Experiment.parse(yaml: text, file: path)
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard experiment.name == base else {
            throw ExperimentError.invalidField(file: path, line: nil, field: "name",
                                               message: "is '\(experiment.name)' but the file is \(base).yaml; make them equal")
        }
        return (experiment, text)
    }
}
