import Foundation
import Logging
import PollingCore
import Synchronization
import Testing
import TraceStore
@testable import ExperimentKit

/// Keeps every message logged at warning level or above.
struct CollectingLogHandler: LogHandler {
    let box: LogBox
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        box.messages.withLock { $0.append("\(event.message)") }
    }
}

final class LogBox: Sendable {
    let messages = Mutex<[String]>([])
    var logger: Logger {
        Logger(label: "test") { [self] _ in CollectingLogHandler(box: self) }
    }
}

/// The live runner warns once per arm when a scaled poll interval is below 20 round trips.
@Suite struct RoundTripWarningTests {
    /// A trial whose status calls were asked at `asked` (seconds) and took `roundTrips` (seconds).
    func trial(_ index: Int, asked: [Double], roundTrips: [Double]) -> TrialRecord {
        let ns = { (s: Double) in Int64((s * 1e9).rounded()) }
        var calls = [CallRecord(sequence: 0, kind: .create, sentNanos: 0, receivedNanos: 0)]
        for (k, (a, rtt)) in zip(asked, roundTrips).enumerated() {
            calls.append(CallRecord(sequence: k + 1, kind: .status, sentNanos: ns(a), receivedNanos: ns(a + rtt), askedNanos: ns(a)))
        }
        return TrialRecord(arm: "a", trialIndex: index, jobID: nil, jobSeed: 0, plannedDurationNanos: 0, startNanos: 0,
                           doneNanos: nil, detectNanos: nil, endNanos: 0, outcome: .failed, calls: calls)
    }

    /// First intervals 10, 20, 30, 40, 50 ms → median 30 ms; round trips 1 … 10 ms (two calls a
    /// trial) → median 5.5 ms; 20 × 5.5 = 110 ms > 30 ms: one warning, after the fifth trial.
    @Test func handComputedFigures() {
        let check = RoundTripCheck(arms: ["fast", "held"], longPoll: [false, true], timeScale: 0.01)
        var warnings: [String?] = []
        for i in 0..<6 {
            let gap = 0.010 * Double(i + 1)
            warnings.append(check.add(arm: 0, trial(i, asked: [0.1, 0.1 + gap], roundTrips: [0.001 * Double(2 * i + 1), 0.001 * Double(2 * i + 2)])))
        }
        #expect(warnings[0..<4].allSatisfy { $0 == nil })
        #expect(warnings[5] == nil)  // once per arm
        let text = warnings[4] ?? ""
        #expect(text.contains("arm 'fast'") && text.contains("30.00 ms") && text.contains("5.00 ms") == false, "\(text)")
        #expect(text.contains("5.50 ms") && text.contains("110.00 ms") && text.contains("raise time_scale to at least 0.0367"), "\(text)")
        // A long-polling arm is never checked.
        for i in 0..<5 { #expect(check.add(arm: 1, trial(i, asked: [0, 0.001], roundTrips: [1, 1])) == nil) }
    }

    @Test func wideIntervalsDoNotWarn() {
        let check = RoundTripCheck(arms: ["slow"], longPoll: [false], timeScale: 1)
        for i in 0..<5 { #expect(check.add(arm: 0, trial(i, asked: [0, 1], roundTrips: [0.002, 0.002])) == nil) }
    }

    /// Live: every status request is delayed 30 ms by the server (fault `latency`), and the arm
    /// asks for polls 1 s apart in workload time, 0.1 s real (time_scale 0.1): 0.1 s < 20 × 30 ms.
    @Test func slowRequestsTriggerTheWarningLive() async throws {
        let yaml = """
            name: rtt
            trials: 5
            seed: 3
            concurrency: 5
            time_scale: 0.1
            server: {faults: {latency: {fixed_ms: 30}}}
            job: {duration: {model: fixed, seconds: 5}, success_rate: 1}
            arms:
              - {name: tight, strategy: constant, interval: 1}
              - {name: held, strategy: long-poll, wait: 10}
            """
        let box = LogBox()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        _ = try await ExperimentRunner(logger: box.logger).run(try Experiment.parse(yaml: yaml, file: "rtt.yaml"), configText: yaml, database: database)
        let warnings = box.messages.withLock { $0 }.filter { $0.contains("round trip") }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.contains("arm 'tight'") == true && warnings.first?.contains("raise time_scale") == true)
    }
}
