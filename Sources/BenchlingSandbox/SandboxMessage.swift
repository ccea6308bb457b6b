import Foundation
import JSONCore

/// Builders for the `message` part of a Benchling webhook delivery, shaped like webhooks-v0-stable.yaml.
///
/// Each builder fills the fields Benchling sends for that type (see benchling.md): entry events carry `resourceId`
/// and `createdAt`; `v2.canvas.userInteracted` carries no `resourceId`.
/// (Benchling's `WebhookMessage` is the product's parsed reading of the same JSON; this is the sandbox's writer.)
public struct SandboxMessage: Sendable, Hashable {
    /// The `message` object.
    public var json: JSONValue
    /// `events` for subscribed events, `app_signals` for canvas and lifecycle signals.
    public var channel: String

    public init(json: JSONValue, channel: String) {
        self.json = json
        self.channel = channel
    }

    /// `message.type`.
    public var type: String? { json["type"]?.stringValue }

    public static func entryCreated(
        entryId: String, eventId: String = newEventId(), createdAt: Date = Date(), schemaId: String? = "ts_sandbox"
    ) -> SandboxMessage {
        entryEvent("v2.entry.created", entryId: entryId, eventId: eventId, createdAt: createdAt, schemaId: schemaId)
    }

    public static func entryUpdatedFields(
        entryId: String, updates: [String] = ["fields.Status"], eventId: String = newEventId(),
        createdAt: Date = Date(), schemaId: String? = "ts_sandbox"
    ) -> SandboxMessage {
        var message = entryEvent(
            "v2.entry.updated.fields", entryId: entryId, eventId: eventId, createdAt: createdAt, schemaId: schemaId)
        message.json = message.json.setting("updates", .array(updates.map { .string($0) }))
        return message
    }

    public static func entryUpdatedReviewRecord(
        entryId: String, eventId: String = newEventId(), createdAt: Date = Date(), schemaId: String? = "ts_sandbox"
    ) -> SandboxMessage {
        entryEvent(
            "v2.entry.updated.reviewRecord", entryId: entryId, eventId: eventId, createdAt: createdAt,
            schemaId: schemaId)
    }

    /// `v2.canvas.created`: Benchling names the canvas, not the entry, so the app must GET the canvas.
    public static func canvasCreated(
        canvasId: String, featureId: String = "quilt_entry", userId: String = "ent_sandboxuser"
    ) -> SandboxMessage {
        signal([
            "type": "v2.canvas.created", "deprecated": false, "canvasId": .string(canvasId),
            "featureId": .string(featureId), "userId": .string(userId),
        ])
    }

    public static func canvasInitialized(
        resourceId: String, featureId: String = "quilt_entry", userId: String = "ent_sandboxuser"
    ) -> SandboxMessage {
        signal([
            "type": "v2.canvas.initialized", "deprecated": false, "resourceId": .string(resourceId),
            "featureId": .string(featureId), "userId": .string(userId),
        ])
    }

    /// A button press; there is no `resourceId` in this message.
    public static func canvasUserInteracted(
        canvasId: String, buttonId: String, featureId: String = "quilt_entry", userId: String = "ent_sandboxuser"
    ) -> SandboxMessage {
        signal([
            "type": "v2.canvas.userInteracted", "deprecated": false, "buttonId": .string(buttonId),
            "canvasId": .string(canvasId), "featureId": .string(featureId), "userId": .string(userId),
        ])
    }

    /// Lifecycle: `v2.app.installed`, `v2.app.activateRequested`, `v2.app.deactivated`, …
    public static func lifecycle(_ type: String = "v2.app.installed") -> SandboxMessage {
        signal(["type": .string(type), "deprecated": false])
    }

    /// Any message type with the given extra fields (e.g. an unknown type the receiver should ignore).
    public static func custom(type: String, fields: JSONObject = [:], channel: String = "events") -> SandboxMessage {
        var object: JSONObject = ["type": .string(type), "deprecated": false]
        for (key, value) in fields { object[key] = value }
        return SandboxMessage(json: .object(object), channel: channel)
    }

    /// An `evt_…` id like Benchling's.
    public static func newEventId() -> String { "evt_" + RandomID.make(length: 12) }

    private static func entryEvent(
        _ type: String, entryId: String, eventId: String, createdAt: Date, schemaId: String?
    ) -> SandboxMessage {
        var object: JSONObject = [
            "type": .string(type), "deprecated": false, "id": .string(eventId),
            "createdAt": .string(BenchlingTime.string(createdAt)), "resourceId": .string(entryId),
        ]
        object["schema"] = schemaId.map { ["id": .string($0), "name": "Sandbox Experiment"] } ?? .null
        return SandboxMessage(json: .object(object), channel: "events")
    }

    private static func signal(_ object: JSONObject) -> SandboxMessage {
        SandboxMessage(json: .object(object), channel: "app_signals")
    }
}

extension JSONValue {
    /// A copy with `key` set (objects only; other values are returned unchanged).
    func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object[key] = value
        return .object(object)
    }
}

/// Random identifiers in Benchling's alphabet.
enum RandomID {
    static func make(length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<length).map { _ in alphabet.randomElement()! })
    }
}

/// Timestamps as Benchling writes them: `2023-11-14T22:13:20.000000+00:00` (UTC, microseconds).
enum BenchlingTime {
    static func string(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let micros = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1_000_000)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T"
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad(micros, 6))+00:00"
    }
}
