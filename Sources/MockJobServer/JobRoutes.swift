import Foundation
import Hummingbird
import NIOCore
import PollingCore

/// The route handlers of the mock job server (DESIGN.md "HTTP API").
struct JobRoutes: Sendable {
    let jobs: JobTable
    let configuration: MockJobServer.Configuration
    let load: LoadLimiter
    let push: PushMonitor
    let callbacks: CallbackDispatcher

    /// Numeric keys of `POST /request` bodies (for naming an unrepresentable number).
    static let seedRequestNumbers: [String: NumberProbe.Kind] = [
        "base_delay": .double, "var_delay": .double, "success_rate": .double,
    ]
    /// Numeric keys of `POST /jobs` bodies.
    static let createJobNumbers: [String: NumberProbe.Kind] = seedRequestNumbers.merging(["seed": .uint64, "faults": .faultScript, "size": .double]) { a, _ in a }

    /// Adds every route to `router`.
    func register(on router: Router<JobServerContext>) {
        router.post("jobs") { request, _ in try await createJob(request) }
        router.get("jobs/:id") { request, context in
            try await jobStatus(context.parameters.require("id"), request: request, channel: context.channel)
        }
        router.get("jobs/:id/events") { request, context in
            try await jobEvents(context.parameters.require("id"), request: request)
        }
        router.delete("jobs/:id") { _, context in try cancelJob(context.parameters.require("id")) }
        router.post("request") { request, _ in try await seedCreate(request) }
        router.get("status") { _, _ in try seedStatus() }
        router.get("health") { _, _ in JSONResponse.make(status: .ok, body: ["status": "ok"]) }
        router.get("stats") { _, _ in JSONResponse.make(status: .ok, body: StatsResponse(capacity: load.capacity, counts: load.counts, push: push.counts)) }
    }

    /// `POST /jobs` → 202, `Location: /jobs/{id}`, `{"id", "status": "pending"}`. With
    /// `callback_url` (an absolute http(s) URL, else 400 naming it) the job's final status is
    /// POSTed there when it ends (`CallbackDispatcher`, `CallbackPolicy`).
    func createJob(_ request: Request) async throws -> Response {
        let body = try await BodyDecoder.decode(CreateJobRequest.self, from: request, limit: configuration.maxBodySize,
                                                numericFields: Self.createJobNumbers)
        try validate(body.parameters, sized: body.size != nil)
        if let size = body.size {
            do {
                try JobParameters.validate(size: size)
            } catch let error as PollingCoreError {
                throw MockJobServerError(error)
            }
        }
        if let faults = body.faults {
            guard faults.count <= Self.maxScriptLength else {
                throw MockJobServerError.invalidField("faults", "at most \(Self.maxScriptLength) steps, got \(faults.count)")
            }
        }
        if let url = body.callbackURL, !CallbackDispatcher.validURL(url) {
            throw MockJobServerError.invalidField("callback_url", "must be an absolute http(s) URL such as http://127.0.0.1:9000/callbacks, got '\(url.prefix(200))'")
        }
        let record = try jobs.create(parameters: body.parameters, seed: body.seed, faults: body.faults, size: body.size)
        if let url = body.callbackURL { callbacks.schedule(id: record.id, url: url) }
        // A zero-length job is already final, but creation always answers `pending` (the
        // contract of 202 Accepted); the first GET reports the outcome. `expected_duration` is
        // E[T | size] (omitted when infinite, e.g. a Lomax with shape <= 1).
        return JSONResponse.make(status: .accepted, headers: [.location: "/jobs/\(record.id)"],
                                 body: CreateJobResponse(id: record.id, status: .pending,
                                                         expectedDuration: body.answeredExpectedDuration))
    }

    /// `GET /jobs/{id}[?wait=SECONDS]` → 200 `JobStatusResponse`, 404 `not_found`, 410
    /// `job_expired`, 400 naming `wait`; or an injected fault (see `FaultPlanner`); with a
    /// `capacity`, first 429 `rate_limited` (with `Retry-After`) or 503 `overloaded`, and a
    /// served request is answered after its queueing and service time.
    ///
    /// With `wait`, the request is held until the job is final or `min(wait, maxWait)` has
    /// passed (one sleep on the time source until the earlier instant: no polling, no thread).
    func jobStatus(_ id: String, request: Request, channel: any Channel) async throws -> Response {
        let wait = try Self.parseWait(request.uri.queryParameters["wait"], max: configuration.maxWait)
        try await admitStatusRequest(request)
        let record: JobRecord, sequence: Int
        switch jobs.beginRequest(id: id) {
        case .found(let found, let number): (record, sequence) = (found, number)
        case .expired: throw MockJobServerError.expired(id)
        case .unknown: throw MockJobServerError.notFound(id)
        }
        let time = configuration.timeSource
        let fault = FaultPlanner.fault(configuration: configuration.faults, script: record.faults,
                                       serverSeed: configuration.seed, jobNumber: JobTable.number(of: id) ?? 0,
                                       sequence: sequence)
        if let ms = fault.delayMs, ms > 0 { try await time.sleep(for: .milliseconds(ms)) }
        switch fault.kind {
        case .status:
            var headers: HTTPFields = [:]
            if let seconds = fault.retryAfter { headers[.retryAfter] = retryAfterValue(seconds) }
            let error = MockJobServerError.injectedFault(fault.status ?? 503)
            return JSONResponse.make(status: error.status, headers: headers, body: error.errorResponse)
        case .hang:
            try await time.sleep(for: .seconds(configuration.faults.hangCapSeconds))
            await FaultResponses.reset(channel)
            return Response(status: .serviceUnavailable)  // never reaches the peer
        case .reset:
            await FaultResponses.reset(channel)
            return Response(status: .serviceUnavailable)  // never reaches the peer
        case .backwards:
            return JSONResponse.make(status: .ok, body: JobStatusResponse(id: record.id, status: .pending))
        case .ok, .slowBody, .emptyBody, .malformedBody, .unknownStatus:
            break
        }
        if let wait, record.status(at: time.monotonic()) == .pending {
            try await time.sleepUntil(min(record.finishInstant, time.monotonic() + wait))
        }
        let body = record.statusResponse(at: time.monotonic(), includeETA: configuration.hints.eta,
                                         includeProgress: configuration.hints.progress)
        var headers: HTTPFields = [:]
        if !body.status.isFinal, let seconds = configuration.hints.retryAfter {
            headers[.retryAfter] = retryAfterValue(seconds)
        }
        switch fault.kind {
        case .emptyBody: return FaultResponses.emptyBody(headers: headers)
        case .malformedBody: return FaultResponses.malformedBody(id: record.id, headers: headers)
        case .unknownStatus: return FaultResponses.unknownStatus(id: record.id, headers: headers)
        case .slowBody:
            return FaultResponses.trickle(body, headers: headers, over: .milliseconds(configuration.faults.slowBodyMs), time: time)
        default: return JSONResponse.make(status: .ok, headers: headers, body: body)
        }
    }

    /// Passes a status request (a poll or an event-stream subscription) through the server's
    /// capacity: returns once it is served (after any queueing and service time).
    /// - Throws: `rateLimited` (429 with `Retry-After`) or `overloaded` (503).
    func admitStatusRequest(_ request: Request) async throws {
        guard !configuration.capacity.isUnlimited else { return }
        switch load.admit(client: request.headers[Self.clientHeader]) {
        case (.rateLimited(let retryAfter), _): throw MockJobServerError.rateLimited(retryAfter)
        case (.overloaded, _): throw MockJobServerError.overloaded
        case (.serve(_, let finish), let origin): try await configuration.timeSource.sleepUntil(origin + finish)
        }
    }

    /// `DELETE /jobs/{id}` → 200 `JobStatusResponse` of the job after the request: `cancelled`
    /// if it was pending (as Google's `CancelOperation`), else its final status unchanged (a
    /// second DELETE changes nothing); 404 `not_found`, 410 `job_expired`. Never faulted.
    func cancelJob(_ id: String) throws -> Response {
        switch jobs.cancel(id: id) {
        case .done(let record, _):
            return JSONResponse.make(status: .ok, body: record.statusResponse(at: configuration.timeSource.monotonic()))
        case .expired: throw MockJobServerError.expired(id)
        case .unknown: throw MockJobServerError.notFound(id)
        }
    }

    /// `X-Client-Id`: names the client for per-client capacity.
    static let clientHeader = HTTPFields.Element.Name(ServerCapacity.clientHeader)!

    /// Longest accepted fault script.
    static let maxScriptLength = 1000

    /// The `wait` query value as a duration cut to `max`, or `nil` when absent.
    /// - Throws: `MockJobServerError.invalidField("wait", …)` unless it is a finite number of
    ///   seconds >= 0.
    static func parseWait(_ value: Substring?, max: Duration) throws(MockJobServerError) -> Duration? {
        guard let value else { return nil }
        guard let seconds = Double(value), seconds.isFinite, seconds >= 0 else {
            throw .invalidField("wait", "must be a finite number of seconds >= 0 (the server caps it at \(max.seconds) s), got '\(value)'")
        }
        return Swift.min(Duration.clampedSeconds(seconds), max)
    }

    /// A `Retry-After` value for `seconds` in the configured form (RFC 9110 §10.2.3).
    func retryAfterValue(_ seconds: Int) -> String {
        switch configuration.hints.retryAfterFormat {
        case .seconds: return String(seconds)
        case .httpDate: return HTTPDate.string(from: configuration.timeSource.wall().addingTimeInterval(Double(seconds)))
        }
    }

    /// Seed-compatible `POST /request` → 200 `{"result": {...}}`.
    func seedCreate(_ request: Request) async throws -> Response {
        let body = try await BodyDecoder.decode(SeedCreateRequest.self, from: request, limit: configuration.maxBodySize,
                                                numericFields: Self.seedRequestNumbers)
        let parameters = body.parameters(defaults: configuration.defaultParameters)
        try validate(parameters)
        try Self.validateSeedTimes(parameters, now: configuration.timeSource.wall().timeIntervalSince1970)
        let record = try jobs.create(parameters: parameters, seed: nil)
        let start = record.createdWall.timeIntervalSince1970
        let result = SeedCreateResponse.Result(requestTime: start, endTime: start + record.planned.duration,
                                               endStatus: record.planned.outcome, delay: record.planned.duration)
        return JSONResponse.make(status: .ok, body: SeedCreateResponse(result: result))
    }

    /// Checks, before any job is created, that every number of the `POST /request` answer will be
    /// finite: the longest duration the parameters allow, and `now` plus it (`end_time`). JSON
    /// has no infinity, so a job with `base_delay` 1e308 could be created but never reported.
    /// - Throws: `invalidField` naming `var_delay` (each delay alone is finite, so their sum is at fault).
    static func validateSeedTimes(_ parameters: JobParameters, now: Double) throws(MockJobServerError) {
        let longest = parameters.durationBounds.upperBound
        guard longest.isFinite, (now + longest).isFinite else {
            throw .invalidField("var_delay", "is too large: base_delay + var_delay must be a finite number of seconds, got \(parameters.varDelay)")
        }
    }

    /// Seed-compatible `GET /status` → 200 `{"result": status}` of the latest job, or 404; a
    /// cancelled job reads `error` (`JobStatus.seedCompatible`).
    func seedStatus() throws -> Response {
        guard let record = jobs.latest() else { throw MockJobServerError.noJobYet }
        return JSONResponse.make(status: .ok, body: SeedStatusResponse(result: record.status(at: jobs.now()).seedCompatible))
    }

    private func validate(_ parameters: JobParameters, sized: Bool = false) throws(MockJobServerError) {
        do {
            try parameters.validate(sized: sized)
        } catch let error as PollingCoreError {
            throw MockJobServerError(error)
        } catch {
            throw .invalidField("body", "\(error)")
        }
    }
}
