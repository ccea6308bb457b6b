import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// What the receiver holds for callers that send slowly, stall or open many connections.
///
/// Found by attacking a release build: 400 connections sending 1 MiB bodies and stalling took the process to
/// 575 MB (the task has 512 MiB), and a connection that never finished its headers stayed open for minutes.
/// Each bound below answers one of those; none of them touches a well-behaved delivery (a few KB, sent at once).
public struct ConnectionLimits: Sendable, Equatable {
    /// Body bytes being read or held at once, over all requests; a request that does not fit is answered 503
    /// at once (Benchling retries) rather than queued behind stalled ones.
    public var bodyBudgetBytes: Int
    /// Bodies above this size (declared, or any body without a Content-Length) share only half the budget, so
    /// large stalled uploads can never crowd out the small deliveries Benchling sends.
    public var smallBodyBytes: Int
    /// From a request's first byte until its answer starts (headers, body and handling together); a request
    /// that takes longer, such as one whose sender stalled, is cut off by closing the connection.
    public var requestTimeout: Duration
    /// How long a connection may sit between requests. Above the ALB's 60 s idle timeout, as AWS advises, so
    /// the ALB never sends on a connection the receiver is closing.
    public var idleTimeout: Duration
    /// Connections open at once; beyond it new ones wait in the listen backlog.
    public var maxConnections: Int
    /// Open connections that make a burst: once they fall back to a quarter of such a peak for `burstSettle`, the
    /// heap's free pages are returned to the operating system (`HeapRelease`).
    public var burstConnections: Int
    public var burstSettle: Duration

    public init(
        bodyBudgetBytes: Int = 48 << 20, smallBodyBytes: Int = 64 << 10, requestTimeout: Duration = .seconds(15),
        idleTimeout: Duration = .seconds(75), maxConnections: Int = 1024, burstConnections: Int = 64,
        burstSettle: Duration = .seconds(1)
    ) {
        self.bodyBudgetBytes = bodyBudgetBytes
        self.smallBodyBytes = smallBodyBytes
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.burstConnections = burstConnections
        self.burstSettle = burstSettle
    }

    /// HTTP/1.1 with the request deadline in front of the parser. Header sizes are capped well above what
    /// Benchling and the ALB send (a few KB) but far below the 80 KB default, as every connection may hold them.
    func serverBuilder() -> HTTPServerBuilder {
        let http1 = HTTP1Channel.Configuration(
            idleTimeout: nil,
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: 16 << 10, maxHeaderListSize: 32 << 10, maxHeaderFieldCount: 100))
        let limits = self
        return HTTPServerBuilder { responder in
            DeadlineHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: http1), limits: limits)
        }
    }
}

/// Hummingbird's HTTP/1.1 child channel with a `RequestDeadlineHandler` first in the pipeline, where it sees
/// raw bytes: it must notice a request whose headers never end, which the HTTP parser never reports.
struct DeadlineHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel
    let limits: ConnectionLimits

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let limits = limits
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                RequestDeadlineHandler(requestTimeout: limits.requestTimeout, idleTimeout: limits.idleTimeout))
        }.flatMap { base.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
