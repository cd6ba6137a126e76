import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// `POST /jobs` with `size` (issue 11 item 2), over real HTTP on loopback: the server's draw of a
/// sized job equals the simulator's for the same seed, the `202` carries `expected_duration` =
/// `E[T | size]`, and bad sizes get a 400 naming the field.
@Suite struct SizedJobRouteTests {
    /// Video-like sizes (minutes) × seconds per minute; and a job split into parts of 2 size units.
    static let workloads: [(JobParameters, @Sendable (Double) -> Double)] = [
        (JobParameters(duration: .lognormal(median: 6, sigma: 0.3), successRate: 0.5, size: .lognormal(median: 4, sigma: 1)),
         { $0 * 6 * exp(0.3 * 0.3 / 2) }),
        (JobParameters(duration: .exponential(mean: 3), successRate: 0.5, size: .gamma(shape: 2, scale: 1.5)),
         { $0 * 3 }),
        (JobParameters(duration: .parts(.init(count: 1, combine: .sum, part: .seed(base: 1.5, variation: 0.9), partSize: 2)),
                       successRate: 0.5, size: .exponential(mean: 5)),
         { (($0 / 2).rounded(.up)).clamped(1, 64) * 1.95 }),
    ]

    @Test(arguments: 0..<3)
    func theServersSizedDrawEqualsTheSimulatorsThroughRealHTTP(_ index: Int) async throws {
        let (job, byHand) = Self.workloads[index]
        let time = ManualTime()
        try await withServer(.init(port: 0, seed: 5, timeSource: time.source), .live) { client in
            var created: [(UInt64, String)] = []
            for seed: UInt64 in 1...10 {
                let request = CreateJobRequest(job: job, seed: seed)
                let size = try #require(request.size)
                #expect(size == job.size(seed: seed))
                let body = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
                #expect(body.contains(#""size""#))
                let accepted = try await postJob(client, body)
                let hint = try #require(accepted.expectedDuration)
                #expect(abs(hint - byHand(size)) <= 1e-12 * max(1, hint), "size \(size): \(hint) vs \(byHand(size))")
                #expect(hint == request.answeredExpectedDuration)
                created.append((seed, accepted.id))
            }
            let longest = created.map { PlannedJob.draw(job, seed: $0.0).duration }.max()!
            time.advance(by: .seconds(longest + 1))
            for (seed, id) in created {
                let planned = PlannedJob.draw(job, seed: seed)   // the simulator's draw
                let status = try await getJob(client, id)
                #expect(status.runTime == planned.duration)
                #expect(status.status == planned.outcome)
            }
        }
    }

    static let badBodies: [(String, String)] = [
        (#"{"duration": {"model": "exponential", "mean": 2}, "size": -1}"#, "size"),
        (#"{"duration": {"model": "exponential", "mean": 2}, "size": "large"}"#, "size"),
        (#"{"duration": {"model": "exponential", "mean": 2}, "size": 1e999}"#, "size"),
        (#"{"duration": {"model": "parts", "part_size": 2, "part": {"model": "exponential", "mean": 1}}}"#, "duration.part_size"),
        (#"{"duration": {"model": "parts", "part_size": 0, "part": {"model": "exponential", "mean": 1}}, "size": 3}"#, "duration.part_size"),
    ]

    @Test(arguments: 0..<5)
    func badSizeIs400NamingTheField(_ index: Int) async throws {
        let (body, field) = Self.badBodies[index]
        try await withServer { client in
            let response = try await client.execute(uri: "/jobs", method: .post, body: json(body))
            #expect(response.status == .badRequest)
            let error = try decode(ErrorResponse.self, response).error
            #expect(error.field == field, "\(error)")
            #expect(try await client.execute(uri: "/jobs/j1", method: .get).status == .notFound)
        }
    }
}

private extension Double {
    func clamped(_ lower: Double, _ upper: Double) -> Double { Swift.min(upper, Swift.max(lower, self)) }
}
