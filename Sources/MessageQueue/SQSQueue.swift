import AWSCore
import AWSServices
import Foundation
import JSONCore

/// The production queue: an SQS (FIFO) queue addressed by its URL. Every call goes through the configured SQS
/// client's endpoint, never to the URL's host, so a URL naming real AWS still works against an emulator.
///
/// The dead-letter queue, `maxReceiveCount` and the default visibility timeout are read from the queue's own
/// attributes (its `RedrivePolicy`), so the ops template stays the single place they are set.
public final class SQSQueue: MessageQueue {
    public let sqs: SQS
    public let queueURL: String
    /// Longest long poll SQS accepts.
    static let maxWaitSeconds = 20
    /// Longest visibility timeout SQS accepts (12 hours).
    static let maxVisibilitySeconds = 43_200
    /// SQS limits a message attribute value with the message to 256 KiB; keep a reason readable and small.
    static let maxReasonLength = 4_000

    public init(sqs: SQS, queueURL: String) {
        self.sqs = sqs
        self.queueURL = queueURL
    }

    public var address: String { queueURL }

    public func send(_ message: OutgoingMessage) async throws {
        let fifo = isFIFO
        _ = try await mapErrors("send") {
            try await sqs.sendMessage(
                queueURL: queueURL, body: message.body, groupId: fifo ? message.groupId : nil,
                deduplicationId: fifo ? message.deduplicationId : nil, attributes: message.attributes)
        }
    }

    public func receive(
        maxMessages: Int, waitTime: Duration, visibilityTimeout: Duration?
    ) async throws -> [ReceivedMessage] {
        let wait = min(max(Int(waitTime.seconds), 0), Self.maxWaitSeconds)
        let visibility = visibilityTimeout.map { min(max($0.wholeSecondsRoundedUp, 0), Self.maxVisibilitySeconds) }
        let messages = try await mapErrors("receive") {
            try await sqs.receiveMessages(
                queueURL: queueURL, maxNumber: min(max(maxMessages, 1), 10), waitTimeSeconds: wait,
                visibilityTimeout: visibility)
        }
        return messages.map { message in
            ReceivedMessage(
                id: message.messageId, receiptHandle: message.receiptHandle, body: message.body,
                groupId: message.messageGroupId, receiveCount: message.receiveCount, sentAt: message.sentTimestamp,
                firstReceivedAt: message.firstReceiveTimestamp, attributes: message.messageAttributes,
                deduplicationId: message.deduplicationId)
        }
    }

    public func delete(_ message: ReceivedMessage) async throws {
        try await mapErrors("delete") {
            try await sqs.deleteMessage(queueURL: queueURL, receiptHandle: message.receiptHandle)
        }
    }

    public func changeVisibility(_ message: ReceivedMessage, timeout: Duration) async throws {
        let seconds = min(max(timeout.wholeSecondsRoundedUp, 0), Self.maxVisibilitySeconds)
        try await mapErrors("change visibility") {
            try await sqs.changeMessageVisibility(
                queueURL: queueURL, receiptHandle: message.receiptHandle, visibilityTimeout: seconds)
        }
    }

    public func deadLetter(_ message: ReceivedMessage, reason: String) async throws {
        guard let deadLetter = try await deadLetterSQSQueue() else {
            throw QueueError(.invalidRequest, "\(queueURL) has no RedrivePolicy, so no dead-letter queue")
        }
        var attributes = message.attributes
        attributes[ReceivedMessage.failureReasonAttribute] = String(reason.prefix(Self.maxReasonLength))
        // The message id names this message uniquely, so a retried dead-lettering is deduplicated by the DLQ.
        try await deadLetter.send(
            OutgoingMessage(
                body: message.body, groupId: message.groupId ?? "dead-letter", deduplicationId: message.id,
                attributes: attributes))
        try await delete(message)
    }

    public func deadLetterQueue() async throws -> (any MessageQueue)? {
        try await deadLetterSQSQueue()
    }

    public func stats() async throws -> QueueStats {
        let attributes = try await queueAttributes([
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ])
        return QueueStats(
            visible: attributes["ApproximateNumberOfMessages"].flatMap(Int.init) ?? 0,
            inFlight: attributes["ApproximateNumberOfMessagesNotVisible"].flatMap(Int.init) ?? 0,
            delayed: attributes["ApproximateNumberOfMessagesDelayed"].flatMap(Int.init) ?? 0)
    }

    public var maxReceiveCount: Int? {
        get async throws { try await redrivePolicy()?.maxReceiveCount }
    }

    public var visibilityTimeout: Duration {
        get async throws {
            let attributes = try await queueAttributes(["VisibilityTimeout"])
            guard let seconds = attributes["VisibilityTimeout"].flatMap(Int.init) else {
                throw QueueError(.unexpectedResponse, "\(queueURL): no VisibilityTimeout attribute")
            }
            return .seconds(seconds)
        }
    }

    /// FIFO queues (names ending in `.fifo`) need a group and deduplication id; standard queues refuse them.
    var isFIFO: Bool { queueURL.hasSuffix(".fifo") }

    /// The DLQ named by the RedrivePolicy. SQS requires it in the same account and region, so its URL is this
    /// queue's URL with the account and name swapped: no GetQueueUrl round trip (moto would also authorise that
    /// call against `*` instead of the queue ARN, which a task-role policy scoped to queue ARNs refuses).
    /// Falls back to GetQueueUrl when this queue's URL does not have the `…/ACCOUNT/NAME` form.
    func deadLetterSQSQueue() async throws -> SQSQueue? {
        guard let policy = try await redrivePolicy() else { return nil }
        if let url = Self.siblingURL(of: queueURL, account: policy.accountId, name: policy.queueName) {
            return SQSQueue(sqs: sqs, queueURL: url)
        }
        let url = try await mapErrors("find dead-letter queue") {
            try await sqs.getQueueUrl(name: policy.queueName, ownerAccountId: policy.accountId)
        }
        return SQSQueue(sqs: sqs, queueURL: url)
    }

    /// `scheme://host/ACCOUNT/NAME` → `scheme://host/account/name`; nil for any other shape.
    static func siblingURL(of queueURL: String, account: String?, name: String) -> String? {
        guard let account, !name.isEmpty, let components = URLComponents(string: queueURL),
            components.query == nil
        else { return nil }
        let segments = components.path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 3, segments[0].isEmpty, !segments[1].isEmpty, !segments[2].isEmpty else { return nil }
        var sibling = components
        sibling.path = "/\(account)/\(name)"
        return sibling.string
    }

    func redrivePolicy() async throws -> RedrivePolicy? {
        let attributes = try await queueAttributes(["RedrivePolicy"])
        guard let text = attributes["RedrivePolicy"], !text.isEmpty else { return nil }
        guard let policy = RedrivePolicy(json: text) else {
            throw QueueError(.unexpectedResponse, "\(queueURL): unreadable RedrivePolicy \(text.prefix(300))")
        }
        return policy
    }

    func queueAttributes(_ names: [String]) async throws -> [String: String] {
        try await mapErrors("read queue attributes") {
            try await sqs.getQueueAttributes(queueURL: queueURL, names: names)
        }
    }

    /// Runs an SQS call, turning AWS and transport errors into `QueueError` with the transient/permanent split.
    func mapErrors<T: Sendable>(_ operation: String, _ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as AWSError {
            throw QueueError(Self.kind(of: error), "\(operation) \(queueURL): \(error)")
        } catch let error as AWSClientError {
            let kind: QueueError.Kind =
                switch error.kind {
                case .transport, .timeout: .unavailable
                case .invalidResponse: .unexpectedResponse
                case .invalidRequest: .invalidRequest
                }
            throw QueueError(kind, "\(operation) \(queueURL): \(error)")
        }
    }

    static func kind(of error: AWSError) -> QueueError.Kind {
        if error.isAccessDenied || error.isAuthenticationFailure { return .accessDenied }
        if RetryPolicy.throttlingCodes.contains(error.code) { return .throttled }
        if error.code.contains("NonExistentQueue") || error.code.contains("QueueDoesNotExist") { return .queueNotFound }
        if ["ReceiptHandleIsInvalid", "MessageNotInflight", "InvalidReceiptHandle"].contains(error.code) {
            return .messageNotInFlight
        }
        if error.statusCode >= 500 { return .unavailable }
        return .invalidRequest
    }
}

/// The parts of an SQS `RedrivePolicy` attribute we use.
struct RedrivePolicy: Sendable, Equatable {
    var deadLetterTargetArn: String
    var maxReceiveCount: Int

    /// `arn:aws:sqs:region:account:name` → name.
    var queueName: String {
        deadLetterTargetArn.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    }

    /// `arn:aws:sqs:region:account:name` → account (nil when the ARN is malformed).
    var accountId: String? {
        let parts = deadLetterTargetArn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && !parts[4].isEmpty ? String(parts[4]) : nil
    }

    /// Parses the attribute's JSON; `maxReceiveCount` may be a number or a string (both occur).
    init?(json text: String) {
        guard let value = try? JSONValue.parse(text), let arn = value["deadLetterTargetArn"]?.stringValue,
            arn.hasPrefix("arn:")
        else { return nil }
        let count = value["maxReceiveCount"]
        guard let maxReceiveCount = count?.intValue ?? count?.stringValue.flatMap(Int.init) else { return nil }
        self.deadLetterTargetArn = arn
        self.maxReceiveCount = maxReceiveCount
    }
}
