/// Errors of the `PollingClient` module, each with a stable short code (stored in the
/// database's `error_code` columns).
public enum PollingClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The base URL could not be used: (url, why).
    case invalidURL(String, String)
    /// The request did not complete within its timeout.
    case timeout
    /// The connection failed or was reset: (description).
    case transport(String)
    /// The server answered with a non-success HTTP status: (status, message from the body).
    case httpStatus(Int, String)
    /// The response body could not be decoded: (what was wrong).
    case badBody(String)
    /// The task was cancelled.
    case cancelled

    /// A stable short code: `invalid_url`, `timeout`, `transport`, `http_<status>`, `bad_body`,
    /// `cancelled`.
    public var code: String {
        switch self {
        case .invalidURL: return "invalid_url"
        case .timeout: return "timeout"
        case .transport: return "transport"
        case .httpStatus(let status, _): return "http_\(status)"
        case .badBody: return "bad_body"
        case .cancelled: return "cancelled"
        }
    }

    /// The HTTP status, when one was received.
    public var httpStatus: Int? {
        if case .httpStatus(let status, _) = self { return status }
        return nil
    }

    public var description: String {
        switch self {
        case .invalidURL(let url, let why): return "invalid server URL '\(url)': \(why)"
        case .timeout: return "request timed out"
        case .transport(let what): return "transport error: \(what)"
        case .httpStatus(let status, let message): return "HTTP \(status): \(message)"
        case .badBody(let what): return "undecodable response body: \(what)"
        case .cancelled: return "cancelled"
        }
    }
}
