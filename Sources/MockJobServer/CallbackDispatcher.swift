import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PollingCore
import ServiceLifecycle

/// Delivers webhook callbacks (`callback_url` of `POST /jobs`) by the server's `CallbackPolicy`,
/// as a service of the server's application: deliveries run as child tasks of `run()`, so none
/// outlives the server (a graceful shutdown cancels the pending ones).
///
/// Each delivery sleeps on the server's time source until the job ends, then POSTs the job's
/// status at that instant (the `GET /jobs/{id}` body) with an AsyncHTTPClient of its own,
/// retrying as the policy says; every attempt is counted in the `PushMonitor`.
public final class CallbackDispatcher: Service, Sendable {
    /// One job whose callback is due when it ends.
    struct Delivery: Sendable {
        var id: String
        var url: String
    }

    private let jobs: JobTable
    private let policy: MockJobServer.CallbackPolicy
    private let timeSource: MockJobServer.TimeSource
    private let monitor: PushMonitor
    private let stream: AsyncStream<Delivery>
    private let continuation: AsyncStream<Delivery>.Continuation

    init(jobs: JobTable, policy: MockJobServer.CallbackPolicy, timeSource: MockJobServer.TimeSource, monitor: PushMonitor) {
        self.jobs = jobs
        self.policy = policy
        self.timeSource = timeSource
        self.monitor = monitor
        (stream, continuation) = AsyncStream.makeStream(of: Delivery.self)
    }

    /// Queues the callback of job `id` to `url` (delivered once the service runs).
    func schedule(id: String, url: String) {
        continuation.yield(Delivery(id: id, url: url))
    }

    /// Connections per receiver host: 1 024, so that a burst of callbacks does not queue for a
    /// connection (AsyncHTTPClient's default of 8 made most of 200 simultaneous callbacks miss
    /// their 1 s attempt timeout).
    public static let maximumConnections = 1_024

    /// Runs deliveries until a graceful shutdown (or cancellation), then cancels those pending.
    /// The deliveries' HTTP client lives exactly as long as this call.
    public func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: Self.maximumConnections)
        configuration.httpVersion = .http1Only
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        await withDiscardingTaskGroup { group in
            for await delivery in stream.cancelOnGracefulShutdown() {
                group.addTask { await self.deliver(delivery, http: http) }
            }
            group.cancelAll()
        }
        try? await http.shutdown()
    }

    /// Whether `value` is an absolute http(s) URL with a host.
    static func validURL(_ value: String) -> Bool {
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else { return false }
        return true
    }

    private func deliver(_ delivery: Delivery, http: HTTPClient) async {
        guard let created = jobs.job(id: delivery.id) else { return }
        do {
            try await timeSource.sleepUntil(created.endInstant)
            for attempt in 1...policy.attempts {
                if attempt > 1 { try await timeSource.sleepUntil(timeSource.monotonic() + policy.delay(beforeRetry: attempt - 1)) }
                let record = jobs.job(id: delivery.id) ?? created
                let started = monitor.callbackStarted()
                let delivered = await post(record.statusResponse(at: started), to: delivery.url, http: http)
                try Task.checkCancellation()
                if delivered { return }
                monitor.callbackFailed(started: started, abandoned: attempt == policy.attempts)
            }
        } catch {
            return  // cancelled: the server is shutting down
        }
    }

    /// One attempt: `true` when the receiver answered 2xx within the attempt timeout.
    private func post(_ body: JobStatusResponse, to url: String, http: HTTPClient) async -> Bool {
        do {
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/json")
            guard let bytes = StatusBody.encode(body) else { return false }
            let request = try HTTPClient.Request(url: url, method: .POST, headers: headers, body: .byteBuffer(bytes))
            let task = http.execute(
                request: request, delegate: ResponseAccumulator(request: request, maxBodySize: 1 << 16),
                deadline: .now() + .nanoseconds(policy.attemptTimeout.nanoseconds))
            let response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            return (200..<300).contains(response.status.code)
        } catch {
            return false
        }
    }
}
