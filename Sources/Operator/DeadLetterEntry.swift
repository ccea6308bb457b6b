import Foundation
import JSONCore
import MessageQueue

/// One message in the dead-letter queue, described for an operator: which delivery it is, what entry, and why it
/// ended there.
public struct DeadLetterEntry: Sendable, Equatable {
    public let message: ReceivedMessage
    /// The queued webhook, when the body decodes (an undecodable body is itself a reason to be here).
    public let queued: QueuedWebhook?

    public init(_ message: ReceivedMessage) {
        self.message = message
        self.queued = try? QueuedWebhook.decode(message.body)
    }

    public var webhookId: String? { queued?.webhookId }
    /// The FIFO group: the entry id (or canvas id) the receiver grouped the delivery by.
    public var groupId: String? { message.groupId ?? queued?.groupId }
    public var eventType: String? { queued?.eventType }
    /// When the receiver accepted the delivery.
    public var firstSeen: String? { queued?.receivedAt }
    /// When the message entered the dead-letter queue.
    public var lastSeen: Date? { message.sentAt }
    /// The reason the worker recorded when it dead-lettered the message; nil when SQS moved it after
    /// maxReceiveCount deliveries (the job log then has the last error).
    public var failureReason: String? { message.failureReason }

    static let noReason = "(none recorded: moved by the queue's redrive policy; see `worker jobs show WEBHOOK_ID`)"

    public var json: JSONObject {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return [
            "message_id": .string(message.id),
            "webhook_id": optional(webhookId),
            "group_id": optional(groupId),
            "event_type": optional(eventType),
            "receive_count": .int(message.receiveCount),
            "first_seen": optional(firstSeen),
            "last_seen": optional(lastSeen.map(OperatorFormat.iso)),
            "failure_reason": optional(failureReason),
        ]
    }

    public static func jsonLines(_ entries: [DeadLetterEntry]) -> String {
        entries.map { $0.json.compactString() + "\n" }.joined()
    }

    public static func table(_ entries: [DeadLetterEntry]) -> String {
        guard !entries.isEmpty else { return "the dead-letter queue is empty\n" }
        let rows = entries.map { entry in
            [
                entry.webhookId ?? "(undecodable: \(entry.message.id))", entry.groupId ?? "-", entry.eventType ?? "-",
                String(entry.message.receiveCount), entry.firstSeen ?? "-",
                entry.lastSeen.map(OperatorFormat.iso) ?? "-",
                OperatorFormat.truncated(entry.failureReason ?? noReason, 80),
            ]
        }
        return OperatorFormat.table(
            header: ["WEBHOOK", "GROUP", "EVENT", "RECEIVES", "FIRST SEEN", "DEAD-LETTERED", "REASON"], rows: rows)
    }
}
