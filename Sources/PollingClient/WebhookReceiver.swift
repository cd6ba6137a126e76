import Foundation
import Hummingbird
import Logging
import NIOCore
import PollingCore
import ServiceLifecycle

/// A webhook receiver on loopback: a Hummingbird server on `127.0.0.1` and an ephemeral port
/// whose `POST /callbacks` takes the final statuses the job server sends (the `GET /jobs/{id}`
/// JSON body) into a `CallbackInbox`, answering `204 No Content` (`400` for an undecodable
/// body). The experiment runner starts one per live run with a `webhook` arm.
public struct WebhookReceiver: Sendable {
    /// The URL to register as `callback_url`, e.g. `http://127.0.0.1:54321/callbacks`.
    public let url: String
    /// Where received statuses wait for their clients.
    public let inbox: CallbackInbox

    /// A receiver at `url` delivering into `inbox` (for a receiver run elsewhere; `withReceiver`
    /// starts one of its own).
    public init(url: String, inbox: CallbackInbox) {
        self.url = url
        self.inbox = inbox
    }

    /// Runs `body` with a receiver listening, and stops it (gracefully) when `body` returns or
    /// throws; the receiver never outlives the call.
    /// - Parameters:
    ///   - logger: the logger of the receiver's server.
    ///   - body: what to do while it runs.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws; an error of the server if it cannot bind.
    public static func withReceiver<T: Sendable>(logger: Logger, _ body: (WebhookReceiver) async throws -> T) async throws -> T {
        let inbox = CallbackInbox()
        let router = Router()
        router.post("callbacks") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 16)
            guard let status = try? JSONDecoder().decode(JobStatusResponse.self, from: Data(bytes.readableBytesView)) else {
                return Response(status: .badRequest)
            }
            inbox.deliver(status)
            return Response(status: .noContent)
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "PollLab-WebhookReceiver",
                                                    reuseAddress: false),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portContinuation.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await tasks.waitForAll()
                throw PollingClientError.transport("the webhook receiver stopped before it started listening")
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(WebhookReceiver(url: "http://127.0.0.1:\(port)/callbacks", inbox: inbox)))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            return try result.get()
        }
    }
}
