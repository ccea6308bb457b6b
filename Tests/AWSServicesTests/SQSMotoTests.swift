import AWSCore
import AWSServices
import Foundation
import JSONCore
import TestSupport
import Testing

/// SQS against moto with signatures and IAM enforced: seeded by admin, used with the receiver's and the worker's
/// task-role policies.
@Suite(.timeLimit(.minutes(5))) struct SQSMotoTests {
    @Test func fifoQueueRoundTrip() async throws {
        let moto = try Moto()
        let env = moto.environment
        let name = env.uniqueName("sqs")
        let (queueURL, dlqArn) = try await moto.with(env.admin) { admin in
            let dlq = try await moto.createQueue(name: name + "-dlq.fifo", attributes: ["FifoQueue": "true"])
            let dlqArn = try await SQS(client: admin).getQueueAttributes(queueURL: dlq, names: ["QueueArn"])["QueueArn"]
            let redrive = #"{"deadLetterTargetArn":"\#(dlqArn ?? "")","maxReceiveCount":"3"}"#
            let url = try await moto.createQueue(
                name: name + ".fifo",
                attributes: [
                    "FifoQueue": "true", "VisibilityTimeout": "30", "RedrivePolicy": redrive,
                ])
            // moto authorises GetQueueUrl against resource "*" (it has no QueueUrl to derive the ARN from), so a
            // policy scoped to queue ARNs cannot call it there: look the URL up as admin.
            #expect(try await SQS(client: admin).getQueueUrl(name: name + ".fifo") == url)
            return (url, dlqArn ?? "")
        }
        #expect(dlqArn.hasSuffix(name + "-dlq.fifo"))

        // The receiver: look the queue up and enqueue.
        let messageId = try await moto.with(env.receiver) { receiver in
            let sqs = SQS(client: receiver)
            let attributes = try await sqs.getQueueAttributes(queueURL: queueURL)
            #expect(attributes["FifoQueue"] == "true")
            #expect(attributes["RedrivePolicy"]?.contains(dlqArn) == true)
            return try await sqs.sendMessage(
                queueURL: queueURL, body: #"{"event":"v2.entry.updated","ü":1}"#,
                groupId: "etr_123", deduplicationId: "webhook-1",
                attributes: ["webhook-id": "webhook-1", "kind": "entry"])
        }
        #expect(!messageId.isEmpty)

        // The worker: receive, extend/release visibility, receive again, delete.
        try await moto.with(env.worker) { worker in
            let sqs = SQS(client: worker)
            let first = try #require(
                try await sqs.receiveMessages(
                    queueURL: queueURL, maxNumber: 10,
                    waitTimeSeconds: 2, visibilityTimeout: 30
                ).first)
            #expect(first.messageId == messageId)
            #expect(first.body == #"{"event":"v2.entry.updated","ü":1}"#)
            #expect(first.messageGroupId == "etr_123")
            #expect(first.deduplicationId == "webhook-1")
            #expect(first.receiveCount == 1)
            #expect(first.sentTimestamp != nil && first.firstReceiveTimestamp != nil)
            #expect(first.messageAttributes == ["webhook-id": "webhook-1", "kind": "entry"])

            try await sqs.changeMessageVisibility(
                queueURL: queueURL, receiptHandle: first.receiptHandle,
                visibilityTimeout: 0)
            let second = try #require(try await sqs.receiveMessages(queueURL: queueURL, waitTimeSeconds: 2).first)
            #expect(second.messageId == messageId)
            #expect(second.receiveCount == 2)
            try await sqs.deleteMessage(queueURL: queueURL, receiptHandle: second.receiptHandle)
            #expect(try await sqs.receiveMessages(queueURL: queueURL, waitTimeSeconds: 1).isEmpty)
        }
    }

    /// A stack output names the real AWS host: the call must still go to the configured endpoint.
    @Test func queueURLNamingRealAWSHostGoesToConfiguredEndpoint() async throws {
        let moto = try Moto()
        let env = moto.environment
        let name = env.uniqueName("sqs-host") + ".fifo"
        let motoURL = try await moto.createQueue(
            name: name, attributes: ["FifoQueue": "true", "ContentBasedDeduplication": "true"])
        let awsURL = "https://sqs.\(env.region).amazonaws.com/\(env.accountId)/\(name)"
        #expect(motoURL != awsURL)
        try await moto.with(env.worker) { worker in
            let sqs = SQS(client: worker)
            _ = try await sqs.sendMessage(queueURL: awsURL, body: "hello", groupId: "g")
            let messages = try await sqs.receiveMessages(queueURL: awsURL, waitTimeSeconds: 1)
            #expect(messages.map(\.body) == ["hello"])
        }
    }

    @Test func wrongSecretAndMissingPermissionAreSurfacedClearly() async throws {
        let moto = try Moto()
        let env = moto.environment
        let name = env.uniqueName("sqs-auth") + ".fifo"
        let queueURL = try await moto.createQueue(name: name, attributes: ["FifoQueue": "true"])
        let badSignature = await #expect(throws: AWSError.self) {
            try await moto.with(env.worker, secretOverride: "not-the-secret") {
                try await SQS(client: $0).sendMessage(queueURL: queueURL, body: "x", groupId: "g", deduplicationId: "d")
            }
        }
        #expect(badSignature?.code == "SignatureDoesNotMatch")
        #expect(badSignature?.statusCode == 403)
        #expect(badSignature?.description.contains("check the access key") == true)

        let denied = await #expect(throws: AWSError.self) {
            try await moto.with(env.restricted) {
                try await SQS(client: $0).sendMessage(queueURL: queueURL, body: "x", groupId: "g", deduplicationId: "d")
            }
        }
        #expect(denied?.isAccessDenied == true)
        #expect(denied?.description.contains("sqs:SendMessage") == true)
    }
}
