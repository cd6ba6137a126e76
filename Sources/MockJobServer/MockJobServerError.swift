import Foundation
import Hummingbird
import PollingCore

/// Errors of the `MockJobServer` module, each with a stable short code.
///
/// Request errors (`badJSON`, `missingField`, `invalidField`, `bodyTooLarge`, `notFound`,
/// `noJobYet`, `routeNotFound`, `expired`, `tooManyJobs`, `injectedFault`, `rateLimited`, `overloaded`) become JSON `ErrorResponse` bodies with the matching HTTP status
/// (see `status`); the others come from starting or running the server.
public enum MockJobServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not JSON, or not a JSON object: (what is wrong).
    case badJSON(String)
    /// A required key is absent: (field name).
    case missingField(String)
    /// A key has the wrong type or an out-of-range value: (field name, what is wrong and the fix).
    case invalidField(String, String)
    /// The body is longer than the server accepts: (limit in bytes).
    case bodyTooLarge(Int)
    /// No job has this id: (the id).
    case notFound(String)
    /// `GET /status` before any job was created.
    case noJobYet
    /// No route matches: (method, path).
    case routeNotFound(String, String)
    /// The job existed but expired `finishedJobTTL` after finishing: (the id).
    case expired(String)
    /// The server holds `maxJobs` jobs: (the limit).
    case tooManyJobs(Int)
    /// A fault injected on purpose (fault injection): (the HTTP status).
    case injectedFault(Int)
    /// The capacity's token bucket is empty: 429 with `Retry-After` (seconds until the next token,
    /// rounded up to a whole second, RFC 9110 §10.2.3): (that time).
    case rateLimited(Duration)
    /// Every service slot is busy and the queue is full: 503.
    case overloaded
    /// The configuration is unusable: (field name, what is wrong and the fix).
    case invalidConfiguration(String, String)
    /// The port is already taken by another process: (host, port).
    case portInUse(String, Int)
    /// Binding the listening socket failed for another reason: (host, port, underlying error).
    case bindFailed(String, Int, String)
    /// The server stopped before it started listening, or failed while running: (reason).
    case serverFailed(String)

    /// A stable short code, used as `error.code` in JSON bodies and stored by callers.
    public var code: String {
        switch self {
        case .badJSON: return "bad_json"
        case .missingField: return "missing_field"
        case .invalidField: return "invalid_field"
        case .bodyTooLarge: return "body_too_large"
        case .notFound: return "not_found"
        case .noJobYet: return "no_job_yet"
        case .routeNotFound: return "route_not_found"
        case .expired: return "job_expired"
        case .tooManyJobs: return "too_many_jobs"
        case .injectedFault: return "injected_fault"
        case .rateLimited: return "rate_limited"
        case .overloaded: return "overloaded"
        case .invalidConfiguration: return "invalid_configuration"
        case .portInUse: return "port_in_use"
        case .bindFailed: return "bind_failed"
        case .serverFailed: return "server_failed"
        }
    }

    /// The offending field, for the errors that have one.
    public var field: String? {
        switch self {
        case .missingField(let field), .invalidField(let field, _), .invalidConfiguration(let field, _):
            return field
        default:
            return nil
        }
    }

    /// A message that names the offending field or resource and the fix.
    public var message: String {
        switch self {
        case .badJSON(let what):
            return "request body is not a valid JSON object: \(what)"
        case .missingField(let field):
            return "\(field): required field is missing; add it to the JSON body"
        case .invalidField(let field, let what), .invalidConfiguration(let field, let what):
            return "\(field): \(what)"
        case .bodyTooLarge(let limit):
            return "request body is larger than \(limit) bytes; send a smaller body"
        case .notFound(let id):
            return "no job with id '\(id)'; use the id returned by POST /jobs"
        case .noJobYet:
            return "no job has been created yet; POST /request or POST /jobs first"
        case .routeNotFound(let method, let path):
            return "no route for \(method) \(path); see the HTTP API in DESIGN.md"
        case .expired(let id):
            return "job '\(id)' finished and expired; read a job's final status within the server's finished-job TTL"
        case .tooManyJobs(let limit):
            return "the server holds its maximum of \(limit) jobs; retry after finished jobs expire"
        case .injectedFault(let status):
            return "injected fault: HTTP \(status) (fault injection is configured on this server or job)"
        case .rateLimited(let wait):
            return "rate limit reached (server capacity); retry after \(wait.seconds) s"
        case .overloaded:
            return "every service slot is busy and the queue is full (server capacity); retry later"
        case .portInUse(let host, let port):
            return "port \(port) on \(host) is already in use; choose another port or 0 for an ephemeral one"
        case .bindFailed(let host, let port, let underlying):
            return "cannot listen on \(host):\(port): \(underlying)"
        case .serverFailed(let reason):
            return "job server failed: \(reason)"
        }
    }

    public var description: String { "\(code): \(message)" }

    /// Maps `PollingCoreError.invalidField` (from `JobParameters.validate()`) to `invalidField`.
    init(_ error: PollingCoreError) {
        switch error {
        case .invalidField(let field, let message): self = .invalidField(field, message)
        }
    }

    /// The JSON body sent for this error.
    public var errorResponse: ErrorResponse {
        ErrorResponse(code: code, message: message, field: field)
    }
}

extension MockJobServerError: HTTPResponseError {
    /// The HTTP status of a request error (400, 404, 410, 413, 503, or an injected fault's);
    /// 500 for the server-side ones.
    public var status: HTTPResponse.Status {
        switch self {
        case .badJSON, .missingField, .invalidField: return .badRequest
        case .bodyTooLarge: return .contentTooLarge
        case .notFound, .noJobYet, .routeNotFound: return .notFound
        case .expired: return .gone
        case .tooManyJobs, .overloaded: return .serviceUnavailable
        case .rateLimited: return .tooManyRequests
        case .injectedFault(let code): return HTTPResponse.Status(code: code)
        case .invalidConfiguration, .portInUse, .bindFailed, .serverFailed: return .internalServerError
        }
    }

    /// Extra header fields of the error response: `Retry-After: 1` for `tooManyJobs`, and for
    /// `rateLimited` the wait in whole seconds, rounded up.
    public var headers: HTTPFields {
        switch self {
        case .tooManyJobs: return [.retryAfter: "1"]
        case .rateLimited(let wait): return [.retryAfter: String(Int(wait.seconds.rounded(.up)))]
        default: return [:]
        }
    }

    /// Renders the error as a JSON `ErrorResponse` with `status` and `headers`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(status: status, headers: headers, body: errorResponse)
    }
}
