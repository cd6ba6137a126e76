import Foundation
import MockJobServer
import Testing

@Suite struct RunningJobServerTests {
    /// Port 0 gives a real ephemeral port: a second server on that port must fail with
    /// `port_in_use`, and after `stop()` the port is free again.
    @Test func startOnPortZeroBindsARealPortAndStopReleasesIt() async throws {
        let server = try await RunningJobServer.start(configuration: .init(port: 0), logger: quietLogger)
        #expect(server.port > 0)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
        let clash = MockJobServer.Configuration(port: server.port)
        await #expect(throws: MockJobServerError.portInUse("127.0.0.1", server.port)) {
            _ = try await RunningJobServer.start(configuration: clash, logger: quietLogger)
        }
        try await server.stop()
        try await server.stop()  // idempotent

        let again = try await RunningJobServer.start(configuration: clash, logger: quietLogger)
        #expect(again.port == server.port)
        try await again.stop()
    }

    @Test func startRejectsABadConfiguration() async {
        await #expect(throws: MockJobServerError.self) {
            _ = try await RunningJobServer.start(configuration: .init(host: ""), logger: quietLogger)
        }
    }

    @Test func jobsCreatedInProcessShareTheTable() async throws {
        let server = try await RunningJobServer.start(configuration: .init(port: 0), logger: quietLogger)
        let record = try server.jobs.create(parameters: .init(baseDelay: 0, varDelay: 0), seed: 1)
        #expect(record.id == "j1")
        #expect(server.jobs.latest()?.id == "j1")
        try await server.stop()
    }
}
