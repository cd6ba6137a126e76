import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import PollingClient
import PollingCore
import Synchronization
import Testing

/// Issue 10, item 22: a keep-alive connection the server closed while it sat in the pool makes
/// the next poll on it fail before any response byte. The client sends that `GET` once more on a
/// fresh connection, records the resend (`staleRetries`, `api_call.stale_retries`), and the
/// poll does not count as a failed try.
///
/// The server (raw SwiftNIO on an ephemeral loopback port) answers the first request of every
/// connection, keeping it open without `Connection: close`, and closes the connection, without
/// a byte of response, when a second request arrives on it: exactly what a client sees when the
/// server's idle timeout fires just as the request is sent, but every time, with no timing.
@Suite struct StaleConnectionTests {
    /// What the server did: status responses served and connections closed under a request.
    struct Served: Sendable {
        var answered = 0
        var closedUnderRequest = 0
    }

    /// `Served`, shared between the server's handlers and the test.
    final class Tally: Sendable {
        let served = Mutex(Served())
    }

    /// Answers one request per connection, closes on the second; the job completes on the
    /// `completeAt`-th answered status request.
    final class OneAnswerPerConnection: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let tally: Tally
        let completeAt: Int
        private var requests = 0

        init(tally: Tally, completeAt: Int) {
            self.tally = tally
            self.completeAt = completeAt
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            requests += 1
            if requests > 1 {
                tally.served.withLock { $0.closedUnderRequest += 1 }
                context.close(promise: nil)
                return
            }
            let number = tally.served.withLock { served -> Int in
                served.answered += 1
                return served.answered
            }
            let status = number >= completeAt ? #""status":"completed","run_time":0"# : #""status":"pending""#
            let body = ByteBuffer(string: #"{"id":"s1","# + status + "}")
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/json")
            headers.add(name: "content-length", value: "\(body.readableBytes)")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    @Test func aPollOnAStaleConnectionIsResentOnceAndNotCountedAsATry() async throws {
        let tally = Tally()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(OneAnswerPerConnection(tally: tally, completeAt: 4))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let client = try JobClient(baseURL: "http://127.0.0.1:\(port)", configuration: .init(maximumConnections: 1))
        let poller = Poller(transport: client, clock: ContinuousClock(), configuration: PollLoopConfiguration(deadline: .seconds(10)))
        var strategy = ConstantStrategy(interval: 0.005)
        var rng = SeededGenerator(seed: 1)
        let result: Result<PollTrace, any Error>
        do {
            result = .success(try await poller.poll(id: "s1", start: ContinuousClock.now, strategy: &strategy, using: &rng))
        } catch { result = .failure(error) }
        try await client.shutdown()
        try await server.close()
        let trace = try result.get()
        let seen = tally.served.withLock { $0 }
        // Poll 1 opens a connection and is answered; polls 2, 3, 4 each find the previous
        // connection closed by the server, are resent once on a fresh one and answered there.
        #expect(seen.answered == 4 && seen.closedUnderRequest == 3)
        #expect(trace.outcome == .completed)
        #expect(trace.calls.count == 4)  // tries: the polls the server answered, not 7
        #expect(trace.calls.map(\.staleRetries) == [0, 1, 1, 1])
        #expect(trace.calls.allSatisfy { $0.errorCode == nil && $0.httpStatus == 200 })
    }

    /// The errors that mean "the connection closed under the request", and some that do not.
    @Test func whichErrorsMeanAStaleConnection() {
        #expect(JobClient.isStaleConnection(HTTPClientError.remoteConnectionClosed))
        #expect(JobClient.isStaleConnection(ChannelError.ioOnClosedChannel))
        #expect(JobClient.isStaleConnection(ChannelError.eof))
        #expect(JobClient.isStaleConnection(IOError(errnoCode: ECONNRESET, reason: "read")))
        #expect(!JobClient.isStaleConnection(HTTPClientError.deadlineExceeded))
        #expect(!JobClient.isStaleConnection(HTTPClientError.connectTimeout))
        #expect(!JobClient.isStaleConnection(IOError(errnoCode: ECONNREFUSED, reason: "connect")))
    }
}
