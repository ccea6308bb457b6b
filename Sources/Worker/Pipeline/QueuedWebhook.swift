import Foundation

/// One queue message as the receiver enqueues it (see the queue message format note): the delivery's headers,
/// when it arrived, and the raw request body exactly as received.
///
/// The worker decodes this itself rather than importing the receiver, so the two processes share only the JSON
/// contract. Unknown keys are ignored so the receiver can add fields without breaking running workers.
public struct QueuedWebhook: Codable, Sendable, Equatable {
    public var version: Int
    /// Benchling's `webhook-id` header: the job key (a redelivery carries the same id).
    public var webhookId: String
    /// `webhook-timestamp` header, verbatim (Unix seconds as text); nil when verification was off and absent.
    public var webhookTimestamp: String?
    /// Receiver clock, ISO 8601.
    public var receivedAt: String?
    /// `message.type`.
    public var eventType: String
    /// The FIFO group: entry id when the payload names one, else canvas id.
    public var groupId: String?
    /// The raw webhook body.
    public var body: String

    public init(
        version: Int = 1, webhookId: String, webhookTimestamp: String? = nil, receivedAt: String? = nil,
        eventType: String, groupId: String?, body: String
    ) {
        self.version = version
        self.webhookId = webhookId
        self.webhookTimestamp = webhookTimestamp
        self.receivedAt = receivedAt
        self.eventType = eventType
        self.groupId = groupId
        self.body = body
    }

    /// Decodes a queue message body; the error says what is wrong (it ends up in the dead-letter reason).
    public static func decode(_ text: String) throws -> QueuedWebhook {
        do {
            return try JSONDecoder().decode(QueuedWebhook.self, from: Data(text.utf8))
        } catch {
            throw PipelineFailure.undecodableMessage(String(describing: error))
        }
    }

    /// Compact JSON of the same shape (tests and replay enqueue with it).
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
