import MockJobServer
import PollingCore
import Yams

/// How the embedded mock server behaves in a live experiment: the `server:` section of an
/// experiment file. Ignored with `--server URL` (that server has its own settings). In
/// simulated mode only `capacity` (`FleetSimulator`) and `progress` (the simulator's pending
/// observations of a `parts` job carry the progress the server would report) apply; the other
/// keys are live-only.
///
/// Times here are workload seconds, like every time of the file: with a `time_scale` the
/// server runs `scaled(by:)`, live and simulated (every server rate divided by the scale, every
/// server time multiplied by it).
///
/// ```yaml
/// server:
///   retry_after: 1              # Retry-After on pending responses, whole seconds (RFC 9110)
///   retry_after_format: seconds # or http-date (IMF-fixdate)
///   eta: true                   # an `eta` field (seconds left, fractional) on pending responses
///   progress: true              # `progress: {done, total}` on pending responses of a parts job
///   max_wait: 30                # longest long poll (?wait=) the server holds, seconds
///   max_jobs: 100000            # most jobs held at once (503 too_many_jobs beyond)
///   capacity: {rate: 100, burst: 20, concurrency: 8, service_time: 0.01, max_queue: 64}
///   faults:                     # server-wide fault rates (docs/server.md, FaultConfiguration)
///     error_503: 0.05
/// ```
public struct ServerSettings: Sendable, Hashable {
    /// Hints on pending responses. Default none.
    public var hints: MockJobServer.Hints
    /// The longest long poll the server holds, seconds. Default 30.
    public var maxWait: Double
    /// Server-wide fault injection. Default none.
    public var faults: MockJobServer.FaultConfiguration
    /// The most jobs the server holds at once; finished and cancelled jobs make room. Default
    /// 100 000 (`MockJobServer.Configuration`).
    public var maxJobs: Int
    /// The capacity for status requests (`ServerCapacity`). Default unlimited.
    public var capacity: ServerCapacity

    public init(hints: MockJobServer.Hints = .init(), maxWait: Double = 30,
                faults: MockJobServer.FaultConfiguration = .init(), maxJobs: Int = 100_000,
                capacity: ServerCapacity = ServerCapacity()) {
        self.hints = hints
        self.maxWait = maxWait
        self.faults = faults
        self.maxJobs = maxJobs
        self.capacity = capacity
    }

    /// The embedded server's configuration for a run seeded with `seed`, on an ephemeral
    /// loopback port.
    func configuration(seed: UInt64) -> MockJobServer.Configuration {
        MockJobServer.Configuration(host: "127.0.0.1", port: 0, seed: seed, hints: hints,
                                    maxWait: .clampedSeconds(maxWait), faults: faults, maxJobs: maxJobs, capacity: capacity)
    }

    static let keys = ["retry_after", "retry_after_format", "eta", "progress", "max_wait", "faults", "max_jobs", "capacity"]

    /// The settings in real time for an experiment's `time_scale` (real seconds per workload
    /// second): every server **rate** divided by `factor` (`capacity.rate`, requests per second),
    /// every server **time** multiplied by it (`capacity.service_time`, `max_wait`,
    /// `retry_after`). Counts are unchanged (`burst`, `concurrency`, `max_queue`, `max_jobs`), and
    /// so are the times that model the network or housekeeping rather than the workload (fault
    /// `latency`, the finished-job TTL): request latency does not scale.
    ///
    /// `Retry-After` carries whole seconds (RFC 9110 §10.2.3), so a scaled `retry_after` must
    /// stay a whole number (`Experiment.parse` refuses a file where it does not; sub-second
    /// hints go in the fractional `eta`). Here it is rounded to the nearest whole second.
    /// - Parameter factor: the time scale, finite and > 0; 1 returns the settings unchanged.
    public func scaled(by factor: Double) -> ServerSettings {
        guard factor != 1 else { return self }
        var s = self
        if let rate = capacity.rate { s.capacity.rate = rate / factor }
        s.capacity.serviceTime = .clampedSeconds(capacity.serviceTime.seconds * factor)
        s.maxWait = maxWait * factor
        s.hints.retryAfter = hints.retryAfter.map { Int((Double($0) * factor).rounded()) }
        return s
    }

    /// The scaled `retry_after` when it is not a whole number of seconds (to name in an error), else `nil`.
    func fractionalRetryAfter(scale: Double) -> Double? {
        guard let r = hints.retryAfter else { return nil }
        let scaled = Double(r) * scale
        return abs(scaled - scaled.rounded()) > 1e-9 * max(1, scaled) ? scaled : nil
    }

    /// Parses the `server:` section.
    /// - Throws: `ExperimentError.invalidField` naming the key (`server.faults.error_503`, …).
    static func parse(_ fields: FieldReader) throws -> ServerSettings {
        try fields.allow(keys)
        var settings = ServerSettings()
        if fields.value("retry_after") != nil {
            settings.hints.retryAfter = try fields.integer("retry_after", range: 0...86_400)
        }
        if let format = try fields.optionalString("retry_after_format") {
            guard let value = MockJobServer.Hints.RetryAfterFormat(rawValue: format) else {
                throw fields.invalid("retry_after_format", "unknown format '\(format)' (use seconds or http-date)")
            }
            settings.hints.retryAfterFormat = value
        }
        if let node = fields.value("eta") {
            guard let value = node.bool else { throw fields.invalid("eta", "must be true or false") }
            settings.hints.eta = value
        }
        if let node = fields.value("progress") {
            guard let value = node.bool else { throw fields.invalid("progress", "must be true or false") }
            settings.hints.progress = value
        }
        settings.maxWait = try fields.seconds("max_wait", default: 30)
        settings.maxJobs = try fields.integer("max_jobs", default: 100_000, range: 1...10_000_000)
        if let node = fields.value("capacity") {
            settings.capacity = try decode(ServerCapacity.self, node, key: "capacity", fields)
            do {
                try settings.capacity.validate()
            } catch {
                throw fields.invalid("capacity.\(error.field)", error.description.replacingOccurrences(of: "\(error.field): ", with: ""))
            }
        }
        if let node = fields.value("faults") {
            settings.faults = try decode(MockJobServer.FaultConfiguration.self, node, key: "faults", fields)
        }
        return settings
    }

    /// Decodes a sub-mapping with `YAMLDecoder`, naming the offending key as `key.sub`.
    private static func decode<T: Decodable>(_ type: T.Type, _ node: Node, key: String, _ fields: FieldReader) throws -> T {
        do {
            return try YAMLDecoder().decode(T.self, from: node)
        } catch let DecodingError.dataCorrupted(context), let DecodingError.typeMismatch(_, context),
                let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw fields.invalid(path.isEmpty ? key : "\(key).\(path)", context.debugDescription)
        } catch {
            throw fields.invalid(key, "\(error)")
        }
    }
}
