import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// `DELETE /jobs/{id}`: the `cancelled` final status (issue 12, item 5).
@Suite struct CancelTests {
    /// A pending job answers `cancelled` from the DELETE on, with the cancellation's wall time as
    /// `finished_at` and no `run_time`; a second DELETE changes nothing, even after the job's
    /// planned finish; the seed's `GET /status` reads it as `error`.
    @Test func cancelledFromThenOnAndSecondDeleteChangesNothing() async throws {
        let time = ManualTime()
        try await withServer(.init(port: 0, timeSource: time.source)) { client in
            let created = try await postJob(client, #"{"base_delay": 10, "var_delay": 0, "success_rate": 1}"#)
            time.advance(by: .seconds(2))
            let first = try await client.execute(uri: "/jobs/\(created.id)", method: .delete)
            #expect(first.status == .ok)
            let expected = JobStatusResponse(id: "j1", status: .cancelled, createdAt: "2026-11-29T15:30:43.123456Z",
                                             finishedAt: "2026-11-29T15:30:45.123456Z")
            #expect(try decode(JobStatusResponse.self, first) == expected)
            #expect(try await getJob(client, created.id) == expected)
            time.advance(by: .seconds(20))  // past the planned finish at 10 s: still cancelled
            #expect(try await getJob(client, created.id) == expected)
            let second = try await client.execute(uri: "/jobs/\(created.id)", method: .delete)
            #expect(second.status == .ok)
            #expect(try decode(JobStatusResponse.self, second) == expected)
            let seed = try await get(client, "/status")
            #expect(String(buffer: seed.body) == #"{"result":"error"}"#)
        }
    }

    /// A job that already finished is left as it is: DELETE answers its final status.
    @Test func deleteOfAFinishedJobChangesNothing() async throws {
        let time = ManualTime()
        try await withServer(.init(port: 0, timeSource: time.source)) { client in
            let created = try await postJob(client, #"{"base_delay": 1, "var_delay": 0, "success_rate": 1}"#)
            time.advance(by: .seconds(1))
            let response = try await client.execute(uri: "/jobs/\(created.id)", method: .delete)
            #expect(response.status == .ok)
            #expect(try decode(JobStatusResponse.self, response).status == .completed)
            #expect(try await getJob(client, created.id).runTime == 1)
        }
    }

    /// Unknown ids (never issued, or not a job id) get a JSON 404 `not_found`; nothing changes.
    @Test func unknownIdGetsJSON404() async throws {
        try await withServer { client in
            _ = try await postJob(client, #"{"base_delay": 100, "var_delay": 0}"#)
            for uri in ["/jobs/j2", "/jobs/x", "/jobs/j01"] {
                let response = try await client.execute(uri: uri, method: .delete)
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(try decode(ErrorResponse.self, response).error.code == "not_found")
            }
            #expect(try await getJob(client, "j1").status == .pending)
        }
    }

    /// A cancelled job no longer holds a place against `max_jobs`: with max_jobs 1 and one long
    /// pending job the next create gets 503; after DELETE it succeeds, and the cancelled job is
    /// swept (410).
    @Test func cancellingFreesCapacity() async throws {
        let time = ManualTime()
        let configuration = MockJobServer.Configuration(port: 0, timeSource: time.source, maxJobs: 1,
                                                        finishedJobTTL: .seconds(10))
        try await withServer(configuration) { client in
            _ = try await postJob(client, #"{"base_delay": 1000, "var_delay": 0}"#)
            let full = try await client.execute(uri: "/jobs", method: .post, body: json(#"{"base_delay": 1, "var_delay": 0}"#))
            #expect(full.status == .serviceUnavailable)
            #expect(try await client.execute(uri: "/jobs/j1", method: .delete).status == .ok)
            #expect(try await postJob(client, #"{"base_delay": 1, "var_delay": 0}"#).id == "j2")
            #expect(try await get(client, "/jobs/j1").status == .gone)
        }
    }
}
