import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// Issue 5: scripted per-job faults and server-wide rates, reproducible from the seed.
@Suite struct FaultInjectionTests {
    /// A finished job with a script: 503, 429 + Retry-After, ok, backwards (final, then pending),
    /// empty, malformed, unknown status, then normal answers once the script is used up.
    @Test func scriptedSequenceIsAnsweredInOrder() async throws {
        try await withServer { client in
            let script = #"["503", {"status": 429, "retry_after": 1}, "ok", "backwards", "empty_body", "malformed_body", "unknown_status"]"#
            let id = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "success_rate": 1, "faults": \#(script)}"#).id
            let first = try await get(client, "/jobs/\(id)")
            #expect(first.status == .serviceUnavailable)
            #expect(first.headers[.retryAfter] == nil)
            #expect(try decode(ErrorResponse.self, first).error.code == "injected_fault")
            let second = try await get(client, "/jobs/\(id)")
            #expect(second.status == .tooManyRequests)
            #expect(second.headers[.retryAfter] == "1")
            #expect(try decode(JobStatusResponse.self, try await get(client, "/jobs/\(id)")).status == .completed)
            #expect(try decode(JobStatusResponse.self, try await get(client, "/jobs/\(id)")) == JobStatusResponse(id: id, status: .pending))
            let empty = try await get(client, "/jobs/\(id)")
            #expect(empty.status == .ok)
            #expect(empty.body.readableBytes == 0)
            let malformed = try await get(client, "/jobs/\(id)")
            #expect(String(buffer: malformed.body) == #"{"id":"\#(id)","sta"#)
            #expect(throws: DecodingError.self) { try decode(JobStatusResponse.self, malformed) }
            #expect(String(buffer: try await get(client, "/jobs/\(id)").body) == #"{"id":"\#(id)","status":"paused"}"#)
            for _ in 0..<3 {
                #expect(try decode(JobStatusResponse.self, try await get(client, "/jobs/\(id)")).status == .completed)
            }
        }
    }

    /// Scripted latency and a fixed server-wide latency hold the answer on the time source.
    @Test func latencyIsAddedOnTheTimeSource() async throws {
        let time = ManualTime()
        var faults = MockJobServer.FaultConfiguration()
        faults.latency = .fixed(300)
        try await withServer(.init(port: 0, timeSource: time.source, faults: faults)) { client in
            let plain = try await postJob(client, #"{"base_delay": 0, "var_delay": 0}"#).id
            async let slow = get(client, "/jobs/\(plain)")
            await time.waitForSleepers(1)
            #expect(time.sleeperDeadlines == [.milliseconds(300)])
            time.advance(by: .milliseconds(300))
            #expect(try await slow.status == .ok)
            // A script replaces the server-wide faults for its job: 40 ms, then none.
            let scripted = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "faults": [{"fault": "ok", "delay_ms": 40}]}"#).id
            async let held = get(client, "/jobs/\(scripted)")
            await time.waitForSleepers(1)
            #expect(time.sleeperDeadlines == [.milliseconds(340)])
            time.advance(by: .milliseconds(40))
            #expect(try await held.status == .ok)
            #expect(try await get(client, "/jobs/\(scripted)").status == .ok)  // no sleeper needed
        }
    }

    /// Server-wide rates: 4 000 requests (40 jobs × 100) with 503 at 0.2, 429 at 0.1 and
    /// unknown_status at 0.05: counts within 4 standard errors of n·p.
    @Test func ratesMatchTheConfiguration() async throws {
        var faults = MockJobServer.FaultConfiguration()
        faults.error503 = 0.2
        faults.error429 = 0.1
        faults.unknownStatus = 0.05
        faults.retryAfter = 2
        let outcomes = try await collectOutcomes(faults: faults, seed: 42, jobs: 40, perJob: 100, reversed: false)
        let n = 4000.0
        var counts: [String: Int] = [:]
        for outcome in outcomes.values { counts[outcome, default: 0] += 1 }
        for (key, p) in [("503+2", 0.2), ("429+2", 0.1), ("paused", 0.05), ("ok", 0.65)] {
            let se = (n * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[key, default: 0]) - n * p) < 4 * se, "\(key): \(counts[key, default: 0])")
        }
        #expect(counts.keys.sorted() == ["429+2", "503+2", "ok", "paused"])
    }

    /// The fault of a job's k-th request depends on (seed, job, k) only: the same seed gives
    /// the same faults with requests in the opposite order; another seed gives others.
    @Test func faultsAreReproducibleWhateverTheRequestOrder() async throws {
        var faults = MockJobServer.FaultConfiguration()
        faults.error500 = 0.3
        faults.emptyBody = 0.2
        let forward = try await collectOutcomes(faults: faults, seed: 7, jobs: 10, perJob: 20, reversed: false)
        let backward = try await collectOutcomes(faults: faults, seed: 7, jobs: 10, perJob: 20, reversed: true)
        let other = try await collectOutcomes(faults: faults, seed: 8, jobs: 10, perJob: 20, reversed: false)
        #expect(forward.count == 200)
        #expect(forward == backward)
        #expect(forward != other)
    }

    /// `backwards` at rate 1 on a finished job: always pending, never final.
    @Test func backwardsRateAnswersPendingForFinalJobs() async throws {
        var faults = MockJobServer.FaultConfiguration()
        faults.backwards = 1
        try await withServer(.init(port: 0, faults: faults)) { client in
            let id = try await postJob(client, #"{"base_delay": 0, "var_delay": 0}"#).id
            #expect(try decode(JobStatusResponse.self, try await get(client, "/jobs/\(id)")) == JobStatusResponse(id: id, status: .pending))
        }
    }

    /// Over a real socket: a reset drops the connection without a response; a hang holds the
    /// request until the server's cap (manual time), then drops it too.
    @Test func resetAndHangDropTheConnection() async throws {
        let time = ManualTime()
        var faults = MockJobServer.FaultConfiguration()
        faults.hangCapSeconds = 5
        try await withServer(.init(port: 0, timeSource: time.source, faults: faults), .live) { client in
            let id = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "faults": ["reset"]}"#).id
            await #expect(throws: (any Error).self) { _ = try await get(client, "/jobs/\(id)") }
        }
        try await withServer(.init(port: 0, timeSource: time.source, faults: faults), .live) { client in
            let id = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "faults": ["hang"]}"#).id
            let hung = Task { try await get(client, "/jobs/\(id)") }
            await time.waitForSleepers(1)
            #expect(time.sleeperDeadlines == [time.elapsed + .seconds(5)])
            time.advance(by: .seconds(5))
            await #expect(throws: (any Error).self) { _ = try await hung.value }
        }
    }

    /// Real time, once: a slow body of 60 ms arrives whole and takes at least 60 ms.
    @Test func slowBodyTricklesTheWholeBody() async throws {
        var faults = MockJobServer.FaultConfiguration()
        faults.slowBodyMs = 60
        try await withServer(.init(port: 0, faults: faults), .live) { client in
            let id = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "success_rate": 1, "faults": ["slow_body"]}"#).id
            let start = ContinuousClock.now
            let response = try await get(client, "/jobs/\(id)")
            #expect(ContinuousClock.now - start >= .milliseconds(60))
            #expect(try decode(JobStatusResponse.self, response).status == .completed)
        }
    }

    /// GETs `perJob` times each of `jobs` jobs (job-major, or reversed job order and
    /// round-robin when `reversed`) and returns outcome by (job id, sequence).
    private func collectOutcomes(faults: MockJobServer.FaultConfiguration, seed: UInt64, jobs: Int, perJob: Int,
                                 reversed: Bool) async throws -> [String: String] {
        try await withServer(.init(port: 0, seed: seed, faults: faults)) { client in
            var ids: [String] = []
            for _ in 0..<jobs { ids.append(try await postJob(client, #"{"base_delay": 1000, "var_delay": 0}"#).id) }
            var order: [(String, Int)] = []
            if reversed {
                for k in 0..<perJob { for id in ids.reversed() { order.append((id, k)) } }
            } else {
                for id in ids { for k in 0..<perJob { order.append((id, k)) } }
            }
            var outcomes: [String: String] = [:]
            for (id, k) in order {
                let response = try await get(client, "/jobs/\(id)")
                let text = String(buffer: response.body)
                let outcome: String
                switch response.status.code {
                case 200: outcome = text.isEmpty ? "empty" : (text.contains("paused") ? "paused" : "ok")
                default: outcome = "\(response.status.code)" + (response.headers[.retryAfter].map { "+\($0)" } ?? "")
                }
                outcomes["\(id)#\(k)"] = outcome
            }
            return outcomes
        }
    }
}
