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

    public init(
        id: String, receiptHandle: String, body: String, groupId: String?, receiveCount: Int, sentAt: Date?,
        firstReceivedAt: Date?, attributes: [String: String], deduplicationId: String? = nil
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
    }

    /// The attribute that carries why a message was dead-lettered.
    public static let failureReasonAttribute = "failure_reason"

    /// Why the message was dead-lettered, when it was.
    public var failureReason: String? { attributes[Self.failureReasonAttribute] }
}
