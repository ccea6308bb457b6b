import NIOCore

/// Closes a connection whose request is not answered within `requestTimeout` of its first byte, or that sits
/// idle between requests for longer than `idleTimeout`.
///
/// Sits before the HTTP parser and looks only at bytes: a request starts with the first bytes read while idle
/// and ends when the answer's first bytes are written. Counting from the first byte (not from the last one)
/// also cuts off a sender that trickles a byte every few seconds. One timer per connection, moved lazily: when
/// it fires early it is re-armed for the current deadline, so a request costs no timer operations.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let requestTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    /// True from a request's first byte until its answer starts.
    private var readingRequest = false
    private var deadline = NIODeadline.distantFuture
    private var timer: Scheduled<Void>?

    init(requestTimeout: Duration, idleTimeout: Duration) {
        self.requestTimeout = TimeAmount(requestTimeout)
        self.idleTimeout = TimeAmount(idleTimeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !readingRequest {
            readingRequest = true
            deadline = .now() + requestTimeout
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if readingRequest {
            readingRequest = false
        }
        deadline = .now() + idleTimeout
        context.write(data, promise: promise)
    }

    /// A fresh connection is expected to send its request at once (the ALB opens connections to send on them),
    /// so the wait for its first bytes is a request's, not an idle keep-alive's.
    private func start(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        readingRequest = true
        deadline = .now() + requestTimeout
        arm(context)
    }

    private func arm(_ context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.fired(context)
        }
    }

    private func fired(_ context: ChannelHandlerContext) {
        timer = nil
        guard context.channel.isActive else { return }
        if NIODeadline.now() >= deadline {
            context.close(promise: nil)
        } else {
            arm(context)
        }
    }
}
