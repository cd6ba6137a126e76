import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// `POST /jobs` with a `duration` object (DESIGN.md "Workloads").
@Suite struct DurationModelRouteTests {
    static let models: [DurationSpec] = [
        .seed(base: 1.5, variation: 0.9), .symmetric(base: 0.6, variation: 0.9), .lognormal(median: 20, sigma: 1),
        .gamma(shape: 2, scale: 5), .weibull(shape: 1.5, scale: 10), .exponential(mean: 10), .lomax(shape: 2, scale: 10),
        .mixture([.init(weight: 3, model: .exponential(mean: 2)), .init(weight: 1, model: .lognormal(median: 60, sigma: 0.3))]),
        .parts(.init(count: 4, combine: .sum, part: .seed(base: 1.5, variation: 0.9))),
        .parts(.init(count: 3, combine: .max, part: .weibull(shape: 2, scale: 4))),
        .fixed(seconds: 12.5),
    ]

    @Test func theServersDrawEqualsTheSimulatorsForEveryModel() async throws {
        let time = ManualTime()
        try await withServer(.init(port: 0, seed: 5, timeSource: time.source)) { client in
            var ids: [(DurationSpec, UInt64, String)] = []
            for (i, model) in Self.models.enumerated() {
                let parameters = JobParameters(duration: model, successRate: 0.5)
                let body = String(decoding: try JSONEncoder().encode(CreateJobRequest(parameters: parameters, seed: 100 + UInt64(i))), as: UTF8.self)
                ids.append((model, 100 + UInt64(i), try await postJob(client, body).id))
            }
            let longest = ids.map { PlannedJob.draw(JobParameters(duration: $0.0, successRate: 0.5), seed: $0.1).duration }.max()!
            time.advance(by: .seconds(longest + 1)) // every job final, none expired (TTL 300 s after finishing)
            for (model, seed, id) in ids {
                let planned = PlannedJob.draw(JobParameters(duration: model, successRate: 0.5), seed: seed)
                let status = try await getJob(client, id)
                #expect(status.runTime == planned.duration, "\(model)")
                #expect(status.status == planned.outcome, "\(model)")
            }
        }
    }

    @Test func anEmpiricalJobResolvedByTheClientKeepsItsDurationAndOutcome() async throws {
        let sample = try EmpiricalSample(values: [0.2, 3, 7.5, 40], source: "test")
        let parameters = JobParameters(duration: .mixture([.init(weight: 1, model: .empirical(sample)),
                                                           .init(weight: 1, model: .exponential(mean: 2))]), successRate: 0.5)
        let time = ManualTime()
        try await withServer(.init(port: 0, seed: 5, timeSource: time.source)) { client in
            for seed: UInt64 in 1...12 {
                let wire = parameters.resolvedForServer(seed: seed)
                let body = String(decoding: try JSONEncoder().encode(CreateJobRequest(parameters: wire, seed: seed)), as: UTF8.self)
                #expect(body.contains(#""fixed""#))
                let id = try await postJob(client, body).id
                let planned = PlannedJob.draw(parameters, seed: seed)
                time.advance(by: .seconds(planned.duration + 1))
                let status = try await getJob(client, id)
                #expect(status.runTime == planned.duration)
                #expect(status.status == planned.outcome)
            }
        }
    }

    static let badBodies: [(String, String)] = [
        (#"{"duration": {"model": "gaussian", "mean": 1}}"#, "duration.model"),
        (#"{"duration": {"model": "lognormal", "median": 20}}"#, "duration.sigma"),
        (#"{"duration": {"model": "lognormal", "median": 20, "sigma": -1}}"#, "duration.sigma"),
        (#"{"duration": {"model": "lognormal", "median": 20, "sigma": "x"}}"#, "duration.sigma"),
        (#"{"duration": {"model": "exponential", "mean": 2, "scale": 1}}"#, "duration.scale"),
        (#"{"duration": {"model": "mixture", "components": [{"weight": 0, "model": "exponential", "mean": 1}]}}"#, "duration.components"),
        (#"{"duration": {"model": "mixture", "components": [{"weight": 1, "model": "exponential", "mean": -1}]}}"#, "duration.components[0].mean"),
        (#"{"duration": {"model": "parts", "count": 2, "combine": "sum", "part": {"model": "lomax", "shape": 2, "scale": 1}}}"#, "duration.combine"),
        (#"{"duration": {"model": "empirical", "file": "x.csv"}}"#, "duration.model"),
        (#"{"duration": {"model": "fixed", "seconds": 1}, "base_delay": 1}"#, "base_delay"),
    ]

    @Test(arguments: 0..<10)
    func badDurationIs400NamingTheField(_ index: Int) async throws {
        let (body, field) = Self.badBodies[index]
        try await withServer { client in
            let response = try await client.execute(uri: "/jobs", method: .post, body: json(body))
            #expect(response.status == .badRequest)
            let error = try decode(ErrorResponse.self, response).error
            #expect(error.field == field, "\(error)")
            #expect(error.code == "invalid_field")
            #expect(try await client.execute(uri: "/jobs/j1", method: .get).status == .notFound)
        }
    }
}
