import Foundation
import JSONCore

/// The `message` of a webhook delivery, classified by `message.type`.
public struct WebhookMessage: Sendable, Equatable {
    /// What the product does with a message, with the ids it needs.
    public enum Kind: Sendable, Equatable {
        /// `v2.entry.created`, `v2.entry.updated.fields`, `v2.entry.updated.reviewRecord`.
        case entry(entryId: String)
        /// `v2.canvas.initialized`.
        case canvasInitialized(resourceId: String, featureId: String?, userId: String?)
        /// `v2.canvas.created`, `v2-beta.canvas.created`: no entry id; GET the canvas to find it.
        case canvasCreated(canvasId: String, featureId: String?, userId: String?)
        /// `v2.canvas.userInteracted`: no `resourceId`.
        case canvasInteraction(buttonId: String, canvasId: String, featureId: String?, userId: String?)
        /// App lifecycle events the receiver acknowledges itself.
        case lifecycle(type: String)
        /// Anything else: acknowledge and ignore.
        case unknown(type: String)
    }

    public static let entryTypes: Set<String> = [
        "v2.entry.created", "v2.entry.updated.fields", "v2.entry.updated.reviewRecord",
    ]
    public static let canvasCreatedTypes: Set<String> = ["v2.canvas.created", "v2-beta.canvas.created"]
    public static let lifecycleTypes: Set<String> = [
        "v2.app.installed", "v2.app.activateRequested", "v2.app.deactivated", "v2-beta.app.configuration.updated",
    ]

    public let type: String
    public let kind: Kind
    /// The event id (`evt_…`) when present.
    public let eventId: String?
    /// `message.createdAt` as sent (ISO 8601). Benchling has no `message.timestamp`.
    public let createdAt: String?
    /// The message object unchanged, for metadata (`webhook_data`).
    public let raw: JSONValue

    public init(json: JSONValue) throws(WebhookPayloadError) {
        guard let type = json["type"]?.stringValue, !type.isEmpty else { throw .missing("message.type") }
        func required(_ key: String) throws(WebhookPayloadError) -> String {
            guard let value = json[key]?.stringValue, !value.isEmpty else { throw .missing("message.\(key)") }
            return value
        }
        let featureId = json["featureId"]?.stringValue
        let userId = json["userId"]?.stringValue
        if Self.entryTypes.contains(type) {
            kind = .entry(entryId: try required("resourceId"))
        } else if type == "v2.canvas.initialized" {
            kind = .canvasInitialized(resourceId: try required("resourceId"), featureId: featureId, userId: userId)
        } else if Self.canvasCreatedTypes.contains(type) {
            kind = .canvasCreated(canvasId: try required("canvasId"), featureId: featureId, userId: userId)
        } else if type == "v2.canvas.userInteracted" {
            kind = .canvasInteraction(
                buttonId: try required("buttonId"), canvasId: try required("canvasId"),
                featureId: featureId, userId: userId)
        } else if Self.lifecycleTypes.contains(type) {
            kind = .lifecycle(type: type)
        } else {
            kind = .unknown(type: type)
        }
        self.type = type
        self.eventId = json["id"]?.stringValue
        self.createdAt = json["createdAt"]?.stringValue
        self.raw = json
    }

    /// The entry the message names: `resourceId` for entry and canvas-initialized events, else nil.
    public var entryId: String? {
        switch kind {
        case .entry(let id): return id
        case .canvasInitialized(let resourceId, _, _): return resourceId
        default: return raw["resourceId"]?.stringValue
        }
    }

    public var canvasId: String? {
        switch kind {
        case .canvasCreated(let id, _, _), .canvasInteraction(_, let id, _, _): return id
        default: return raw["canvasId"]?.stringValue
        }
    }

    public var buttonId: String? {
        if case .canvasInteraction(let buttonId, _, _, _) = kind { return buttonId }
        return nil
    }

    /// FIFO `MessageGroupId`: the entry id when the payload names one, else the canvas id, so that all work on
    /// one entry (or one canvas whose entry is not yet known) is serialised. Nil for lifecycle/unknown messages.
    public var messageGroupId: String? { entryId ?? canvasId }

    /// `createdAt` as a date (accepts any number of fractional digits and `Z` or an offset).
    public var createdAtDate: Date? { createdAt.flatMap(ISO8601.parse) }

    /// True for kinds the receiver enqueues for the worker.
    public var needsWorker: Bool {
        switch kind {
        case .entry, .canvasInitialized, .canvasCreated, .canvasInteraction: return true
        case .lifecycle, .unknown: return false
        }
    }
}
