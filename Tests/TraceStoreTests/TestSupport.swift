import Foundation
import PollingCore
import Synchronization
import Testing
@testable import TraceStore

/// Runs `body` with a database path inside a fresh temporary directory, deleted afterwards
/// (with the `-wal`/`-shm` files).
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("TraceStoreTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Opens a fresh read-write database in a temporary directory, runs `body`, closes and deletes it.
func withTemporaryDatabase<T>(wallClock: WallClock = WallClock(),
                              _ body: (TraceDatabase) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        let database = try TraceDatabase.open(path: directory.appendingPathComponent("test.sqlite").path,
                                              wallClock: { wallClock.now })
        defer { try? database.close() }
        return try await body(database)
    }
}

/// A wall clock the test sets by hand.
final class WallClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A monotonic clock the test advances by hand; it never sleeps.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let current = Mutex<Duration>(.zero)
    var now: Instant { Instant(offset: current.withLock { $0 }) }
    var minimumResolution: Duration { .nanoseconds(1) }
    func advance(by duration: Duration) { current.withLock { $0 += duration } }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        Issue.record("ManualClock never sleeps")
    }
}

let ms: Int64 = 1_000_000
let second: Int64 = 1_000_000_000

func provenance(name: String = "exp", description: String = "an experiment", seed: UInt64 = 42,
                startedAt: Date = Date(timeIntervalSince1970: 1_750_000_000),
                configText: String = "name: exp\n") -> RunProvenance {
    RunProvenance(experimentName: name, experimentDescription: description, mode: .simulated, seed: seed,
                  trialsPerArm: 2, concurrency: 4, timeout: 2.5, startedAt: startedAt, gitSHA: "abc123",
                  gitDirty: true, host: "testhost", toolchain: "Swift 6.3.1", configText: configText)
}

let twoArms = [
    ArmSpec(name: "a", strategy: "constant", parametersJSON: #"{"interval":0.7}"#),
    ArmSpec(name: "b", strategy: "exponential", parametersJSON: #"{"base":0.1}"#),
]

/// A create call received at `start` (sent `latency` earlier), then the given status calls.
func calls(createSent: Int64, createReceived: Int64,
           _ polls: [(sent: Int64, received: Int64, result: JobStatus)]) -> [CallRecord] {
    var records = [CallRecord(sequence: 0, kind: .create, sentNanos: createSent, receivedNanos: createReceived,
                              httpStatus: 202)]
    for (index, poll) in polls.enumerated() {
        records.append(CallRecord(sequence: index + 1, kind: .status, sentNanos: poll.sent,
                                  receivedNanos: poll.received, httpStatus: 200, result: poll.result))
    }
    return records
}

/// Arm a, trial 0: start 0, done 1.0 s, detect 1.5 s after 3 polls → delay 0.5, ER 1/3, HR 1/3;
/// last pending send 0.7 s → delay upper bound 0.8 s.
let detectedTrial = TrialRecord(
    arm: "a", trialIndex: 0, jobID: "job-1", jobSeed: UInt64.max, plannedDurationNanos: 1 * second,
    startNanos: 0, doneNanos: 1 * second, detectNanos: 1500 * ms, endNanos: 1500 * ms, outcome: .completed,
    calls: calls(createSent: 0, createReceived: 0,
                 [(0, 10 * ms, .pending), (700 * ms, 710 * ms, .pending), (1490 * ms, 1500 * ms, .completed)]))

/// Arm a, trial 1: timed out after 3 pending polls → ER 1, HR 0, no delay.
let timedOutTrial = TrialRecord(
    arm: "a", trialIndex: 1, jobID: "job-2", jobSeed: 7, plannedDurationNanos: 5 * second,
    startNanos: 100 * ms, doneNanos: 5100 * ms, detectNanos: nil, endNanos: 3100 * ms, outcome: .timedOut,
    errorCode: "timeout",
    calls: calls(createSent: 50 * ms, createReceived: 100 * ms,
                 [(100 * ms, 120 * ms, .pending), (1100 * ms, 1120 * ms, .pending), (3000 * ms, 3020 * ms, .pending)]))

/// Arm b, trial 0: job error detected on the first poll: start 0, done 0.2 s, detect 0.6 s →
/// delay 0.4, ER 2/3, HR 1; no pending poll → delay upper bound = 0.6 - start = 0.6 s.
let errorTrial = TrialRecord(
    arm: "b", trialIndex: 0, jobID: "job-3", jobSeed: 42, plannedDurationNanos: 200 * ms,
    startNanos: 0, doneNanos: 200 * ms, detectNanos: 600 * ms, endNanos: 600 * ms, outcome: .error,
    calls: calls(createSent: 0, createReceived: 0, [(500 * ms, 600 * ms, .error)]))

/// Arm b, trial 1: creation failed (HTTP 500), no status call → tries 0, ER 1, HR 0.
let failedTrial = TrialRecord(
    arm: "b", trialIndex: 1, jobID: nil, jobSeed: 43, plannedDurationNanos: 300 * ms,
    startNanos: 0, doneNanos: nil, detectNanos: nil, endNanos: 20 * ms, outcome: .failed, errorCode: "http_500",
    calls: [CallRecord(sequence: 0, kind: .create, sentNanos: 0, receivedNanos: 20 * ms, httpStatus: 500,
                       errorCode: "http_500")])
