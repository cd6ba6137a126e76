/// Errors of the `PollingClient` module, each with a stable short code (stored in the
/// database's `error_code` columns).
public enum PollingClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The base URL could not be used: (url, why).
    case invalidURL(String, String)
    /// The request did not complete within its timeout.
    case timeout
    /// The connection failed or was reset: (description).
    case transport(String)
    /// The server answered with a non-success HTTP status: (status, message from the body, the
    /// response's valid `Retry-After` as a delay, if any).
    case httpStatus(Int, String, retryAfter: Duration? = nil)
    /// The response body could not be decoded: (what was wrong).
    case badBody(String)
    /// The task was cancelled.
    case cancelled
    /// The server redirected the request more than `JobClient.maximumRedirects` times in a row:
    /// (the redirects followed).
    case tooManyRedirects(Int)

    /// A stable short code: `invalid_url`, `timeout`, `transport`, `http_<status>`, `bad_body`,
    /// `cancelled`, `too_many_redirects`.
    public var code: String {
        switch self {
        case .invalidURL: return "invalid_url"
        case .timeout: return "timeout"
        case .transport: return "transport"
        case .httpStatus(let status, _, _): return "http_\(status)"
        case .badBody: return "bad_body"
        case .cancelled: return "cancelled"
        case .tooManyRedirects: return "too_many_redirects"
        }
    }

    /// The HTTP status, when one was received.
    public var httpStatus: Int? {
        if case .httpStatus(let status, _, _) = self { return status }
        return nil
    }

    /// The `Retry-After` delay the server asked for with an error status, if any.
    public var retryAfter: Duration? {
        if case .httpStatus(_, _, let retryAfter) = self { return retryAfter }
        return nil
    }

    /// `true` for failures worth retrying: timeouts, transport errors, undecodable bodies, 408,
    /// 429 and 5xx. Other 4xx statuses mean the request itself is wrong and fail fast, as does a
    /// redirect loop.
    public var isTransient: Bool {
        switch self {
        case .timeout, .transport, .badBody: return true
        case .httpStatus(let status, _, _): return status == 408 || status == 429 || status >= 500
        case .invalidURL, .cancelled, .tooManyRedirects: return false
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url, let why): return "invalid server URL '\(url)': \(why)"
        case .timeout: return "request timed out"
        case .transport(let what): return "transport error: \(what)"
        case .httpStatus(let status, let message, _): return "HTTP \(status): \(message)"
        case .badBody(let what): return "undecodable response body: \(what)"
        case .cancelled: return "cancelled"
        case .tooManyRedirects(let count): return "more than \(count) redirects in a row"
        }
    }
}
