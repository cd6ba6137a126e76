import Foundation
import Hummingbird
import PollingCore

/// The route handlers of the mock job server (DESIGN.md "HTTP API").
struct JobRoutes: Sendable {
    let jobs: JobTable
    let configuration: MockJobServer.Configuration

    /// Numeric keys of `POST /request` bodies (for naming an unrepresentable number).
    static let seedRequestNumbers: [String: NumberProbe.Kind] = [
        "base_delay": .double, "var_delay": .double, "success_rate": .double,
    ]
    /// Numeric keys of `POST /jobs` bodies.
    static let createJobNumbers: [String: NumberProbe.Kind] = seedRequestNumbers.merging(["seed": .uint64]) { a, _ in a }

    /// Adds every route to `router`.
    func register(on router: Router<BasicRequestContext>) {
        router.post("jobs") { request, _ in try await createJob(request) }
        router.get("jobs/:id") { _, context in try jobStatus(context.parameters.require("id")) }
        router.post("request") { request, _ in try await seedCreate(request) }
        router.get("status") { _, _ in try seedStatus() }
        router.get("health") { _, _ in JSONResponse.make(status: .ok, body: ["status": "ok"]) }
    }

    /// `POST /jobs` → 202, `Location: /jobs/{id}`, `{"id", "status": "pending"}`.
    func createJob(_ request: Request) async throws -> Response {
        let body = try await BodyDecoder.decode(CreateJobRequest.self, from: request, limit: configuration.maxBodySize,
                                                numericFields: Self.createJobNumbers)
        try validate(body.parameters)
        let record = jobs.create(parameters: body.parameters, seed: body.seed)
        // A zero-length job is already final, but creation always answers `pending` (the
        // contract of 202 Accepted); the first GET reports the outcome.
        return JSONResponse.make(status: .accepted, headers: [.location: "/jobs/\(record.id)"],
                                 body: CreateJobResponse(id: record.id, status: .pending))
    }

    /// `GET /jobs/{id}` → 200 `JobStatusResponse`, or 404 `not_found`.
    func jobStatus(_ id: String) throws -> Response {
        guard let record = jobs.job(id: id) else { throw MockJobServerError.notFound(id) }
        let now = jobs.now()
        let body = record.statusResponse(at: now, includeETA: configuration.hints.eta)
        var headers: HTTPFields = [:]
        if !body.status.isFinal, let seconds = configuration.hints.retryAfter {
            headers[.retryAfter] = String(seconds)
        }
        return JSONResponse.make(status: .ok, headers: headers, body: body)
    }

    /// Seed-compatible `POST /request` → 200 `{"result": {...}}`.
    func seedCreate(_ request: Request) async throws -> Response {
        let body = try await BodyDecoder.decode(SeedCreateRequest.self, from: request, limit: configuration.maxBodySize,
                                                numericFields: Self.seedRequestNumbers)
        let parameters = body.parameters(defaults: configuration.defaultParameters)
        try validate(parameters)
        let record = jobs.create(parameters: parameters, seed: nil)
        let start = record.createdWall.timeIntervalSince1970
        let result = SeedCreateResponse.Result(requestTime: start, endTime: start + record.planned.duration,
                                               endStatus: record.planned.outcome, delay: record.planned.duration)
        return JSONResponse.make(status: .ok, body: SeedCreateResponse(result: result))
    }

    /// Seed-compatible `GET /status` → 200 `{"result": status}` of the latest job, or 404.
    func seedStatus() throws -> Response {
        guard let record = jobs.latest() else { throw MockJobServerError.noJobYet }
        return JSONResponse.make(status: .ok, body: SeedStatusResponse(result: record.status(at: jobs.now())))
    }

    private func validate(_ parameters: JobParameters) throws(MockJobServerError) {
        do {
            try parameters.validate()
        } catch let error as PollingCoreError {
            throw MockJobServerError(error)
        } catch {
            throw .invalidField("body", "\(error)")
        }
    }
}
