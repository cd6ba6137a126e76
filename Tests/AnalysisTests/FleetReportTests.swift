import Analysis
import Foundation
import PollingCore
import Testing
import TraceStore

/// `analyze summary --fleet` (issue 12 item 7) on a small database written through
/// `TraceDatabase` / `TraceWriter`, every figure counted by hand.
@Suite struct FleetReportTests {
    static func ms(_ value: Double) -> Int64 { Int64((value * 1e6).rounded()) }

    /// A trial started at 10 ms (create 0–10 ms) with polls `(sent ms, HTTP status, result)`, each
    /// answered 10 ms later; done at `done` ms, detected at the last poll's receive.
    static func trial(_ arm: String, _ index: Int, done: Double, _ polls: [(sent: Double, http: Int, result: JobStatus?)]) -> TrialRecord {
        let create = CallRecord(sequence: 0, kind: .create, sentNanos: 0, receivedNanos: ms(10), httpStatus: 201)
        let status = polls.enumerated().map { i, poll in
            CallRecord(sequence: i + 1, kind: .status, sentNanos: ms(poll.sent), receivedNanos: ms(poll.sent + 10),
                       httpStatus: poll.http, result: poll.result, askedNanos: ms(poll.sent))
        }
        let detect = status.last!.receivedNanos
        return TrialRecord(arm: arm, trialIndex: index, jobID: "j\(index)", jobSeed: 1, plannedDurationNanos: ms(done - 10),
                           startNanos: ms(10), doneNanos: ms(done), detectNanos: detect, endNanos: detect,
                           outcome: .completed, calls: [create] + status)
    }

    /// Arm `a`: trial 0 polls at 20 ms (429), 50 ms (503), 120 ms (completed; done 100 ms, delay
    /// 30 ms); trial 1 at 60 ms (pending), 150 ms (completed; done 140 ms, delay 20 ms).
    /// Calls 2 creates + 5 polls = 7; one 429, one 503; makespan 160 − 10 ms = 0.150 s; p99 delay
    /// (type 7) 0.020 + 0.99 · 0.010 = 0.0299 s; status calls per 100 ms bucket: [0, 100) holds
    /// 20, 50, 60 → 3, [100, 200) holds 120, 150 → 2: peak 3.
    /// Arm `b`: one trial, one poll at 30 ms (completed; done 35 ms): 2 calls, makespan 0.030 s,
    /// delay 5 ms, peak 1. The server saw 4 requests in bucket 0 (2 served, one 429, one 503) and
    /// 2 in bucket 1: peak 4.
    static func database(_ path: String) async throws -> TraceDatabase {
        let database = try TraceDatabase.open(path: path)
        let handle = try database.beginRun(
            RunProvenance(experimentName: "fleet", mode: .live, seed: 1, trialsPerArm: 2, concurrency: 2,
                          startedAt: Date(timeIntervalSince1970: 1_750_000_000), host: "h", toolchain: "t",
                          configText: "name: fleet\nserver:\n  capacity: {rate: 20, burst: 2}\n"),
            arms: [ArmSpec(name: "a", strategy: "constant"), ArmSpec(name: "b", strategy: "constant")])
        let writer = try TraceWriter(database: database, run: handle)
        try await writer.record(trial("a", 0, done: 100, [(20, 429, nil), (50, 503, nil), (120, 200, .completed)]))
        try await writer.record(trial("a", 1, done: 140, [(60, 200, .pending), (150, 200, .completed)]))
        try await writer.record(trial("b", 0, done: 35, [(30, 200, .completed)]))
        try await writer.close()
        try database.recordServerLoad(runID: handle.runID, counts: LoadCounts(buckets: [
            .init(served: 2, rateLimited: 1, overloaded: 1), .init(served: 2),
        ]))
        try database.finishRun(handle.runID, status: .finished)
        return database
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID()).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    @Test func fleetFiguresByHand() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let database = try await Self.database(path)
        let report = try FleetReport.load(from: database.reader)
        #expect(report.arms.map(\.name) == ["a", "b"])
        let (a, b) = (report.arms[0], report.arms[1])
        #expect(a.trials == 2 && a.calls == 7 && a.tooManyRequests == 1 && a.unavailable == 1)
        #expect(abs((a.makespan ?? -1) - 0.150) < 1e-12)
        #expect(abs((a.p99Delay ?? -1) - 0.0299) < 1e-12)
        #expect(a.peakCalls == 3)
        #expect(b.trials == 1 && b.calls == 2 && b.tooManyRequests == 0 && b.unavailable == 0)
        #expect(abs((b.makespan ?? -1) - 0.030) < 1e-12)
        #expect(abs((b.p99Delay ?? -1) - 0.005) < 1e-12)
        #expect(b.peakCalls == 1)
        #expect(report.serverPeak == 4)

        let lines = FleetRenderer.table(report).split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("a ") && $0.hasSuffix("7    1    1       0.150        0.030            3") })
        #expect(lines.last == "server peak load: 4 status requests in one 100 ms bucket (server_load: served + 429 + 503)")
        #expect(FleetRenderer.csv(report).split(separator: "\n")[1] == "1,fleet,0,a,constant,2,7,1,1,0.150,0.030,3,4")
    }

    /// Without `server_load` rows (a simulated run) the server peak is undefined, not 0.
    @Test func noServerLoadMeansNoServerPeak() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let database = try await Self.database(path)
        try await database.writer.write { db in try db.execute(sql: "DELETE FROM server_load") } as Void
        let report = try FleetReport.load(from: database.reader)
        #expect(report.serverPeak == nil)
        #expect(FleetRenderer.table(report).hasSuffix("server peak load: - (no server_load rows: a simulated run, or an external server)\n"))
    }
}
