import Foundation
import JSONCore

/// The body of one queue message: a webhook delivery the receiver accepted, handed to the worker.
///
/// The one Swift form of the receiver → worker contract (`.dev/queue-message-format.md`): the receiver builds it
/// and writes `encodedBody()`, the worker (and its operator commands) `decode` it. The raw request body travels
/// as a string, byte for byte as Benchling sent it, so nothing is re-serialised on the way and the worker sees
/// exactly what was verified.
///
/// Decoding is tolerant: unknown keys are ignored (the receiver may add fields without breaking running
/// workers), and `webhookTimestamp`, `receivedAt` and `groupId` may be absent or null.
public struct QueuedWebhook: Codable, Sendable, Equatable {
    /// Format version of this wrapper; bump when a field changes meaning.
    public static let currentVersion = 1

    public var version: Int
    /// The `webhook-id` header (the job key: Benchling's redelivery carries the same id), or a receiver-made
    /// `rcv_…` id when verification is off and the header was absent, or an operator's `manual_…` id.
    public var webhookId: String
    /// The `webhook-timestamp` header as sent (Unix seconds, text); nil when absent.
    public var webhookTimestamp: String?
    /// When the receiver accepted the delivery, ISO 8601 UTC with milliseconds (`timestamp(_:)`).
    public var receivedAt: String?
    /// `message.type` (or the operator's `manual.replay`).
    public var eventType: String
    /// The FIFO group: entry id when the message names one, else canvas id.
    public var groupId: String?
    /// The raw request body, decoded as UTF-8 (it parsed as JSON, so it is valid UTF-8).
    public var body: String

    public init(
        version: Int = QueuedWebhook.currentVersion, webhookId: String, webhookTimestamp: String? = nil,
        receivedAt: String? = nil, eventType: String, groupId: String?, body: String
    ) {
        self.version = version
        self.webhookId = webhookId
        self.webhookTimestamp = webhookTimestamp
        self.receivedAt = receivedAt
        self.eventType = eventType
        self.groupId = groupId
        self.body = body
    }

    /// The receiver's form: `receivedAt` from its clock.
    public init(
        webhookId: String, webhookTimestamp: String?, receivedAt: Date, eventType: String, groupId: String,
        body: String
    ) {
        self.init(
            webhookId: webhookId, webhookTimestamp: webhookTimestamp, receivedAt: Self.timestamp(receivedAt),
            eventType: eventType, groupId: groupId, body: body)
    }

    /// The queue message the receiver sends for this webhook: in its entry's (or canvas's) group, so one entry's
    /// events never race, and deduplicated by webhook id, so Benchling's retry of a delivery is dropped by SQS.
    public func outgoingMessage(groupId: String) -> OutgoingMessage {
        OutgoingMessage(body: encodedBody(), groupId: groupId, deduplicationId: webhookId)
    }

    /// The message body: compact JSON (UTF-8, no escaping beyond what JSON needs) with the keys in the
    /// documented order; absent optionals are written as `null`.
    public func encodedBody() -> String {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        let value: JSONValue = [
            "version": .int(version),
            "webhookId": .string(webhookId),
            "webhookTimestamp": optional(webhookTimestamp),
            "receivedAt": optional(receivedAt),
            "eventType": .string(eventType),
            "groupId": optional(groupId),
            "body": .string(body),
        ]
        return value.compactString()
    }

    /// Decodes a message body written by `encodedBody()` (or any JSON object with these keys).
    public static func decode(_ text: String) throws(DecodingFailure) -> QueuedWebhook {
        do {
            return try JSONDecoder().decode(QueuedWebhook.self, from: Data(text.utf8))
        } catch {
            throw DecodingFailure(reason: Self.describe(error))
        }
    }

    /// ISO 8601 UTC with milliseconds, as `receivedAt` carries it (`2024-05-01T12:34:56.789Z`).
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Self.timestampStyle)
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(
        includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)

    /// A message body that is not a queued webhook; `reason` says what is wrong (it ends up in dead-letter reasons).
    public struct DecodingFailure: Error, Sendable, Equatable, CustomStringConvertible {
        public let reason: String
        public init(reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    /// A one-line reason from Foundation's decoding error (its default description is a multi-line dump).
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key \(key.stringValue)\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.debugDescription + path(context)
        @unknown default: return String(describing: error)
        }
    }
}
