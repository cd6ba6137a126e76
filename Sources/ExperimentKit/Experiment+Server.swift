import PollingCore

extension Experiment {
    /// The embedded server's settings in real time: `server` scaled by `timeScale`
    /// (`ServerSettings.scaled(by:)`: rates divided by it, server times multiplied by it).
    public var scaledServer: ServerSettings { server.scaled(by: timeScale) }

    /// Checks the `server:` section against the rest of the file (after `time_scale` and the
    /// arms are read).
    /// - Throws: `ExperimentError.invalidField` naming the file, line and key:
    ///   `server.progress` on a job that is not made of parts (there is nothing to report);
    ///   `server.retry_after` when `retry_after × time_scale` is not a whole number of seconds
    ///   (`Retry-After` carries whole seconds; use `eta` for hints below a second); an arm with
    ///   the `progress` strategy without `server.progress: true`.
    static func validateServer(_ experiment: Experiment, _ top: FieldReader) throws {
        let server = top.value("server") == nil ? nil : try top.mapping("server")
        if experiment.server.hints.progress {
            guard case .parts = experiment.job.durationSpec else {
                throw (server ?? top).invalid(server == nil ? "server" : "progress",
                    "progress needs a job made of parts (job.duration: {model: parts, …}); a \(experiment.job.durationSpec.name) job has no parts to report: remove the key or change the model")
            }
        }
        if let scaled = experiment.server.fractionalRetryAfter(scale: experiment.timeScale), let server {
            throw server.invalid("retry_after",
                "\(experiment.server.hints.retryAfter ?? 0) s × time_scale \(experiment.timeScale) = \(scaled) s is not a whole number of seconds, and Retry-After carries whole seconds (RFC 9110 §10.2.3): use eta: true for hints below a second, or a retry_after that scales to whole seconds")
        }
        for (index, arm) in experiment.arms.enumerated() where arm.strategy.kind == "progress" && !experiment.server.hints.progress {
            let fields = try FieldReader(file: top.file, path: "arms[\(index)]", node: try top.node("arms").array()[index])
            throw fields.invalid("strategy",
                "the progress strategy reads the server's progress reports: add `server: {progress: true}` (and a job made of parts)")
        }
    }
}
