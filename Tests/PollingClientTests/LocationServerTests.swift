import Hummingbird
import Logging
import PollingClient
import PollingCore
import ServiceLifecycle
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
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
                              logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let client = try JobClient(baseURL: "http://127.0.0.1:\(port)")
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
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
