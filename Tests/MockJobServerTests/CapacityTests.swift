import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// Server capacity live (over the router, manual time) against the same state machine driven
/// directly, as the simulator drives it.
@Suite struct CapacityTests {
    /// A scripted arrival sequence: the live server serves and refuses exactly the requests the
    /// simulator's limiter does, and `GET /stats` reports the same counts per 100 ms bucket.
    /// Expected totals by hand (rate 10/s, burst 2; see `ServerLimiterTests`): 5 served, 2 × 429.
    @Test func liveServerMatchesTheSimulatorsLimiter() async throws {
        let capacity = ServerCapacity(rate: 10, burst: 2)
        let arrivals = [0, 0, 0, 50, 110, 250, 310]
        var simulated = ServerLimiter(capacity: capacity)
        let expected = arrivals.map { ms -> Int in
            if case .serve = simulated.admit(at: .milliseconds(ms)) { return 200 }
            return 429
        }
        #expect(expected == [200, 200, 429, 429, 200, 200, 200])
        let simulatedBuckets = simulated.counts.buckets
        let time = ManualTime()
        try await withServer(.init(port: 0, timeSource: time.source, capacity: capacity)) { client in
            _ = try await postJob(client, #"{"base_delay": 100, "var_delay": 0}"#)
            var statuses: [Int] = []
            var retryAfter: [String] = []
            let validator = try OpenAPIValidator()
            func documented(_ response: TestResponse, _ template: String) {
                var headers: [String: String] = [:]
                for field in response.headers { headers[field.name.canonicalName] = field.value }
                let problems = validator.check(method: "get", template: template, status: Int(response.status.code),
                                               headers: headers, body: Data(response.body.readableBytesView))
                #expect(problems.isEmpty, "\(template): \(problems)")
            }
            for ms in arrivals {
                time.advance(by: .milliseconds(ms) - time.elapsed)
                let response = try await get(client, "/jobs/j1")
                documented(response, "/jobs/{id}")
                statuses.append(Int(response.status.code))
                if response.status == .tooManyRequests {
                    retryAfter.append(response.headers[.retryAfter] ?? "none")
                    #expect(try decode(ErrorResponse.self, response).error.code == "rate_limited")
                }
            }
            #expect(statuses == expected)
            #expect(retryAfter == ["1", "1"])  // 0.1 s and 0.05 s, rounded up to whole seconds
            let statsResponse = try await get(client, "/stats")
            documented(statsResponse, "/stats")
            let stats = try decode(StatsResponse.self, statsResponse)
            #expect(stats.bucketMs == 100)
            #expect(stats.buckets == simulatedBuckets)
            #expect(stats.total == .init(served: 5, rateLimited: 2))
            #expect(stats.capacity == capacity)
        }
    }

    /// One slot, 100 ms service, a queue of 1: of three requests at once, the first is answered
    /// at 100 ms, the second waits and is answered at 200 ms, the third gets 503 `overloaded` at
    /// once. (Manual time: the test advances it once both served requests sleep.)
    @Test func slotQueueAndOverload() async throws {
        let time = ManualTime()
        let capacity = ServerCapacity(concurrency: 1, serviceTime: .milliseconds(100), maxQueue: 1)
        try await withServer(.init(port: 0, timeSource: time.source, capacity: capacity)) { client in
            _ = try await postJob(client, #"{"base_delay": 100, "var_delay": 0}"#)
            try await withThrowingTaskGroup(of: (Int, Duration).self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        let response = try await get(client, "/jobs/j1")
                        return (Int(response.status.code), time.elapsed)
                    }
                }
                await time.waitForSleepers(2)
                #expect(time.sleeperDeadlines == [.milliseconds(100), .milliseconds(200)])
                let third = try await get(client, "/jobs/j1")
                #expect(third.status == .serviceUnavailable)
                #expect(try decode(ErrorResponse.self, third).error.code == "overloaded")
                time.advance(by: .milliseconds(200))
                var results: [Int] = []
                for try await (status, _) in group { results.append(status) }
                #expect(results == [200, 200])
            }
            let stats = try decode(StatsResponse.self, try await get(client, "/stats"))
            #expect(stats.total == .init(served: 2, queued: 1, overloaded: 1))
        }
    }

    @Test func invalidCapacityNamesTheField() throws {
        #expect(throws: MockJobServerError.invalidConfiguration("capacity.rate", "rate: must be a finite number of requests per second > 0, got -1.0")) {
            _ = try MockJobServer(configuration: .init(port: 0, capacity: ServerCapacity(rate: -1)))
        }
    }
}
