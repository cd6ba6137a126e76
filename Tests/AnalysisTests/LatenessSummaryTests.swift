import Analysis
import Foundation
import PollingCore
import Testing
import TraceStore

/// `analyze summary`'s lateness percentiles (issue 12 item 6) on a database written through
/// `TraceDatabase` / `TraceWriter`, by hand.
@Suite struct LatenessSummaryTests {
    static func ms(_ value: Double) -> Int64 { Int64((value * 1e6).rounded()) }

    static func trial(_ arm: String, _ index: Int, _ polls: [(asked: Double?, sent: Double, received: Double)]) -> TrialRecord {
        let create = CallRecord(sequence: 0, kind: .create, sentNanos: 0, receivedNanos: ms(10))
        let status = polls.enumerated().map { i, poll in
            CallRecord(sequence: i + 1, kind: .status, sentNanos: ms(poll.sent), receivedNanos: ms(poll.received),
                       result: i == polls.count - 1 ? .completed : .pending, askedNanos: poll.asked.map(ms))
        }
        let end = status.last?.receivedNanos ?? ms(10)
        return TrialRecord(arm: arm, trialIndex: index, jobID: "j\(index)", jobSeed: 1, plannedDurationNanos: 0,
                           startNanos: ms(10), doneNanos: ms(10), detectNanos: end, endNanos: end,
                           outcome: .completed, calls: [create] + status)
    }

    /// Arm `a`: lateness 2, 1, 5 ms (the third call was asked at 125 ms, before the previous
    /// receive at 130 ms, so it counts from 130 ms: 135 − 130, not 135 − 125) and 0, 4 ms.
    /// Sorted 0, 1, 2, 4, 5: p50 = 2 ms; p99 (type 7) = 4 + 0.96 · (5 − 4) = 4.96 ms.
    /// Arm `b` has no asked instants (rows from before `v8-asked-instant`): no lateness.
    @Test func latenessPercentilesByHand() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lateness-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        let handle = try database.beginRun(
            RunProvenance(experimentName: "late", mode: .live, seed: 1, trialsPerArm: 2, concurrency: 2,
                          startedAt: Date(timeIntervalSince1970: 1_750_000_000), host: "h", toolchain: "t",
                          configText: "name: late\n"),
            arms: [ArmSpec(name: "a", strategy: "constant"), ArmSpec(name: "b", strategy: "constant")])
        let writer = try TraceWriter(database: database, run: handle)
        try await writer.record(Self.trial("a", 0, [(10, 12, 20), (120, 121, 130), (125, 135, 140)]))
        try await writer.record(Self.trial("a", 1, [(10, 10, 20), (50, 54, 60)]))
        try await writer.record(Self.trial("b", 0, [(nil, 12, 20), (nil, 40, 50)]))
        try await writer.close()
        try database.finishRun(handle.runID, status: .finished)

        let report = try SummaryReport.load(from: database.reader)
        let a = try #require(report.arms.first { $0.name == "a" })
        let b = try #require(report.arms.first { $0.name == "b" })
        #expect(abs((a.p50LatenessMs ?? -1) - 2) < 1e-9)
        #expect(abs((a.p99LatenessMs ?? -1) - 4.96) < 1e-9)
        #expect(b.p50LatenessMs == nil && b.p99LatenessMs == nil)
        let rows = SummaryRenderer.table(report).split(separator: "\n")
        let rowA = try #require(rows.first { $0.hasPrefix("a ") })
        let rowB = try #require(rows.first { $0.hasPrefix("b ") })
        #expect(rowA.hasSuffix(" 2.0          5.0"))   // 1 decimal: 2 ms and 4.96 ms
        #expect(rowB.hasSuffix(" -            -"))
    }
}
