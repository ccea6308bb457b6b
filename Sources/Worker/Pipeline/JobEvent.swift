import Benchling
import JSONCore
import MessageQueue

/// A queue message decoded down to the Benchling event it carries, with the ids the pipeline routes on.
public struct JobEvent: Sendable {
    /// The message kinds the worker acts on: the rest (lifecycle and unknown types, which the receiver does not
    /// enqueue either) are refused when the event is decoded, so the pipeline never sees them.
    public enum Kind: Sendable, Equatable {
        /// `v2.entry.*`: the entry changed.
        case entry(entryId: String)
        /// `v2.canvas.initialized`: no canvas exists yet for the entry.
        case canvasInitialized(entryId: String, featureId: String?)
        /// A canvas was created or a button on it pressed: the canvas is known, its entry perhaps not.
        case canvas(canvasId: String)
    }

    public let queued: QueuedWebhook
    public let envelope: WebhookEnvelope
    public let kind: Kind

    public var message: WebhookMessage { envelope.message }
    public var webhookId: String { queued.webhookId }
    /// `message.type` (the envelope's, which the receiver also copied into the queue message).
    public var eventType: String { envelope.message.type }
    /// The entry the webhook names (or a pressed button's id carries); nil for canvas-created events, whose entry
    /// is found by reading the canvas.
    public var entryId: String? { envelope.message.entryId ?? button?.entryId }
    public var canvasId: String? { envelope.message.canvasId }
    /// When the event happened: `message.createdAt`; canvas signals carry none, so then the receiver's clock.
    public var eventTime: String? { envelope.message.createdAt ?? queued.receivedAt }
    /// The pressed button of a `v2.canvas.userInteracted` event; nil for other events and for ids this worker
    /// cannot parse.
    public var button: CanvasButton? { envelope.message.buttonId.flatMap(CanvasButton.init(parsing:)) }
    /// The button id of a press that only asks for a view: every press but Update Package, including ids this
    /// worker cannot parse (they re-render the main view, which re-enables the canvas).
    public var viewButtonId: String? {
        guard let buttonId = envelope.message.buttonId, button?.packages != true else { return nil }
        return buttonId
    }

    public init(queued: QueuedWebhook) throws {
        self.queued = queued
        do {
            envelope = try WebhookEnvelope.parse(Array(queued.body.utf8))
        } catch {
            throw PipelineFailure.invalidWebhook(error.description)
        }
        switch envelope.message.kind {
        case .entry(let entryId): kind = .entry(entryId: entryId)
        case .canvasInitialized(let resourceId, let featureId, _):
            kind = .canvasInitialized(entryId: resourceId, featureId: featureId)
        case .canvasCreated(let canvasId, _, _), .canvasInteraction(_, let canvasId, _, _):
            kind = .canvas(canvasId: canvasId)
        case .lifecycle, .unknown:
            throw PipelineFailure.invalidWebhook("event type \(envelope.message.type) is not worker work")
        }
    }
}
