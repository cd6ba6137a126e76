import AsyncHTTPClient
import Logging
import MockJobServer
import PollingClient
import PollingCore
import Testing

/// Issue 10, item 26: the scoped `withRunningJobServer`, and `JobClient` over an injected
/// `HTTPClient`.
@Suite struct ScopedServerTests {
    /// Inside the scope the server answers; once the scope has returned (or thrown) its port
    /// refuses connections: the server did not outlive the call.
    @Test func theServerLivesExactlyAsLongAsTheScope() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let port = try await withRunningJobServer(configuration: .init(port: 0, seed: 1), logger: Logger(label: "test")) { server in
            let inside = try JobClient(baseURL: server.baseURL, httpClient: http)
            let created = try await inside.createJob(
                CreateJobRequest(parameters: JobParameters(baseDelay: 0, varDelay: 0, successRate: 1), seed: 5),
                timeout: .seconds(2))
            #expect(try await inside.jobStatus(id: created.id, wait: nil, timeout: .seconds(2)).response.status == .completed)
            try await inside.shutdown()  // injected: leaves `http` running for its owner
            return server.port
        }
        let after = try JobClient(baseURL: "http://127.0.0.1:\(port)", httpClient: http)
        // The pooled connection to the stopped server is closed: the GET is resent once on a
        // fresh connection (issue 10 item 22), which is refused.
        await #expect {
            _ = try await after.jobStatus(id: "j1", wait: nil, timeout: .seconds(2))
        } throws: { StatusCallFailure.pollingError(of: $0)?.code == "transport" }
        struct Boom: Error {}
        var thrownPort = 0
        await #expect(throws: Boom.self) {
            try await withRunningJobServer(configuration: .init(port: 0), logger: Logger(label: "test")) { server in
                thrownPort = server.port
                throw Boom()
            }
        }
        let afterThrow = try JobClient(baseURL: "http://127.0.0.1:\(thrownPort)", httpClient: http)
        await #expect {
            _ = try await afterThrow.jobStatus(id: "j1", wait: nil, timeout: .seconds(2))
        } throws: { StatusCallFailure.pollingError(of: $0)?.code == "transport" }
        try await http.shutdown()
    }
}
