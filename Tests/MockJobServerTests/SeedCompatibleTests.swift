import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

@Suite struct SeedCompatibleTests {
    @Test func statusBeforeAnyJobIs404() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/status", method: .get)
            #expect(response.status == .notFound)
            #expect(try decode(ErrorResponse.self, response).error.code == "no_job_yet")
        }
    }

    /// The seed's own client sends `"success_rate": null`: the server's default applies (here 0,
    /// so the outcome must be `error`); `delay` is the server generator's first draw.
    @Test func requestWithNullUsesDefaultsThenStatusFollowsLatestJob() async throws {
        let time = ManualTime()
        let defaults = JobParameters(baseDelay: 9, varDelay: 9, successRate: 0)
        let configuration = MockJobServer.Configuration(port: 0, seed: 3, defaultParameters: defaults,
                                                        timeSource: time.source)
        var rng = SeededGenerator(seed: 3)
        let expected = PlannedJob.draw(JobParameters(baseDelay: 1, varDelay: 0.5, successRate: 0), using: &rng)
        try await withServer(configuration) { client in
            let response = try await client.execute(
                uri: "/request", method: .post,
                body: json(#"{"base_delay": 1, "var_delay": 0.5, "success_rate": null}"#))
            #expect(response.status == .ok)
            let result = try decode(SeedCreateResponse.self, response).result
            #expect(result.endStatus == .error)
            #expect(result.delay == expected.duration)
            #expect(result.requestTime == time.baseWall.timeIntervalSince1970)
            #expect(result.endTime == result.requestTime + result.delay)

            let pending = try await client.execute(uri: "/status", method: .get)
            #expect(try decode(SeedStatusResponse.self, pending).result == .pending)
            time.advance(by: .seconds(1.5))
            let final = try await client.execute(uri: "/status", method: .get)
            #expect(try decode(SeedStatusResponse.self, final).result == .error)

            // A newer job (from POST /jobs) becomes the one /status reports.
            _ = try await postJob(client, #"{"base_delay": 100, "var_delay": 0}"#)
            let newest = try await client.execute(uri: "/status", method: .get)
            #expect(try decode(SeedStatusResponse.self, newest).result == .pending)
        }
    }

    @Test func emptyObjectTakesEveryDefault() async throws {
        let defaults = JobParameters(baseDelay: 0, varDelay: 0, successRate: 1)
        try await withServer(.init(port: 0, defaultParameters: defaults)) { client in
            let response = try await client.execute(uri: "/request", method: .post, body: json("{}"))
            let result = try decode(SeedCreateResponse.self, response).result
            #expect(result.delay == 0)
            #expect(result.endStatus == .completed)
            let status = try await client.execute(uri: "/status", method: .get)
            #expect(try decode(SeedStatusResponse.self, status).result == .completed)
        }
    }

    /// Huge values (issue 10 item 12): 400 naming the field before anything is created, so
    /// `GET /status` still has no job; never 500 "could not encode the response".
    @Test(arguments: [
        (#"{"base_delay": 1e308, "var_delay": 1e308}"#, "var_delay"),
        (#"{"base_delay": 1.7976931348623157e308, "var_delay": 1.7976931348623157e308}"#, "var_delay"),
    ])
    func hugeValuesAreRejectedAndCreateNothing(body: String, field: String) async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/request", method: .post, body: json(body))
            #expect(response.status == .badRequest)
            let error = try decode(ErrorResponse.self, response).error
            #expect(error.code == "invalid_field" && error.field == field, "\(error)")
            let status = try await client.execute(uri: "/status", method: .get)
            #expect(status.status == .notFound)
        }
    }
}
