import PollingCore

/// A status response with what the transport saw around it.
public struct StatusReply: Sendable, Hashable {
    /// The HTTP status code (200 for a decoded status).
    public var httpStatus: Int
    /// The decoded body.
    public var response: JobStatusResponse
    /// Server hints: `Retry-After` (RFC 9110 §10.2.3) and the body's `eta`, as delays.
    public var hint: ServerHint?
    /// Redirects the transport followed before the answering request, each a response the server
    /// served (offsets from the instant the call began). Default none.
    public var hops: [RequestHop]
    /// Resends of the answering request on a fresh connection after its pooled connection was
    /// found closed (0 or 1). Default 0.
    public var staleRetries: Int
    /// When the answering request left, as an offset from the instant the call began (zero
    /// without redirects). Default zero.
    public var answerSent: Duration

    public init(httpStatus: Int = 200, response: JobStatusResponse, hint: ServerHint? = nil,
                hops: [RequestHop] = [], staleRetries: Int = 0, answerSent: Duration = .zero) {
        self.httpStatus = httpStatus
        self.response = response
        self.hint = hint
        self.hops = hops
        self.staleRetries = staleRetries
        self.answerSent = answerSent
    }
}

/// The calls a poller needs: create a job, get its status, and cancel it. `JobClient` implements it over
/// HTTP; the simulator implements it in virtual time.
public protocol JobTransport: Sendable {
    /// `POST /jobs`.
    /// - Parameters:
    ///   - request: the job parameters and optional per-job seed.
    ///   - timeout: bound on the whole request (connect, send, receive).
    /// - Throws: `PollingClientError`.
    func createJob(_ request: CreateJobRequest, timeout: Duration) async throws -> CreateJobResponse

    /// `GET /jobs/{id}`, or `GET /jobs/{id}?wait=SECONDS` (long polling: the server holds the
    /// request until the job is final or the wait ends).
    /// - Parameters:
    ///   - id: the job id from `createJob`.
    ///   - wait: the long-poll wait, `nil` for an ordinary poll.
    ///   - timeout: bound on the whole request (the wait and any redirects included).
    /// - Throws: `PollingClientError` (`.httpStatus` for a non-200 answer), or `StatusCallFailure`
    ///   when redirects or a stale-connection resend came before the failure.
    func jobStatus(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply

    /// `DELETE /jobs/{id}`: cancels the job (it answers `cancelled` from then on); a job already
    /// final is left unchanged.
    /// - Parameters:
    ///   - id: the job id from `createJob`.
    ///   - timeout: bound on the whole request.
    /// - Returns: the job's status after the request (`cancelled`, or the final status it had).
    /// - Throws: `PollingClientError` (`.httpStatus(404, …)` for an unknown id).
    func cancelJob(id: String, timeout: Duration) async throws -> StatusReply

    /// A push arm's subscription (`PushChannel.serverSentEvents`): `GET /jobs/{id}/events`,
    /// read until the final `status` event, or until `wait` when the last status seen is
    /// `pending` (the reply is then that pending status).
    /// - Throws: `PollingClientError` (`.httpStatus` before the stream starts, `.transport`
    ///   when the stream ends without a final status, `.timeout` at `timeout`).
    func jobEvents(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply

    /// A webhook arm's status call (`PushChannel.webhook`): waits for the callback the server
    /// POSTs to `callbackURL` when job `id` ends; after `wait` without one, replies `pending`
    /// with HTTP status 202 (nothing delivered: the job is, as far as the client knows, still
    /// accepted and pending).
    func jobCallback(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply

    /// The URL to register as a job's `callback_url`, or `nil` when this transport has no
    /// webhook receiver.
    var callbackURL: String? { get }
}

extension JobTransport {
    /// Without server push, a subscription is what it amounts to on the wire: a long poll held
    /// until the job is final or `wait` ends (the simulator's model of a push arm).
    public func jobEvents(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply {
        try await jobStatus(id: id, wait: wait ?? timeout, timeout: timeout)
    }

    /// Without a receiver, the callback is modelled as a long poll, like `jobEvents`.
    public func jobCallback(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply {
        try await jobStatus(id: id, wait: wait ?? timeout, timeout: timeout)
    }

    public var callbackURL: String? { nil }
}
