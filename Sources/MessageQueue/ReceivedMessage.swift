import Foundation

/// A message handed out by `receive`. It stays invisible to other consumers until its visibility timeout expires;
/// `receiptHandle` names this particular delivery for delete / changeVisibility / deadLetter.
public struct ReceivedMessage: Sendable, Equatable {
    public var id: String
    public var receiptHandle: String
    public var body: String
    public var groupId: String?
    /// How many times the message has been handed out, this delivery included (1 on first delivery).
    public var receiveCount: Int
    public var sentAt: Date?
    public var firstReceivedAt: Date?
    /// String message attributes; a dead-lettered message carries `failure_reason`.
    public var attributes: [String: String]
    /// The deduplication id it was sent with, when the queue reports it.
    public var deduplicationId: String?
    /// When this process received it: the visibility timeout runs from here, not from when a job starts (a
    /// message may wait behind its group, or for a loaded machine), so the worker's heartbeat counts from here.
    public var receivedAt: ContinuousClock.Instant

    public init(
        id: String, receiptHandle: String, body: String, groupId: String?, receiveCount: Int, sentAt: Date?,
        firstReceivedAt: Date?, attributes: [String: String], deduplicationId: String? = nil,
        receivedAt: ContinuousClock.Instant = .now
    ) {
        self.id = id
        self.receiptHandle = receiptHandle
        self.body = body
        self.groupId = groupId
        self.receiveCount = receiveCount
        self.sentAt = sentAt
        self.firstReceivedAt = firstReceivedAt
        self.attributes = attributes
        self.deduplicationId = deduplicationId
        self.receivedAt = receivedAt
    }

    /// The same delivery of the same message; when this process took it in does not count.
    public static func == (lhs: ReceivedMessage, rhs: ReceivedMessage) -> Bool {
        lhs.id == rhs.id && lhs.receiptHandle == rhs.receiptHandle && lhs.body == rhs.body
            && lhs.groupId == rhs.groupId && lhs.receiveCount == rhs.receiveCount && lhs.sentAt == rhs.sentAt
            && lhs.firstReceivedAt == rhs.firstReceivedAt && lhs.attributes == rhs.attributes
            && lhs.deduplicationId == rhs.deduplicationId
    }

    /// The attribute that carries why a message was dead-lettered.
    public static let failureReasonAttribute = "failure_reason"

    /// Why the message was dead-lettered, when it was.
    public var failureReason: String? { attributes[Self.failureReasonAttribute] }
}
