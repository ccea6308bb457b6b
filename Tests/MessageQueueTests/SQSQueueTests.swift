import Foundation
import MessageQueue
import TestSupport
import Testing

@Suite("SQS queue on moto: IAM and configuration", .timeLimit(.minutes(5)))
struct SQSQueueTests {
    @Test("the receiver's credentials may send but not receive (IAM is enforced)")
    func receiverMaySendOnly() async throws {
        let environment = try TestEnvironment.load()
        let urls = try await SQSTestQueues.create(environment, maxReceiveCount: 3)
        let asReceiver = SQSQueue(sqs: SQSTestQueues.sqs(environment, environment.receiver), queueURL: urls.queue)
        try await asReceiver.send(OutgoingMessage(body: "{}", groupId: "etr_1", deduplicationId: "wh_1"))

        let error = await #expect(throws: QueueError.self) {
            _ = try await asReceiver.receive(maxMessages: 1, waitTime: .zero, visibilityTimeout: nil)
        }
        #expect(error?.kind == .accessDenied)
        #expect(error?.isTransient == false)
        #expect(error?.message.contains("sqs:ReceiveMessage") == true)

        let asWorker = SQSQueue(sqs: SQSTestQueues.sqs(environment, environment.worker), queueURL: urls.queue)
        let received = try await asWorker.receive(maxMessages: 1, waitTime: .seconds(5), visibilityTimeout: nil)
        #expect(received.map(\.body) == ["{}"])
    }

    @Test("a user without permissions is denied sending, permanently")
    func restrictedDenied() async throws {
        let environment = try TestEnvironment.load()
        let urls = try await SQSTestQueues.create(environment, maxReceiveCount: 3)
        let queue = SQSQueue(sqs: SQSTestQueues.sqs(environment, environment.restricted), queueURL: urls.queue)
        let error = await #expect(throws: QueueError.self) {
            try await queue.send(OutgoingMessage(body: "{}", groupId: "g", deduplicationId: "d"))
        }
        #expect(error?.kind == .accessDenied)
    }

    @Test("visibility timeout, maxReceiveCount and the DLQ come from the queue's own attributes")
    func configurationFromAttributes() async throws {
        let environment = try TestEnvironment.load()
        let urls = try await SQSTestQueues.create(environment, maxReceiveCount: 4)
        let queue = SQSQueue(sqs: SQSTestQueues.sqs(environment, environment.worker), queueURL: urls.queue)
        #expect(try await queue.visibilityTimeout == .seconds(30))
        #expect(try await queue.maxReceiveCount == 4)
        let dlq = try #require(try await queue.deadLetterQueue() as? SQSQueue)
        #expect(dlq.queueURL == urls.deadLetter)
        #expect(try await dlq.maxReceiveCount == nil)
    }

    @Test("a queue that does not exist is reported as such")
    func missingQueue() async throws {
        let environment = try TestEnvironment.load()
        let url = "\(environment.awsEndpoint)/\(environment.accountId)/\(environment.uniqueName("gone")).fifo"
        let queue = SQSQueue(sqs: SQSTestQueues.sqs(environment, environment.admin), queueURL: url)
        let error = await #expect(throws: QueueError.self) {
            _ = try await queue.stats()
        }
        #expect(error?.kind == .queueNotFound)
    }
}
