import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// `GET /jobs/{id}?wait=SECONDS` (issue 3): manual time, the server's sleeps are the signals.
@Suite struct LongPollTests {
    /// A 2 s job polled with wait=10 at t=0: the request is held, and answers `completed` exactly
    /// when time reaches 2 s (the sleeper's deadline is the finish instant, not the wait end).
    @Test func returnsWhenTheJobFinishes() async throws {
        let time = ManualTime()
        try await withServer(.init(port: 0, timeSource: time.source)) { client in
            let id = try await postJob(client, #"{"base_delay": 2, "var_delay": 0, "success_rate": 1}"#).id
            async let held = get(client, "/jobs/\(id)?wait=10")
            await time.waitForSleepers(1)
            #expect(time.sleeperDeadlines == [.seconds(2)])
            time.advance(by: .seconds(1))
            #expect(time.sleeperDeadlines == [.seconds(2)])  // still held at 1 s
            time.advance(by: .seconds(1))
            let response = try await held
            #expect(response.status == .ok)
            let body = try decode(JobStatusResponse.self, response)
            #expect(body.status == .completed)
            #expect(body.runTime == 2)
            #expect(time.elapsed == .seconds(2))
        }
    }

    /// A long job polled with wait=1.5: held until 1.5 s, then an ordinary pending answer.
    @Test func returnsPendingWhenTheWaitEnds() async throws {
        let time = ManualTime()
        let configuration = MockJobServer.Configuration(port: 0, hints: .init(retryAfter: 2), timeSource: time.source)
        try await withServer(configuration) { client in
            let id = try await postJob(client, #"{"base_delay": 100, "var_delay": 0}"#).id
            async let held = get(client, "/jobs/\(id)?wait=1.5")
            await time.waitForSleepers(1)
            #expect(time.sleeperDeadlines == [.milliseconds(1500)])
            time.advance(by: .milliseconds(1500))
            let response = try await held
            #expect(response.headers[.retryAfter] == "2")
            #expect(try decode(JobStatusResponse.self, response) == JobStatusResponse(id: id, status: .pending))
        }
    }

    /// A requested wait beyond `maxWait` is cut to it (here 30 s by default, 4 s when configured).
    @Test(arguments: [(nil, 30), (4, 4)] as [(Int?, Int)])
    func waitIsCappedByMaxWait(maxWait: Int?, expected: Int) async throws {
        let time = ManualTime()
        var configuration = MockJobServer.Configuration(port: 0, timeSource: time.source)
        if let maxWait { configuration.maxWait = .seconds(maxWait) }
        try await withServer(configuration) { client in
            let id = try await postJob(client, #"{"base_delay": 1000, "var_delay": 0}"#).id
            async let held = get(client, "/jobs/\(id)?wait=999")
            await time.waitForSleepers(1)
            #expect(time.sleeperDeadlines == [.seconds(expected)])
            time.advance(by: .seconds(expected))
            #expect(try decode(JobStatusResponse.self, try await held).status == .pending)
        }
    }

    /// A final job, or wait=0, answers at once without sleeping.
    @Test func finalJobOrZeroWaitAnswersAtOnce() async throws {
        let time = ManualTime()
        try await withServer(.init(port: 0, timeSource: time.source)) { client in
            let done = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "success_rate": 0}"#).id
            #expect(try decode(JobStatusResponse.self, try await get(client, "/jobs/\(done)?wait=30")).status == .error)
            let long = try await postJob(client, #"{"base_delay": 50, "var_delay": 0}"#).id
            #expect(try decode(JobStatusResponse.self, try await get(client, "/jobs/\(long)?wait=0")).status == .pending)
            #expect(time.sleeperDeadlines.isEmpty)
        }
    }

    /// 500 concurrent long polls on jobs ending at 1 s, 2 s, … 5 s are all parked on the time
    /// source (no thread each) and released in finish order.
    @Test func manyConcurrentLongPollsAreReleasedAtTheirFinish() async throws {
        let time = ManualTime()
        try await withServer(.init(port: 0, timeSource: time.source)) { client in
            var ids: [String] = []
            for k in 0..<500 {
                ids.append(try await postJob(client, #"{"base_delay": \#(k % 5 + 1), "var_delay": 0}"#).id)
            }
            try await withThrowingTaskGroup(of: JobStatus.self) { group in
                for id in ids {
                    group.addTask { try decode(JobStatusResponse.self, try await get(client, "/jobs/\(id)?wait=20")).status }
                }
                await time.waitForSleepers(500)
                #expect(time.sleeperDeadlines.count == 500)
                time.advance(by: .seconds(3))
                #expect(time.sleeperDeadlines.count == 200)  // the 4 s and 5 s jobs
                time.advance(by: .seconds(2))
                var finals = 0
                for try await status in group where status.isFinal { finals += 1 }
                #expect(finals == 500)
            }
        }
    }

    @Test(arguments: ["-1", "abc", "nan", "NaN", "inf", "1e999", "", "-0.001", "1s"])
    func invalidWaitIs400NamingWait(_ value: String) async throws {
        try await withServer { client in
            let id = try await postJob(client, #"{"base_delay": 1, "var_delay": 0}"#).id
            let response = try await get(client, "/jobs/\(id)?wait=\(value)")
            #expect(response.status == .badRequest)
            let error = try decode(ErrorResponse.self, response).error
            #expect(error.code == "invalid_field")
            #expect(error.field == "wait")
        }
    }

    /// Real time, once: a 50 ms wait on a long job takes effect (held at least 50 ms, pending).
    @Test func realTimeWaitTakesEffect() async throws {
        try await withServer { client in
            let id = try await postJob(client, #"{"base_delay": 100, "var_delay": 0}"#).id
            let start = ContinuousClock.now
            let response = try await get(client, "/jobs/\(id)?wait=0.05")
            #expect(ContinuousClock.now - start >= .milliseconds(50))
            #expect(try decode(JobStatusResponse.self, response).status == .pending)
        }
    }
}
