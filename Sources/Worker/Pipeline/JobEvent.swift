import Benchling
import JSONCore
import MessageQueue

/// A queue message decoded down to the Benchling event it carries, with the ids the pipeline routes on.
public struct JobEvent: Sendable {
    public let queued: QueuedWebhook
    public let envelope: WebhookEnvelope

    public var message: WebhookMessage { envelope.message }
    public var webhookId: String { queued.webhookId }
    /// `message.type` (the envelope's, which the receiver also copied into the queue message).
    public var eventType: String { envelope.message.type }
    /// The entry the webhook names (or a pressed button's id carries); nil for canvas-created events, whose entry
    /// is found by reading the canvas.
    public var entryId: String? { envelope.message.entryId ?? buttonAction?.entryId }
    public var canvasId: String? { envelope.message.canvasId }
    /// When the event happened: `message.createdAt`; canvas signals carry none, so then the receiver's clock.
    public var eventTime: String? { envelope.message.createdAt ?? queued.receivedAt }
    /// The button action of a `v2.canvas.userInteracted` event.
    public var buttonAction: ButtonAction? { envelope.message.buttonId.map(ButtonAction.init(buttonId:)) }

    public init(queued: QueuedWebhook) throws {
        self.queued = queued
        do {
            envelope = try WebhookEnvelope.parse(Array(queued.body.utf8))
        } catch {
            throw PipelineFailure.invalidWebhook(error.description)
        }
        guard envelope.message.needsWorker else {
            throw PipelineFailure.invalidWebhook("event type \(envelope.message.type) is not worker work")
        }
    }
}
