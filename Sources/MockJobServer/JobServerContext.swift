import Hummingbird
import NIOCore

/// The request context of the mock job server: Hummingbird's core context plus the connection's
/// channel, which fault injection needs to drop a connection without answering.
public struct JobServerContext: RequestContext {
    /// Hummingbird's per-request storage (logger, parameters, …).
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on (a testing channel under `HummingbirdTesting`'s
    /// router framework).
    public let channel: any Channel

    /// Creates the context of one request.
    /// - Parameter source: The application's source, carrying the channel and logger.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
