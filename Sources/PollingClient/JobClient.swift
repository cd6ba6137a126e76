import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PollingCore
import Synchronization

/// A client of the mock job server's API (`POST /jobs`, `GET /jobs/{id}`) over AsyncHTTPClient.
///
/// Owns the `HTTPClient` it creates, or uses one passed in (`init(baseURL:httpClient:…)`, which the
/// caller keeps and shuts down); call `shutdown()` when done either way. Every request is bounded as a whole by a
/// timeout (not an idle timer): the wait for a connection, the response head and the body.
/// Non-200 answers become `PollingClientError.httpStatus`.
///
/// Redirects (`301`, `302`, `303`, `307`, `308` with a `Location`) are followed by this client, not
/// by AsyncHTTPClient (whose own following is turned off, `redirectConfiguration: .disallow`), at
/// most `maximumRedirects` (5) in a row, within the call's one timeout; past that the call fails
/// with `too_many_redirects`. A status call reports each redirect as a `RequestHop`, recorded
/// as a status call of its own. `303`, and `301`/`302` answering a `POST`, continue with a `GET`
/// without body (RFC 9110 §15.4); `307`/`308` repeat the method and body. An injected
/// `HTTPClient` that follows redirects itself hides them: configure it with `.disallow`.
///
/// A `GET` whose pooled keep-alive connection turns out to be closed (the server closed it
/// while idle, just as the request went out: AsyncHTTPClient's `remoteConnectionClosed`, NIO's
/// `ioOnClosedChannel` or `eof`, or a connection reset / broken pipe) is sent once more on a fresh
/// connection before it counts as failed, and the resend is reported (`staleRetries`, recorded
/// as `api_call.stale_retries`). The client cannot tell whether the connection was reused, so a
/// new connection closed at once also gets the one resend. `POST` and `DELETE` are never resent.
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
        /// The webhook receiver whose URL webhook arms register and whose inbox they wait on;
        /// `nil` (the default) = none (a webhook wait then replies `pending` at once).
        public var webhook: WebhookReceiver?

        public init(timeout: Timeout = Timeout(), maximumConnections: Int = 64, maximumBodyBytes: Int = 1 << 20,
                    webhook: WebhookReceiver? = nil) {
            self.timeout = timeout
            self.maximumConnections = maximumConnections
            self.maximumBodyBytes = maximumBodyBytes
            self.webhook = webhook
        }
    }

    /// The server's base URL without a trailing slash, e.g. `http://127.0.0.1:8080`.
    public let baseURL: String
    public let configuration: Configuration
    private let http: HTTPClient
    /// `false` when the `HTTPClient` was injected: `shutdown()` then leaves it to its owner.
    private let ownsHTTPClient: Bool
    private let logger: Logger
    private let encoder = JSONEncoder()
    /// Status monitors announced by a create response's `Location` that differ from the default
    /// `baseURL/jobs/{id}`, by job id; an entry goes when the job is seen final or cancelled.
    private let monitors = Mutex<[String: String]>([:])
    /// The last event id seen on each job's event stream (`Last-Event-ID` for a resubscription);
    /// an entry goes when the job's final event arrives.
    private let lastEventIDs = Mutex<[String: String]>([:])
    /// One decoder for every response (it is `Sendable` and decodes concurrently); a status
    /// call is the hot path of a live run.
    private static let decoder = JSONDecoder()

    /// - Parameters:
    ///   - baseURL: `http://host:port` of the server.
    ///   - configuration: timeouts and pool size.
    ///   - logger: request-level logging.
    /// - Throws: `PollingClientError.invalidURL` when `baseURL` is not an http(s) URL with a host.
    public convenience init(baseURL: String, configuration: Configuration = Configuration(),
                            logger: Logger = Logger(label: "polllab.client")) throws {
        var http = HTTPClient.Configuration()
        http.connectionPool = .init(idleTimeout: .seconds(60),
                                    concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maximumConnections))
        http.timeout = .init(connect: .nanoseconds(configuration.timeout.connect.nanoseconds))
        http.httpVersion = .http1Only
        // The client follows redirects itself, so that each hop is seen (and recorded).
        http.redirectConfiguration = .disallow
        let trimmed = try Self.validated(baseURL)
        self.init(trimmed, http: HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http),
                  owns: true, configuration: configuration, logger: logger)
    }

    /// A client over an `HTTPClient` the caller owns (shares, configures and shuts down); the
    /// client's own `Configuration` then only bounds requests (timeouts, body size) and sizes
    /// `warmUp`; pool size and connect timeout are the injected client's.
    /// - Parameters:
    ///   - baseURL: `http://host:port` of the server.
    ///   - httpClient: the AsyncHTTPClient to send every request with.
    ///   - configuration: timeouts and body limit.
    ///   - logger: request-level logging.
    /// - Throws: `PollingClientError.invalidURL` when `baseURL` is not an http(s) URL with a host.
    public convenience init(baseURL: String, httpClient: HTTPClient, configuration: Configuration = Configuration(),
                            logger: Logger = Logger(label: "polllab.client")) throws {
        self.init(try Self.validated(baseURL), http: httpClient, owns: false, configuration: configuration, logger: logger)
    }

    private init(_ baseURL: String, http: HTTPClient, owns: Bool, configuration: Configuration, logger: Logger) {
        self.baseURL = baseURL
        self.http = http
        self.ownsHTTPClient = owns
        self.configuration = configuration
        self.logger = logger
    }

    /// `baseURL` without trailing slashes, if it is an http(s) URL with a host.
    private static func validated(_ baseURL: String) throws -> String {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw PollingClientError.invalidURL(baseURL, "expected http://HOST:PORT, e.g. http://127.0.0.1:8080")
        }
        return trimmed
    }

    /// Shuts the HTTP client down when this client created it; call once, after the last
    /// request. An injected `HTTPClient` is left running for its owner to shut down.
    public func shutdown() async throws {
        guard ownsHTTPClient else { return }
        try await http.shutdown()
    }

    public func createJob(_ request: CreateJobRequest, timeout: Duration) async throws -> CreateJobResponse {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        let body = try encoder.encode(request)
        let (status, responseHeaders, responseBody) = try await sendFollowing(
            baseURL + "/jobs", method: .POST, headers: headers, body: body, timeout: timeout).answer
        guard status == 202 || status == 200 else { throw Self.statusError(status, responseHeaders, responseBody) }
        let created = try decode(CreateJobResponse.self, responseBody)
        if let location = responseHeaders.first(name: "location"),
           let monitor = Self.statusURL(location: location, baseURL: baseURL), monitor != defaultStatusURL(created.id) {
            monitors.withLock { $0[created.id] = monitor }
        }
        return created
    }

    /// Where job `id`'s status is read: the create response's `Location`, else `baseURL/jobs/{id}`.
    private func statusURL(_ id: String) -> String {
        monitors.withLock { $0[id] } ?? defaultStatusURL(id)
    }

    private func defaultStatusURL(_ id: String) -> String {
        baseURL + "/jobs/" + Self.pathSegment(id)
    }

    /// The absolute status-monitor URL a create response's `Location` names (RFC 9110 §10.2.2:
    /// a URI reference, resolved against the request's URI `baseURL/jobs`, so `/jobs/j1` and
    /// `http://host/ops/1` both work); `nil` when it is not an http(s) URL.
    public static func statusURL(location: String, baseURL: String) -> String? {
        guard let base = URL(string: baseURL + "/jobs"),
              let url = URL(string: location.trimmingCharacters(in: .whitespaces), relativeTo: base)?.absoluteURL,
              let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else { return nil }
        return url.absoluteString
    }

    public func jobStatus(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply {
        let url = statusURL(id)
        let query = wait.map { (url.contains("?") ? "&" : "?") + "wait=" + String(format: "%.3f", max(0, $0.seconds)) } ?? ""
        let call: FollowedCall
        do {
            call = try await follow(url + query, method: .GET, headers: HTTPHeaders(), body: nil, timeout: timeout)
        } catch let failure as StatusCallFailure where failure.hops.isEmpty && failure.staleRetries == 0 {
            throw failure.failure
        }
        func failing(_ error: PollingClientError) -> any Error {
            guard !call.hops.isEmpty || call.staleRetries > 0 else { return error }
            return StatusCallFailure(failure: error, hops: call.hops, staleRetries: call.staleRetries,
                                     answerSent: call.answerSent)
        }
        let (status, headers, body) = call.answer
        guard status == 200 else { throw failing(Self.statusError(status, headers, body)) }
        let response: JobStatusResponse
        do {
            response = try decode(JobStatusResponse.self, body)
        } catch let error as PollingClientError {
            throw failing(error)
        }
        if response.status.isFinal { _ = monitors.withLock { $0.removeValue(forKey: id) } }
        var hint = ServerHint(retryAfter: Self.retryAfter(headers))
        if let eta = response.eta, eta.isFinite, eta >= 0 { hint.eta = .clampedSeconds(eta) }
        if let progress = response.progress, progress.total >= 1, (0...progress.total).contains(progress.done) {
            hint.progress = progress
        }
        return StatusReply(httpStatus: status, response: response, hint: hint == ServerHint() ? nil : hint,
                           hops: call.hops, staleRetries: call.staleRetries, answerSent: call.answerSent)
    }

    public var callbackURL: String? { configuration.webhook?.url }

    public func jobCallback(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply {
        guard let inbox = configuration.webhook?.inbox else {
            return StatusReply(httpStatus: 202, response: JobStatusResponse(id: id, status: .pending))
        }
        let now = ContinuousClock.now
        let waitEnd = now + (wait ?? timeout), bound = now + timeout
        if let status = await inbox.wait(for: id, until: min(waitEnd, bound)) {
            return StatusReply(httpStatus: 200, response: status)
        }
        if Task.isCancelled { throw PollingClientError.cancelled }
        guard waitEnd <= bound else { throw PollingClientError.timeout }
        return StatusReply(httpStatus: 202, response: JobStatusResponse(id: id, status: .pending))
    }

    /// Subscribes to `GET {status monitor}/events` with AsyncHTTPClient's streaming body and a
    /// `ServerSentEventParser`, sending `Last-Event-ID` when an earlier subscription to the job
    /// saw an event. The whole call is bounded by `timeout` (a task racing the stream).
    public func jobEvents(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply {
        var subscription = HTTPClientRequest(url: statusURL(id) + "/events")
        subscription.headers.add(name: "accept", value: "text/event-stream")
        if let last = lastEventIDs.withLock({ $0[id] }) { subscription.headers.add(name: "last-event-id", value: last) }
        let request = subscription
        let now = ContinuousClock.now
        let waitEnd = now + (wait ?? timeout), bound = now + timeout
        let pending = PendingBox()
        do {
            return try await withThrowingTaskGroup(of: StatusReply?.self) { group in
                group.addTask {
                    let response = try await self.http.execute(request, deadline: .now() + .nanoseconds(max(0, timeout.nanoseconds)),
                                                               logger: self.logger)
                    guard response.status == .ok else {
                        let body = try await response.body.collect(upTo: self.configuration.maximumBodyBytes)
                        throw Self.statusError(Int(response.status.code), response.headers, body)
                    }
                    var parser = ServerSentEventParser()
                    for try await chunk in response.body {
                        for event in parser.feed(chunk.readableBytesView) where event.type == "status" {
                            let status = try self.decode(JobStatusResponse.self, ByteBuffer(string: event.data))
                            if let eventID = event.id { self.lastEventIDs.withLock { $0[id] = eventID } }
                            guard status.status.isFinal else {
                                pending.status.withLock { $0 = status }
                                continue
                            }
                            _ = self.lastEventIDs.withLock { $0.removeValue(forKey: id) }
                            return StatusReply(httpStatus: 200, response: status)
                        }
                    }
                    throw PollingClientError.transport("the event stream ended before a final status")
                }
                group.addTask {
                    try await Task.sleep(until: min(waitEnd, bound), clock: .continuous)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                if let first { return first }
                if waitEnd <= bound, let status = pending.status.withLock({ $0 }) { return StatusReply(httpStatus: 200, response: status) }
                throw PollingClientError.timeout
            }
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

    /// The last pending status an event stream delivered (shared by its reading and timer tasks).
    private final class PendingBox: Sendable {
        let status = Mutex<JobStatusResponse?>(nil)
    }

    public func cancelJob(id: String, timeout: Duration) async throws -> StatusReply {
        let url = monitors.withLock { $0.removeValue(forKey: id) } ?? defaultStatusURL(id)
        let (status, headers, body) = try await sendFollowing(url, method: .DELETE, timeout: timeout).answer
        guard status == 200 else { throw Self.statusError(status, headers, body) }
        return StatusReply(httpStatus: status, response: try decode(JobStatusResponse.self, body))
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
                    _ = try await self.sendFollowing(self.baseURL + "/health", timeout: self.configuration.timeout.request)
                }
            }
            try await group.waitForAll()
        }
    }

    /// `id` percent-encoded as exactly one path segment (RFC 3986 §3.3): every byte outside the
    /// unreserved set `A–Z a–z 0–9 - . _ ~` is encoded (so `/`, `?`, `#` and `%` never change the
    /// path), and the dot segments `.` and `..` are encoded as `%2E` so that no client or server
    /// normalises them into another path.
    public static func pathSegment(_ id: String) -> String {
        if id == "." || id == ".." { return String(repeating: "%2E", count: id.count) }
        return id.addingPercentEncoding(withAllowedCharacters: unreserved) ?? id
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The most connections `warmUp` opens at once: 512.
    public static let maximumWarmUp = 512

    /// The most redirects a call follows in a row: 5 (AsyncHTTPClient's default bound); one more
    /// fails the call with `too_many_redirects`.
    public static let maximumRedirects = 5

    /// A call's answer after its redirects: the last response, the redirects before it (offsets
    /// from the call's start), the answering request's stale-connection resends and send instant.
    struct FollowedCall {
        var answer: (status: Int, headers: HTTPHeaders, body: ByteBuffer)
        var hops: [RequestHop]
        var staleRetries: Int
        var answerSent: Duration
    }

    /// `follow` for calls that record no hops (create, cancel, health).
    /// - Throws: `PollingClientError`.
    private func sendFollowing(_ url: String, method: HTTPMethod = .GET, headers: HTTPHeaders = HTTPHeaders(),
                               body: Data? = nil, timeout: Duration) async throws -> FollowedCall {
        do {
            return try await follow(url, method: method, headers: headers, body: body, timeout: timeout)
        } catch let failure as StatusCallFailure {
            throw failure.failure
        }
    }

    /// Sends a request and follows its redirects (at most `maximumRedirects`), all within one
    /// deadline `timeout` from now.
    /// - Throws: `StatusCallFailure` (with the hops so far) wrapping `.timeout`, `.cancelled`,
    ///   `.transport` or `.tooManyRedirects`.
    private func follow(_ url: String, method: HTTPMethod, headers: HTTPHeaders, body: Data?,
                        timeout: Duration) async throws -> FollowedCall {
        let clock = ContinuousClock()
        let begun = clock.now
        let deadline = NIODeadline.now() + .nanoseconds(max(0, timeout.nanoseconds))
        var (url, method, headers, body) = (url, method, headers, body)
        var hops: [RequestHop] = []
        while true {
            let sent = begun.duration(to: clock.now)
            let exchange: Exchange
            do {
                exchange = try await send(url, method: method, headers: headers, body: body, deadline: deadline)
            } catch let failure as ExchangeFailure {
                throw StatusCallFailure(failure: failure.error, hops: hops, staleRetries: failure.staleRetries, answerSent: sent)
            }
            guard [301, 302, 303, 307, 308].contains(exchange.status),
                  let location = exchange.headers.first(name: "location"),
                  let next = URL(string: location.trimmingCharacters(in: .whitespaces), relativeTo: URL(string: url))?.absoluteURL,
                  let scheme = next.scheme, ["http", "https"].contains(scheme), next.host != nil else {
                return FollowedCall(answer: (exchange.status, exchange.headers, exchange.body), hops: hops,
                                    staleRetries: exchange.staleRetries, answerSent: sent)
            }
            hops.append(RequestHop(sent: sent, received: begun.duration(to: clock.now), httpStatus: exchange.status,
                                   staleRetries: exchange.staleRetries))
            guard hops.count <= Self.maximumRedirects else {
                throw StatusCallFailure(failure: .tooManyRedirects(Self.maximumRedirects), hops: Array(hops.dropLast()),
                                        staleRetries: 0, answerSent: sent)
            }
            // RFC 9110 §15.4.4: 303 continues with GET (HEAD stays HEAD); §15.4.2-3: user agents
            // turn a redirected POST into GET on 301/302; 307/308 keep the method and body.
            if (exchange.status == 303 && method != .HEAD) || ([301, 302].contains(exchange.status) && method == .POST) {
                (method, body) = (.GET, nil)
                headers.remove(name: "content-type")
            }
            url = next.absoluteString
        }
    }

    /// One request's whole response and its stale-connection resends (0 or 1).
    private struct Exchange {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
        var staleRetries: Int
    }

    /// A failed request: the error and the stale-connection resends made before it.
    private struct ExchangeFailure: Error {
        var error: PollingClientError
        var staleRetries: Int
    }

    /// Sends one request; a `GET` that finds its pooled connection closed (`isStaleConnection`)
    /// is sent once more, on a fresh connection (the pool drops a closed one), within the same
    /// deadline.
    /// - Throws: `ExchangeFailure`.
    private func send(_ url: String, method: HTTPMethod, headers: HTTPHeaders, body: Data?,
                      deadline: NIODeadline) async throws -> Exchange {
        do {
            let (status, headers, body) = try await sendOnce(url, method: method, headers: headers, body: body, deadline: deadline)
            return Exchange(status: status, headers: headers, body: body, staleRetries: 0)
        } catch where method == .GET && Self.isStaleConnection(error) && !Task.isCancelled {
            logger.debug("resending on a fresh connection after a stale one", metadata: ["url": "\(url)", "error": "\(error)"])
            do {
                let (status, headers, body) = try await sendOnce(url, method: method, headers: headers, body: body, deadline: deadline)
                return Exchange(status: status, headers: headers, body: body, staleRetries: 1)
            } catch {
                throw ExchangeFailure(error: Self.map(error), staleRetries: 1)
            }
        } catch {
            throw ExchangeFailure(error: Self.map(error), staleRetries: 0)
        }
    }

    /// Whether `error` means the connection closed under the request before its response was
    /// complete: AsyncHTTPClient's `remoteConnectionClosed` (the channel went inactive while the
    /// request was in flight, or the pooled connection was found closing when the request was
    /// scheduled), NIO's `ioOnClosedChannel` and `eof`, or `ECONNRESET` / `EPIPE` from the socket.
    public static func isStaleConnection(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError { return error == .remoteConnectionClosed }
        if let error = error as? ChannelError { return error == .ioOnClosedChannel || error == .eof }
        if let error = error as? IOError { return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE }
        return false
    }

    /// Sends one request and collects its whole response, bounded as a whole by `deadline`.
    ///
    /// Uses AsyncHTTPClient's `EventLoopFuture` API with a `ResponseAccumulator`: its deadline
    /// covers the wait for a pooled connection, the response head *and* the body (a trickling
    /// body fails with `deadlineExceeded`), so no timer task is needed beside the request. The
    /// `async` API would cost far more per request in flight: its deadline stops at the head (so
    /// the body needed a racing task group with a sleeping child, whose timer outlived the
    /// request by up to `timeout`), it spawns a task per request, and its call chain holds about
    /// 8 KB of async frames in the calling task. Task cancellation cancels the request.
    /// - Throws: what AsyncHTTPClient throws (`HTTPClientError`, NIO errors), `CancellationError`.
    private func sendOnce(_ url: String, method: HTTPMethod, headers: HTTPHeaders, body: Data?,
                          deadline: NIODeadline) async throws -> (Int, HTTPHeaders, ByteBuffer) {
        let request = try HTTPClient.Request(url: url, method: method, headers: headers, body: body.map { .bytes($0) })
        let task = http.execute(
            request: request, delegate: ResponseAccumulator(request: request, maxBodySize: configuration.maximumBodyBytes),
            deadline: deadline, logger: logger)
        let response = try await withTaskCancellationHandler {
            try await task.futureResult.get()
        } onCancel: {
            task.cancel()
        }
        return (Int(response.status.code), response.headers, response.body ?? ByteBuffer())
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
    ///
    /// `Retry-After` is a singleton field. When a response carries it twice (two field lines),
    /// the first line wins; if that line is invalid the response has no hint (later lines are not
    /// consulted, so a hint is never guessed). A value joined by a proxy into one line
    /// (`1, 7`) is invalid. The delay is returned as sent (saturating at 10¹² s); the poll loop
    /// cuts it to `RetryPolicy.maxDelay`.
    /// - Parameter headers: the response's header fields.
    /// - Returns: the delay from the receive instant, or `nil`.
    public static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let value = headers.first(name: "retry-after"),
              let seconds = RetryAfter.seconds(from: value, now: Date()) else { return nil }
        return .clampedSeconds(seconds)
    }

    /// The `PollingClientError` of a failed request.
    private static func map(_ error: any Error) -> PollingClientError {
        switch error {
        case let error as PollingClientError:
            return error
        case is CancellationError:
            return .cancelled
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
                return .timeout
            case .cancelled:
                return .cancelled
            default:
                return .transport(String(describing: error))
            }
        default:
            return .transport(String(describing: error))
        }
    }
}
