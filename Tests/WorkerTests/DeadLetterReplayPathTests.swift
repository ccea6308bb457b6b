import AWSServices
import Foundation
import MessageQueue
import Operator
import TestSupport
import Testing
import Worker

/// The replay paths the SQS FIFO tests in OperatorQueueTests do not take: a queue without a redrive policy, dead
/// letters that carry no FIFO group, webhook ids too long (or too odd) for a deduplication id, and the embedded
/// SQLite queue's own dead-letter queue.
@Suite(.timeLimit(.minutes(5))) struct DeadLetterReplayPathTests {
    static let fixed = Date(timeIntervalSince1970: 1_714_564_800.123)
    static let suffix = "-replay-1714564800123"

    static func queued(webhookId: String, groupId: String?) -> QueuedWebhook {
        QueuedWebhook(
            webhookId: webhookId, webhookTimestamp: "1714564800", receivedAt: "2024-05-01T12:00:01.000Z",
            eventType: "v2.entry.created", groupId: groupId,
            body: #"{"version":"0","channel":"events","message":{"type":"v2.entry.created","resourceId":"etr_1"}}"#)
    }

    /// A fresh SQLite queue file (with its `-dlq` queue) in a folder of its own.
    static func sqliteQueue() throws -> (queue: any MessageQueue, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("replay"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let address = "sqlite://" + folder.appendingPathComponent("queue.db").path
        return (try MessageQueueFactory.make(address: address, sqs: nil), folder)
    }

    @Test func aQueueWithoutRedrivePolicyHasNothingToReplay() async throws {
        let environment = try TestEnvironment.load()
        let url = try await MotoSeeder(environment).createQueue(
            name: environment.uniqueName("op") + ".fifo",
            attributes: ["FifoQueue": "true", "ContentBasedDeduplication": "false"])
        let queue = try MessageQueueFactory.make(address: url, sqs: OperatorQueues.sqs(environment, environment.worker))
        let error = await #expect(throws: OperatorError.self) { try await DeadLetterReplay.forQueue(queue) }
        #expect(error?.description.contains("no redrive policy") == true, "\(String(describing: error))")
    }

    /// Dead letters read from a queue that reports no FIFO group (a standard queue): the copy's group is the one
    /// the receiver recorded in the body, else the webhook id, else (undecodable body) the message id.
    @Test func groupFallsBackToTheBodyThenTheWebhookIdThenTheMessageId() async throws {
        let environment = try TestEnvironment.load()
        let seeder = MotoSeeder(environment)
        let deadLetterURL = try await seeder.createQueue(name: environment.uniqueName("op") + "-dlq", attributes: [:])
        let admin = SQS(client: seeder.admin)
        _ = try await admin.sendMessage(
            queueURL: deadLetterURL, body: Self.queued(webhookId: "wh_body", groupId: "etr_body").encodedBody())
        _ = try await admin.sendMessage(
            queueURL: deadLetterURL, body: Self.queued(webhookId: "wh_nogroup", groupId: nil).encodedBody())
        let undecodableId = try await admin.sendMessage(queueURL: deadLetterURL, body: "not a queued webhook")
        let deadLetters = try MessageQueueFactory.make(
            address: deadLetterURL, sqs: OperatorQueues.sqs(environment, environment.worker))
        let (source, folder) = try Self.sqliteQueue()
        defer { try? FileManager.default.removeItem(at: folder) }

        var replay = DeadLetterReplay(source: source, deadLetters: deadLetters)
        replay.now = { Self.fixed }
        let moved = try await replay.run(.all, dryRun: false)
        #expect(moved.count == 3)
        #expect(moved.allSatisfy { $0.entry.message.groupId == nil }, "the dead letters carried no group")

        let back = try await source.receive(maxMessages: 10, waitTime: .seconds(1), visibilityTimeout: .seconds(30))
        let groups = Dictionary(uniqueKeysWithValues: back.map { ($0.body, $0.groupId) })
        #expect(groups[Self.queued(webhookId: "wh_body", groupId: "etr_body").encodedBody()] == "etr_body")
        #expect(groups[Self.queued(webhookId: "wh_nogroup", groupId: nil).encodedBody()] == "wh_nogroup")
        #expect(groups["not a queued webhook"] == undecodableId)
        #expect(
            Set(back.compactMap(\.deduplicationId)) == [
                "wh_body" + Self.suffix, "wh_nogroup" + Self.suffix, undecodableId + Self.suffix,
            ])
        #expect(try await deadLetters.stats().visible == 0)
    }

    @Test func deduplicationIdKeepsSQSsAlphabetAndLength() {
        let base = String(repeating: "wh_", count: 60) + " é\u{7f}\ttail"
        let message = ReceivedMessage(
            id: "m1", receiptHandle: "r1", body: Self.queued(webhookId: base, groupId: "etr_1").encodedBody(),
            groupId: "etr_1", receiveCount: 1, sentAt: nil, firstReceivedAt: nil, attributes: [:])
        let id = DeadLetterReplay.replayDeduplicationId(for: DeadLetterEntry(message), at: Self.fixed)
        #expect(id.count == 128)
        #expect(id.hasSuffix(Self.suffix))
        #expect(id.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 }, "\(id)")
        #expect(
            id == String(repeating: "wh_", count: 35) + "wh" + Self.suffix, "odd characters dropped, then cut to fit")
        // A short id stays whole, only its odd characters dropped.
        let short = ReceivedMessage(
            id: "m2", receiptHandle: "r2", body: Self.queued(webhookId: "wh é1", groupId: "etr_1").encodedBody(),
            groupId: "etr_1", receiveCount: 1, sentAt: nil, firstReceivedAt: nil, attributes: [:])
        #expect(
            DeadLetterReplay.replayDeduplicationId(for: DeadLetterEntry(short), at: Self.fixed) == "wh1" + Self.suffix)
    }

    /// The embedded default: the worker dead-letters into the SQLite file's `-dlq` queue, and replay finds it there
    /// and moves the message back with its group, without the failure reason, under a new deduplication id (here
    /// one cut down from a webhook id too long to be used whole).
    @Test func replayOnTheSQLiteDeadLetterQueue() async throws {
        let (queue, folder) = try Self.sqliteQueue()
        defer { try? FileManager.default.removeItem(at: folder) }
        let longId = "wh_" + String(repeating: "x", count: 200)
        let queued = Self.queued(webhookId: longId, groupId: "etr_sqlite1")
        try await queue.send(OutgoingMessage(body: queued.encodedBody(), groupId: "etr_sqlite1", deduplicationId: "d1"))
        let received = try await queue.receive(maxMessages: 1, waitTime: .seconds(1), visibilityTimeout: .seconds(30))
        try await queue.deadLetter(try #require(received.first), reason: "export failed: FAILED task")

        var replay = try await DeadLetterReplay.forQueue(queue)
        replay.now = { Self.fixed }
        let planned = try await replay.run(.all, dryRun: true)
        #expect(planned.map(\.entry.failureReason) == ["export failed: FAILED task"])
        let moved = try await replay.run(.webhookIds([longId]), dryRun: false)
        let expectedId = String(longId.prefix(128 - Self.suffix.count)) + Self.suffix
        #expect(moved.map(\.deduplicationId) == [expectedId])

        let back = try await queue.receive(maxMessages: 10, waitTime: .seconds(1), visibilityTimeout: .seconds(30))
        #expect(back.map(\.body) == [queued.encodedBody()])
        #expect(back.first?.groupId == "etr_sqlite1")
        #expect(back.first?.deduplicationId == expectedId)
        #expect(back.first?.failureReason == nil, "the reason stays behind in the dead-letter queue")
        #expect(try await replay.browser.peek().isEmpty)
    }
}
