import Foundation
import JSONCore

/// The body of one queue message: a verified delivery handed from the receiver to the worker.
///
/// The raw request body travels as a string, byte for byte as Benchling sent it, so nothing is re-serialised on
/// the way and the worker sees exactly what was verified. The worker does not depend on this module: the JSON
/// form (documented in `.dev/queue-message-format.md`) is the contract, `encodedBody()` writes it.
public struct QueuedWebhook: Codable, Sendable, Equatable {
    /// Format version of this wrapper; bump when a field changes meaning.
    public static let currentVersion = 1

    public var version: Int
    /// The `webhook-id` header (or a receiver-made `rcv_…` id when verification is off and it was absent).
    public var webhookId: String
    /// The `webhook-timestamp` header as sent (Unix seconds, text); nil when absent.
    public var webhookTimestamp: String?
    /// When the receiver accepted the delivery, ISO 8601 UTC with milliseconds.
    public var receivedAt: String
    /// `message.type`.
    public var eventType: String
    /// The FIFO group: entry id when the message names one, else canvas id.
    public var groupId: String
    /// The raw request body, decoded as UTF-8 (it parsed as JSON, so it is valid UTF-8).
    public var body: String

    public init(
        webhookId: String, webhookTimestamp: String?, receivedAt: Date, eventType: String, groupId: String,
        body: String
    ) {
        self.version = Self.currentVersion
        self.webhookId = webhookId
        self.webhookTimestamp = webhookTimestamp
        self.receivedAt = Self.timestamp(receivedAt)
        self.eventType = eventType
        self.groupId = groupId
        self.body = body
    }

    /// The message body: compact JSON with the keys in documented order.
    public func encodedBody() -> String {
        let value: JSONValue = [
            "version": .int(version),
            "webhookId": .string(webhookId),
            "webhookTimestamp": webhookTimestamp.map(JSONValue.string) ?? .null,
            "receivedAt": .string(receivedAt),
            "eventType": .string(eventType),
            "groupId": .string(groupId),
            "body": .string(body),
        ]
        return value.compactString()
    }

    /// Decodes a message body written by `encodedBody()` (or any JSON with these keys).
    public static func decode(_ text: String) throws -> QueuedWebhook {
        try JSONDecoder().decode(QueuedWebhook.self, from: Data(text.utf8))
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }
}
