import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PollingCore

/// A client of the mock job server's API (`POST /jobs`, `GET /jobs/{id}`) over AsyncHTTPClient.
///
/// Owns its `HTTPClient`; call `shutdown()` when done. Every request is bounded as a whole by a
/// timeout (not an idle timer). Non-200 answers become `PollingClientError.httpStatus`.
public final class JobClient: JobTransport {
    /// Client settings, in the style of AsyncHTTPClient's nested configuration.
    public struct Configuration: Sendable {
        /// Timeouts of one request.
        public struct Timeout: Sendable {
            /// Bound on one whole request (connect, send, receive body). Default 5 s.
            public var request: Duration
            /// Bound on establishing a connection (never beyond `request`). Default 5 s: a burst of
            /// thousands of connects can queue at the server for over a second.
            public var connect: Duration

            public init(request: Duration = .seconds(5), connect: Duration = .seconds(5)) {
                self.request = request
                self.connect = connect
            }
        }

        public var timeout: Timeout
        /// Connections per host in the pool. Size it to the experiment's concurrency: at
        /// AsyncHTTPClient's default of 8, queued requests distort poll timing. Default 64.
        public var maximumConnections: Int
        /// Largest response body accepted, in bytes. Default 1 MiB.
        public var maximumBodyBytes: Int

        public init(timeout: Timeout = Timeout(), maximumConnections: Int = 64, maximumBodyBytes: Int = 1 << 20) {
            self.timeout = timeout
            self.maximumConnections = maximumConnections
            self.maximumBodyBytes = maximumBodyBytes
        }
    }

    /// The server's base URL without a trailing slash, e.g. `http://127.0.0.1:8080`.
    public let baseURL: String
    public let configuration: Configuration
    private let http: HTTPClient
    private let logger: Logger
    private let encoder = JSONEncoder()
    /// One decoder for every response (it is `Sendable` and decodes concurrently); a status
    /// call is the hot path of a live run.
    private static let decoder = JSONDecoder()

    /// - Parameters:
    ///   - baseURL: `http://host:port` of the server.
    ///   - configuration: timeouts and pool size.
    ///   - logger: request-level logging.
    /// - Throws: `PollingClientError.invalidURL` when `baseURL` is not an http(s) URL with a host.
    public init(baseURL: String, configuration: Configuration = Configuration(), logger: Logger = Logger(label: "polllab.client")) throws {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw PollingClientError.invalidURL(baseURL, "expected http://HOST:PORT, e.g. http://127.0.0.1:8080")
        }
        self.baseURL = trimmed
        self.configuration = configuration
        self.logger = logger
        var http = HTTPClient.Configuration()
        http.connectionPool = .init(idleTimeout: .seconds(60),
                                    concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maximumConnections))
        http.timeout = .init(connect: .nanoseconds(configuration.timeout.connect.nanoseconds))
        http.httpVersion = .http1Only
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    /// Shuts the HTTP client down; call once, after the last request.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    public func createJob(_ request: CreateJobRequest, timeout: Duration) async throws -> CreateJobResponse {
        var http = HTTPClientRequest(url: baseURL + "/jobs")
        http.method = .POST
        http.headers.add(name: "content-type", value: "application/json")
        http.body = .bytes(ByteBuffer(bytes: try encoder.encode(request)))
        let (status, headers, body) = try await send(http, timeout: timeout)
        guard status == 202 || status == 200 else { throw Self.statusError(status, headers, body) }
        return try decode(CreateJobResponse.self, body)
    }

    public func jobStatus(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply {
        let escaped = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id
        let query = wait.map { "?wait=" + String(format: "%.3f", max(0, $0.seconds)) } ?? ""
        let http = HTTPClientRequest(url: baseURL + "/jobs/" + escaped + query)
        let (status, headers, body) = try await send(http, timeout: timeout)
        guard status == 200 else { throw Self.statusError(status, headers, body) }
        let response = try decode(JobStatusResponse.self, body)
        var hint = ServerHint(retryAfter: Self.retryAfter(headers))
        if let eta = response.eta, eta.isFinite, eta >= 0 { hint.eta = .clampedSeconds(eta) }
        return StatusReply(httpStatus: status, response: response, hint: hint == ServerHint() ? nil : hint)
    }

    /// Opens up to `connections` pooled connections (at most `maximumWarmUp`) before a run by
    /// sending that many concurrent `GET /health` requests (any answer will do), so that
    /// connection set-up does not delay the first polls of a burst of trials. Beyond the cap,
    /// connections open as trials need them (spread by the experiment's ramp-up).
    /// - Throws: `PollingClientError` when the server cannot be reached at all.
    public func warmUp(connections: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, min(connections, configuration.maximumConnections, Self.maximumWarmUp)) {
                group.addTask {
                    _ = try await self.send(HTTPClientRequest(url: self.baseURL + "/health"), timeout: self.configuration.timeout.request)
                }
            }
            try await group.waitForAll()
        }
    }

    /// The most connections `warmUp` opens at once: 512.
    public static let maximumWarmUp = 512

    private func send(_ request: HTTPClientRequest, timeout: Duration) async throws -> (Int, HTTPHeaders, ByteBuffer) {
        let amount = TimeAmount.nanoseconds(max(0, timeout.nanoseconds))
        let end = ContinuousClock.now + max(.zero, timeout)
        do {
            let response = try await http.execute(request, timeout: amount, logger: logger)
            let body = try await collect(response.body, until: end)
            return (Int(response.status.code), response.headers, body)
        } catch let error as HTTPClientError {
            throw Self.map(error)
        } catch is CancellationError {
            throw PollingClientError.cancelled
        } catch let error as PollingClientError {
            throw error
        } catch {
            throw PollingClientError.transport(String(describing: error))
        }
    }

    /// Collects a response body, bounded by the request's end instant: AsyncHTTPClient's
    /// `execute(_:timeout:)` deadline stops at the response head, so a trickling body would
    /// otherwise outlive the timeout. On time-out the collecting task is cancelled, which makes
    /// AsyncHTTPClient drop the connection.
    /// - Throws: `PollingClientError.timeout` when `end` passes first; else what `collect` throws.
    private func collect(_ body: HTTPClientResponse.Body, until end: ContinuousClock.Instant) async throws -> ByteBuffer {
        let limit = configuration.maximumBodyBytes
        return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(until: end, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else { throw PollingClientError.timeout }
            return buffer
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ body: ByteBuffer) throws -> T {
        do {
            return try Self.decoder.decode(T.self, from: Data(body.readableBytesView))
        } catch {
            throw PollingClientError.badBody("\(T.self): \(error)")
        }
    }

    private static func statusError(_ status: Int, _ headers: HTTPHeaders, _ body: ByteBuffer) -> PollingClientError {
        let message = (try? decoder.decode(ErrorResponse.self, from: Data(body.readableBytesView)))?.error.message
            ?? String(decoding: body.readableBytesView.prefix(200), as: UTF8.self)
        return .httpStatus(status, message, retryAfter: retryAfter(headers))
    }

    /// The valid `Retry-After` of a response as a delay (RFC 9110 §10.2.3); invalid values are ignored.
    private static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let value = headers.first(name: "retry-after"),
              let seconds = RetryAfter.seconds(from: value, now: Date()) else { return nil }
        return .clampedSeconds(seconds)
    }

    private static func map(_ error: HTTPClientError) -> PollingClientError {
        switch error {
        case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
            return .timeout
        case .cancelled:
            return .cancelled
        default:
            return .transport(String(describing: error))
        }
    }
}
