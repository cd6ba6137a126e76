import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

@Suite struct JobRoutesTests {
    @Test func postReturns202LocationAndPending() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/jobs", method: .post,
                                                    body: json(#"{"base_delay": 1.5, "var_delay": 0.9}"#))
            #expect(response.status == .accepted)
            #expect(response.headers[.location] == "/jobs/j1")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let body = try decode(CreateJobResponse.self, response)
            // expected_duration = E[T] = 1.5 + 0.9 / 2 (an unsized job).
            #expect(body == CreateJobResponse(id: "j1", status: .pending, expectedDuration: 1.95))
            let second = try await postJob(client, #"{"base_delay": 0, "var_delay": 0}"#)
            #expect(second.id == "j2")
            #expect(second.expectedDuration == 0)
        }
    }

    @Test func longJobIsPendingWithoutTimes() async throws {
        try await withServer { client in
            let created = try await postJob(client, #"{"base_delay": 10000, "var_delay": 0}"#)
            let status = try await getJob(client, created.id)
            #expect(status == JobStatusResponse(id: created.id, status: .pending))
        }
    }

    @Test func zeroLengthJobIsFinalWithRunTimeAndTimestamps() async throws {
        try await withServer { client in
            let created = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "success_rate": 1}"#)
            let status = try await getJob(client, created.id)
            #expect(status.status == .completed)
            #expect(status.runTime == 0)
            let createdAt = try #require(status.createdAt)
            #expect(createdAt.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/) != nil)
            #expect(status.finishedAt == createdAt)
        }
    }

    /// Manual time: pending until exactly created + duration, then final with server timestamps.
    @Test func statusTurnsFinalAtCreatedPlusDuration() async throws {
        let time = ManualTime()
        try await withServer(.init(port: 0, timeSource: time.source)) { client in
            let created = try await postJob(client, #"{"base_delay": 2, "var_delay": 0, "success_rate": 0}"#)
            time.advance(by: .milliseconds(1999))
            #expect(try await getJob(client, created.id).status == .pending)
            time.advance(by: .milliseconds(1))
            let final = try await getJob(client, created.id)
            #expect(final == JobStatusResponse(id: "j1", status: .error,
                                               createdAt: "2026-11-29T15:30:43.123456Z",
                                               finishedAt: "2026-11-29T15:30:45.123456Z", runTime: 2))
            time.advance(by: .seconds(299))
            #expect(try await getJob(client, created.id) == final)  // final until it expires (TTL 300 s)
        }
    }

    @Test func seededJobMatchesPlannedJobDrawWhateverTheOrder() async throws {
        let parameters = JobParameters(baseDelay: 1.5, varDelay: 0.9, successRate: 0.5)
        let seeds: [UInt64] = [11, 22, 33, 44]
        func run(order: [UInt64]) async throws -> [UInt64: JobStatusResponse] {
            let time = ManualTime()
            return try await withServer(.init(port: 0, seed: 99, timeSource: time.source)) { client in
                var ids: [UInt64: String] = [:]
                for seed in order {
                    let body = #"{"base_delay": 1.5, "var_delay": 0.9, "success_rate": 0.5, "seed": \#(seed)}"#
                    ids[seed] = try await postJob(client, body).id
                }
                time.advance(by: .seconds(10))
                var result: [UInt64: JobStatusResponse] = [:]
                for (seed, id) in ids { result[seed] = try await getJob(client, id) }
                return result
            }
        }
        let forward = try await run(order: seeds)
        let backward = try await run(order: seeds.reversed())
        for seed in seeds {
            let planned = PlannedJob.draw(parameters, seed: seed)
            #expect(forward[seed]?.runTime == planned.duration)
            #expect(forward[seed]?.status == planned.outcome)
            #expect(backward[seed]?.runTime == planned.duration)
            #expect(backward[seed]?.status == planned.outcome)
        }
        // The four planned durations differ, so a server ignoring the seed could not pass.
        #expect(Set(seeds.map { PlannedJob.draw(parameters, seed: $0).duration }).count == 4)
    }

    @Test func unseededJobsDrawFromTheServerGenerator() async throws {
        let parameters = JobParameters(baseDelay: 1, varDelay: 2, successRate: 0.5, durationModel: .symmetric)
        var rng = SeededGenerator(seed: 7)
        let expected = (0..<3).map { _ in PlannedJob.draw(parameters, using: &rng) }
        let time = ManualTime()
        let got = try await withServer(.init(port: 0, seed: 7, timeSource: time.source)) { client in
            var ids: [String] = []
            for _ in 0..<3 {
                ids.append(try await postJob(client, #"{"base_delay": 1, "var_delay": 2, "success_rate": 0.5, "duration_model": "symmetric"}"#).id)
            }
            time.advance(by: .seconds(10))
            var result: [JobStatusResponse] = []
            for id in ids { result.append(try await getJob(client, id)) }
            return result
        }
        #expect(got.map(\.runTime) == expected.map(\.duration))
        #expect(got.map(\.status) == expected.map(\.outcome))
    }

    @Test(arguments: [(0.0, JobStatus.error), (1.0, JobStatus.completed)])
    func successRateFixesTheOutcome(rate: Double, outcome: JobStatus) async throws {
        try await withServer { client in
            for seed in 1...5 {
                let id = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "success_rate": \#(rate), "seed": \#(seed)}"#).id
                #expect(try await getJob(client, id).status == outcome)
            }
            for _ in 1...5 {  // and from the server's own generator
                let id = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "success_rate": \#(rate)}"#).id
                #expect(try await getJob(client, id).status == outcome)
            }
        }
    }

    @Test func unknownIdAndRouteAreJSON404s() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/jobs/j42", method: .get)
            #expect(response.status == .notFound)
            let error = try decode(ErrorResponse.self, response)
            #expect(error.error.code == "not_found")
            #expect(error.error.message.contains("j42"))
            let route = try await client.execute(uri: "/nowhere", method: .get)
            #expect(route.status == .notFound)
            #expect(try decode(ErrorResponse.self, route).error.code == "route_not_found")
        }
    }

    @Test func healthAnswersOK() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
        }
    }

    @Test func hintsOnPendingResponsesOnly() async throws {
        let time = ManualTime()
        let configuration = MockJobServer.Configuration(port: 0, hints: .init(retryAfter: 3, eta: true),
                                                        timeSource: time.source)
        try await withServer(configuration) { client in
            let id = try await postJob(client, #"{"base_delay": 5, "var_delay": 0}"#).id
            time.advance(by: .seconds(1.5))
            let pending = try await client.execute(uri: "/jobs/\(id)", method: .get)
            #expect(pending.headers[.retryAfter] == "3")
            #expect(try decode(JobStatusResponse.self, pending).eta == 3.5)
            time.advance(by: .seconds(3.5))
            let final = try await client.execute(uri: "/jobs/\(id)", method: .get)
            #expect(final.headers[.retryAfter] == nil)
            #expect(try decode(JobStatusResponse.self, final).eta == nil)
        }
    }

    /// The same routes over a real socket (HummingbirdTesting's live framework, port 0).
    @Test func liveServerRoundTrip() async throws {
        try await withServer(.init(port: 0), .live) { client in
            #expect((client.port ?? 0) > 0)
            let id = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "success_rate": 1}"#).id
            #expect(try await getJob(client, id).status == .completed)
        }
    }
}
