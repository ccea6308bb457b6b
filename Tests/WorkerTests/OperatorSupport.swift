import AWSCore
import AWSServices
import AsyncHTTPClient
import Foundation
import JSONCore
import JobLog
import MessageQueue
import TestSupport
import Testing
import Worker

/// A temporary directory for job log files.
struct OperatorScratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("operator-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A fresh SQS FIFO queue with a FIFO dead-letter queue on moto: created with the admin user, used with the
/// worker's (the ops template's task-role policy), as the operator commands run in production.
struct OperatorQueues {
    let environment: TestEnvironment
    let queueURL: String
    let deadLetterURL: String
    /// The queue as the operator commands open it (worker credentials, through the worker's factory).
    let queue: any MessageQueue
    let workerSQS: SQS

    static func make() async throws -> OperatorQueues {
        let environment = try TestEnvironment.load()
        let urls = try await MotoSeeder(environment).createFIFOQueue(
            name: environment.uniqueName("op"), maxReceiveCount: 3, visibilityTimeout: 30)
        let worker = sqs(environment, environment.worker)
        return OperatorQueues(
            environment: environment, queueURL: urls.queue, deadLetterURL: urls.deadLetter,
            queue: try MessageQueueFactory.make(address: urls.queue, sqs: worker), workerSQS: worker)
    }

    static func sqs(_ environment: TestEnvironment, _ credentials: TestEnvironment.Credentials) -> SQS {
        SQS(client: environment.awsClient(credentials, httpClient: HTTPClient.shared))
    }

    /// Enqueues a receiver-shaped message for `webhookId`, receives it like the worker and dead-letters it with
    /// `reason` through the queue's own `deadLetter`.
    @discardableResult
    func deadLetter(webhookId: String, entryId: String, reason: String) async throws -> QueuedWebhook {
        let body =
            #"{"version":"0","channel":"events","message":{"type":"v2.entry.created","id":"evt_1","resourceId":"\#(entryId)","createdAt":"2024-05-01T12:00:00Z"}}"#
        let queued = QueuedWebhook(
            webhookId: webhookId, webhookTimestamp: "1714564800", receivedAt: "2024-05-01T12:00:01.000Z",
            eventType: "v2.entry.created", groupId: entryId, body: body)
        try await queue.send(OutgoingMessage(body: queued.encodedBody(), groupId: entryId, deduplicationId: webhookId))
        let received = try await queue.receive(maxMessages: 1, waitTime: .seconds(2), visibilityTimeout: .seconds(30))
        let message = try #require(received.first)
        #expect(try QueuedWebhook.decode(message.body).webhookId == webhookId)
        try await queue.deadLetter(message, reason: reason)
        return queued
    }

    /// Everything receivable from the source queue right now, deleted (the test consumes it).
    func drainSource() async throws -> [ReceivedMessage] {
        var all: [ReceivedMessage] = []
        while true {
            let batch = try await queue.receive(maxMessages: 10, waitTime: .seconds(1), visibilityTimeout: .seconds(30))
            if batch.isEmpty { return all }
            for message in batch { try await queue.delete(message) }
            all += batch
        }
    }
}

/// A failure injected by a test.
struct InjectedFailure: Error {}
