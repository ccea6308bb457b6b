import AWSCore
import Foundation
import JSONCore

/// Amazon SQS over the AWS JSON 1.0 protocol.
///
/// Queue URLs are passed only as the `QueueUrl` parameter; every call goes to the client's endpoint (regional or
/// `AWS_ENDPOINT_URL`), never to the URL's host — a stack output may name the real AWS host while tests point at an
/// emulator.
public struct SQS: Sendable {
    public let client: AWSClient

    public init(client: AWSClient) { self.client = client }

    /// Sends one message; returns its `MessageId`. FIFO queues need `groupId` (and `deduplicationId` unless the
    /// queue deduplicates by content). `attributes` become String message attributes.
    public func sendMessage(
        queueURL: String, body: String, groupId: String? = nil, deduplicationId: String? = nil,
        attributes: [String: String] = [:], delaySeconds: Int? = nil
    ) async throws -> String {
        var request: JSONObject = ["QueueUrl": .string(queueURL), "MessageBody": .string(body)]
        if let groupId { request["MessageGroupId"] = .string(groupId) }
        if let deduplicationId { request["MessageDeduplicationId"] = .string(deduplicationId) }
        if let delaySeconds { request["DelaySeconds"] = .int(delaySeconds) }
        if !attributes.isEmpty {
            var messageAttributes = JSONObject()
            for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
                messageAttributes[name] = ["DataType": "String", "StringValue": .string(value)]
            }
            request["MessageAttributes"] = .object(messageAttributes)
        }
        let response = try await call("SendMessage", request)
        guard let messageId = response["MessageId"]?.stringValue else {
            throw AWSClientError(.invalidResponse, service: "sqs", operation: "SendMessage", detail: "no MessageId")
        }
        return messageId
    }

    /// Receives up to `maxNumber` (1...10) messages, long-polling up to `waitTimeSeconds` (0...20). All system
    /// attributes and all message attributes are requested.
    ///
    /// The attempt's deadline is stretched to cover the wait; the HTTP read timeout of the client
    /// (`AWSClient.Timeouts.read`, 30 s by default) must exceed `waitTimeSeconds`, which is checked here.
    public func receiveMessages(
        queueURL: String, maxNumber: Int = 1, waitTimeSeconds: Int = 0,
        visibilityTimeout: Int? = nil
    ) async throws -> [SQSMessage] {
        guard client.timeouts.read > .seconds(waitTimeSeconds + 1) else {
            throw AWSClientError(
                .invalidRequest, service: "sqs", operation: "ReceiveMessage",
                detail: "waitTimeSeconds \(waitTimeSeconds) needs a read timeout above it "
                    + "(client has \(client.timeouts.read))")
        }
        var request: JSONObject = [
            "QueueUrl": .string(queueURL),
            "MaxNumberOfMessages": .int(maxNumber),
            "WaitTimeSeconds": .int(waitTimeSeconds),
            "AttributeNames": ["All"],
            "MessageSystemAttributeNames": ["All"],
            "MessageAttributeNames": ["All"],
        ]
        if let visibilityTimeout { request["VisibilityTimeout"] = .int(visibilityTimeout) }
        let response = try await call(
            "ReceiveMessage", request,
            timeout: client.timeouts.request + .seconds(waitTimeSeconds))
        return try (response["Messages"]?.arrayValue ?? []).map(SQSMessage.init(json:))
    }

    /// Deletes (acknowledges) a received message.
    public func deleteMessage(queueURL: String, receiptHandle: String) async throws {
        _ = try await call("DeleteMessage", ["QueueUrl": .string(queueURL), "ReceiptHandle": .string(receiptHandle)])
    }

    /// Sets a received message's remaining invisibility to `visibilityTimeout` seconds from now (0 releases it).
    public func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) async throws {
        _ = try await call(
            "ChangeMessageVisibility",
            [
                "QueueUrl": .string(queueURL), "ReceiptHandle": .string(receiptHandle),
                "VisibilityTimeout": .int(visibilityTimeout),
            ])
    }

    /// Queue attributes by name (`["All"]` for every one), values as SQS returns them (strings).
    public func getQueueAttributes(queueURL: String, names: [String] = ["All"]) async throws -> [String: String] {
        let response = try await call(
            "GetQueueAttributes",
            [
                "QueueUrl": .string(queueURL), "AttributeNames": .array(names.map { .string($0) }),
            ])
        var attributes: [String: String] = [:]
        for (name, value) in response["Attributes"]?.objectValue ?? JSONObject() {
            attributes[name] = value.stringValue ?? value.compactString()
        }
        return attributes
    }

    /// The URL of a queue by name.
    public func getQueueUrl(name: String, ownerAccountId: String? = nil) async throws -> String {
        var request: JSONObject = ["QueueName": .string(name)]
        if let ownerAccountId { request["QueueOwnerAWSAccountId"] = .string(ownerAccountId) }
        let response = try await call("GetQueueUrl", request)
        guard let url = response["QueueUrl"]?.stringValue else {
            throw AWSClientError(.invalidResponse, service: "sqs", operation: "GetQueueUrl", detail: "no QueueUrl")
        }
        return url
    }

    private func call(_ operation: String, _ body: JSONObject, timeout: Duration? = nil) async throws -> JSONValue {
        try await client.jsonRequest(
            service: "sqs", target: "AmazonSQS.\(operation)", body: .object(body),
            timeout: timeout)
    }
}

/// A received SQS message.
public struct SQSMessage: Sendable, Equatable {
    public var messageId: String
    public var receiptHandle: String
    public var body: String
    /// System attributes (`ApproximateReceiveCount`, `MessageGroupId`, `SentTimestamp`,
    /// `ApproximateFirstReceiveTimestamp`, `MessageDeduplicationId`, `SequenceNumber`, ...).
    public var attributes: [String: String]
    /// String (and Number) message attributes set by the sender.
    public var messageAttributes: [String: String]

    public init(
        messageId: String, receiptHandle: String, body: String, attributes: [String: String] = [:],
        messageAttributes: [String: String] = [:]
    ) {
        self.messageId = messageId
        self.receiptHandle = receiptHandle
        self.body = body
        self.attributes = attributes
        self.messageAttributes = messageAttributes
    }

    /// How many times the message has been received (1 on first delivery).
    public var receiveCount: Int { attributes["ApproximateReceiveCount"].flatMap(Int.init) ?? 1 }
    public var messageGroupId: String? { attributes["MessageGroupId"] }
    public var deduplicationId: String? { attributes["MessageDeduplicationId"] }
    /// When the message was sent (SentTimestamp, epoch milliseconds).
    public var sentTimestamp: Date? { Self.date(attributes["SentTimestamp"]) }
    /// When the message was first received (ApproximateFirstReceiveTimestamp).
    public var firstReceiveTimestamp: Date? { Self.date(attributes["ApproximateFirstReceiveTimestamp"]) }

    init(json: JSONValue) throws {
        guard let messageId = json["MessageId"]?.stringValue, let receiptHandle = json["ReceiptHandle"]?.stringValue
        else {
            throw AWSClientError(
                .invalidResponse, service: "sqs", operation: "ReceiveMessage",
                detail: "message without MessageId/ReceiptHandle")
        }
        var attributes: [String: String] = [:]
        for (name, value) in json["Attributes"]?.objectValue ?? JSONObject() {
            attributes[name] = value.stringValue ?? value.compactString()
        }
        var messageAttributes: [String: String] = [:]
        for (name, value) in json["MessageAttributes"]?.objectValue ?? JSONObject() {
            if let text = value["StringValue"]?.stringValue { messageAttributes[name] = text }
        }
        self.init(
            messageId: messageId, receiptHandle: receiptHandle, body: json["Body"]?.stringValue ?? "",
            attributes: attributes, messageAttributes: messageAttributes)
    }

    private static func date(_ milliseconds: String?) -> Date? {
        guard let milliseconds, let value = Double(milliseconds) else { return nil }
        return Date(timeIntervalSince1970: value / 1000)
    }
}
