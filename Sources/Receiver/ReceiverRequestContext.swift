import Hummingbird
import NIOCore

/// The request context of the receiver: Hummingbird's core context plus the socket peer, which the allowlist
/// needs when no load balancer sits in front.
public struct ReceiverRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer (nil in router-level tests that have no socket).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
