import Hummingbird
import PollingClient
import PollingCore
import Testing

/// Issue 10, item 20 (its first part), live: a server whose status monitors live elsewhere than
/// `/jobs/{id}` (here `/v2/operations/{id}`, announced only by the create response's
/// `Location`) is polled where it says; `baseURL/jobs/{id}` does not exist on it (404).
@Suite struct LocationServerTests {
    @Test func theClientPollsTheLocationOfTheCreateResponse() async throws {
        let router = Router()
        router.post("/jobs") { _, _ in
            Response(status: .accepted, headers: [.location: "/v2/operations/op-7", .contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"id":"op-7","status":"pending"}"#)))
        }
        router.get("/v2/operations/op-7") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"id":"op-7","status":"completed","run_time":0}"#)))
        }
        try await withRouterServer(router) { baseURL in
            let client = try JobClient(baseURL: baseURL)
            let outcome: Result<StatusReply, any Error>
            do {
                let created = try await client.createJob(CreateJobRequest(parameters: JobParameters()), timeout: .seconds(2))
                #expect(created.id == "op-7")
                outcome = .success(try await client.jobStatus(id: created.id, wait: nil, timeout: .seconds(2)))
            } catch {
                outcome = .failure(error)
            }
            try await client.shutdown()
            #expect(try outcome.get().response.status == .completed)  // was http_404 at /jobs/op-7
        }
    }
}
