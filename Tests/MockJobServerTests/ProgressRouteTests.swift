import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// `progress: {done, total}` on pending answers of a `parts` job (`Hints.progress`,
/// `job-server --progress`), over a real socket with manual time.
@Suite struct ProgressRouteTests {
    static let sumOfSeedParts = #"{"model": "parts", "count": 4, "combine": "sum", "part": {"model": "seed", "base": 1.5, "var": 0.9}}"#

    func status(_ client: any TestClientProtocol, _ id: String) async throws -> (JobStatusResponse, TestResponse) {
        let response = try await get(client, "/jobs/\(id)")
        #expect(response.status == .ok)
        return (try decode(JobStatusResponse.self, response), response)
    }

    /// The server's progress for job seed 42 matches the part ends rebuilt by hand from the seed
    /// (`ProgressTests.seedParts` does the same in PollingCoreTests): just before and at each end.
    @Test func pendingAnswersCarryThePartsDoneOfTheSeededDraw() async throws {
        var outer = SeededGenerator(seed: 42)
        var sub = SeededGenerator(seed: outer.next())
        let parts = (0..<4).map { _ in 1.5 + 0.9 * (Double(sub.next() >> 11) * 0x1.0p-53) }
        let ends = [parts[0], parts[0] + parts[1], parts[0] + parts[1] + parts[2], parts[0] + parts[1] + parts[2] + parts[3]]
        let time = ManualTime()
        let configuration = MockJobServer.Configuration(port: 0, hints: .init(progress: true), timeSource: time.source)
        try await withServer(configuration, .live) { client in
            let id = try await postJob(client, #"{"duration": \#(Self.sumOfSeedParts), "seed": 42, "success_rate": 1}"#).id
            let validator = try OpenAPIValidator()
            for (k, end) in ends.enumerated() {
                for (age, done) in [(end - 1e-3, k), (end, k + 1)] {
                    time.advance(by: .seconds(age) - time.elapsed)  // exactly `age` after creation
                    let (body, response) = try await status(client, id)
                    if k == 3 && done == 4 {
                        #expect(body.status == .completed)
                        #expect(body.progress == nil)  // final answers carry none
                    } else {
                        #expect(body.status == .pending)
                        #expect(body.progress == JobProgress(done: done, total: 4), "at \(age) s")
                    }
                    var headers: [String: String] = [:]
                    for field in response.headers { headers[field.name.canonicalName] = field.value }
                    let problems = validator.check(method: "get", template: "/jobs/{id}", status: 200, headers: headers,
                                                   body: Data(response.body.readableBytesView))
                    #expect(problems.isEmpty, "\(problems)")
                }
            }
        }
    }

    @Test func parallelPartsAndTheWireForm() async throws {
        let time = ManualTime()
        let configuration = MockJobServer.Configuration(port: 0, hints: .init(progress: true), timeSource: time.source)
        try await withServer(configuration, .live) { client in
            // Parts of 1, 2 and 3 s in parallel (a mixture would not do: fixed parts are exact).
            let body = #"{"duration": {"model": "parts", "count": 3, "combine": "max", "part": {"model": "fixed", "seconds": 2}}, "seed": 1}"#
            let id = try await postJob(client, body).id
            time.advance(by: .seconds(1))
            let response = try await get(client, "/jobs/\(id)")
            #expect(String(buffer: response.body) == #"{"id":"\#(id)","progress":{"done":0,"total":3},"status":"pending"}"#)
        }
    }

    /// A job that is not made of parts has nothing to report: the server-wide setting is a no-op
    /// for it (documented in docs/server.md), and without the setting no job carries progress.
    @Test func noProgressForOtherJobsOrWhenOff() async throws {
        let time = ManualTime()
        try await withServer(.init(port: 0, hints: .init(progress: true), timeSource: time.source)) { client in
            let id = try await postJob(client, #"{"duration": {"model": "exponential", "mean": 100}, "seed": 1}"#).id
            #expect(try await status(client, id).0.progress == nil)
        }
        try await withServer(.init(port: 0, timeSource: time.source)) { client in
            let id = try await postJob(client, #"{"duration": \#(Self.sumOfSeedParts), "seed": 42}"#).id
            time.advance(by: .seconds(2.5))
            #expect(try await status(client, id).0.progress == nil)
        }
    }
}
