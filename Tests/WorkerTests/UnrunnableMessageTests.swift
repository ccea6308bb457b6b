import Foundation
import JobLog
import Logging
import MessageQueue
import TestSupport
import Testing
import Worker

/// Two ways a received message is settled without its job running, through the worker's `JobRunner` on the
/// embedded SQLite queue: a body that is not a queued webhook is dead-lettered at once with the reason, and a
/// message whose job log cannot be opened is handed back for a retry after the back-off (not deleted, not
/// dead-lettered: without the log a redelivery cannot be told from new work).
@Suite("Worker: messages that never reach a job", .timeLimit(.minutes(2)))
struct UnrunnableMessageTests {
    /// Counts the jobs it is asked to run; none are expected.
    final class CountingHandler: JobHandler, @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var runs: Int { lock.withLock { count } }

        func run(_ event: JobEvent, context: AttemptContext) async throws -> JobResult {
            lock.withLock { count += 1 }
            throw CancellationError()
        }
    }

    /// A fresh SQLite queue (with its dead-letter queue) and job log path in a folder of their own.
    struct World {
        let folder: URL
        let queue: any MessageQueue
        var settings: WorkerSettings

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("unrun"))
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let address = "sqlite://" + folder.appendingPathComponent("queue.db").path
            queue = try MessageQueueFactory.make(address: address, sqs: nil)
            settings = WorkerSettings(queueAddress: address, jobLogPath: folder.appendingPathComponent("jobs.db").path)
            settings.redeliveryBackoff.baseDelay = .seconds(1)
            settings.redeliveryBackoff.maxDelay = .seconds(2)
        }

        func runner(_ jobLog: JobLog, handler: CountingHandler, metrics: WorkerMetrics) -> JobRunner {
            JobRunner(
                queue: queue, jobLog: jobLog, handler: handler, settings: settings, metrics: metrics,
                logger: Logger(label: "unrunnable-test"), visibilityTimeout: .seconds(300), maxReceiveCount: 3)
        }

        /// Sends `body` and receives it for 300 s, as the worker's consumer does.
        func sendAndReceive(_ body: String, groupId: String) async throws -> ReceivedMessage {
            try await queue.send(OutgoingMessage(body: body, groupId: groupId, deduplicationId: UUID().uuidString))
            let received = try await queue.receive(
                maxMessages: 1, waitTime: .seconds(1), visibilityTimeout: .seconds(300))
            return try #require(received.first)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    @Test("a body that is not a queued webhook is dead-lettered at once with the reason, and no job is recorded")
    func undecodableMessageIsDeadLettered() async throws {
        let world = try World()
        defer { world.remove() }
        let jobLog = try JobLog(path: world.settings.jobLogPath)
        defer { try? jobLog.close() }
        let handler = CountingHandler()
        let metrics = WorkerMetrics()
        let message = try await world.sendAndReceive("this is not a queued webhook", groupId: "etr_undecodable1")

        await world.runner(jobLog, handler: handler, metrics: metrics).handle(message)

        #expect(handler.runs == 0)
        #expect(try await jobLog.counts().values.reduce(0, +) == 0, "no job for a message that names none")
        #expect(try await world.queue.stats() == QueueStats(visible: 0, inFlight: 0, delayed: 0))
        let deadLetters = try #require(try await world.queue.deadLetterQueue())
        let letters = try await deadLetters.receive(
            maxMessages: 10, waitTime: .seconds(1), visibilityTimeout: .seconds(30))
        #expect(letters.map(\.body) == ["this is not a queued webhook"])
        let reason = letters.first?.failureReason ?? ""
        #expect(reason.hasPrefix("queue message is not a queued webhook"), "\(reason)")
        #expect(metrics.exposition().contains(#"outcome="dead_lettered""#))
    }

    @Test("with the job log unavailable the message is handed back for a retry after the back-off, not lost")
    func jobLogUnavailableRetriesLater() async throws {
        let world = try World()
        defer { world.remove() }
        let jobLog = try JobLog(path: world.settings.jobLogPath)
        // Closed: every read and write of the log now fails, as with a full or vanished disk.
        try jobLog.close()
        let handler = CountingHandler()
        let metrics = WorkerMetrics()
        let envelope =
            #"{"version":"0","channel":"events","message":{"type":"v2.entry.created","id":"evt_1","#
            + #""resourceId":"etr_logdown1","createdAt":"2024-05-01T12:00:00Z"}}"#
        let queued = QueuedWebhook(
            webhookId: "wh_logdown1", webhookTimestamp: "1714564800", receivedAt: "2024-05-01T12:00:01.000Z",
            eventType: "v2.entry.created", groupId: "etr_logdown1", body: envelope)
        let message = try await world.sendAndReceive(queued.encodedBody(), groupId: "etr_logdown1")

        await world.runner(jobLog, handler: handler, metrics: metrics).handle(message)

        #expect(handler.runs == 0)
        #expect(metrics.exposition().contains(#"outcome="retry""#))
        let deadLetters = try #require(try await world.queue.deadLetterQueue())
        #expect(try await deadLetters.stats() == QueueStats(visible: 0, inFlight: 0, delayed: 0), "not dead-lettered")
        // Received for 300 s, it comes back after the 1 s back-off the runner set: deleted or left alone, it would
        // not be receivable within the wait.
        var again: [ReceivedMessage] = []
        #expect(
            try await eventually(timeout: .seconds(60), every: .milliseconds(200)) {
                again = try await world.queue.receive(
                    maxMessages: 1, waitTime: .milliseconds(100), visibilityTimeout: .seconds(300))
                return !again.isEmpty
            })
        #expect(again.map(\.body) == [queued.encodedBody()])
        #expect(again.first?.receiveCount == 2)
    }
}
