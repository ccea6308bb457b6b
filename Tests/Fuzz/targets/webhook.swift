import Benchling

/// The webhook envelope and message, as the receiver parses a (signed or allowlisted) body: any bytes either
/// fail with a payload error or give a message whose routing fields can all be read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhook(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    guard let envelope = try? WebhookEnvelope.parse(bytes) else { return 0 }
    let message = envelope.message
    _ = (message.messageGroupId, message.buttonId, message.createdAtDate, message.needsWorker)
    if message.needsWorker, case .unknown = message.kind { fatalError("an unknown type was routed to the worker") }
    return 0
}
