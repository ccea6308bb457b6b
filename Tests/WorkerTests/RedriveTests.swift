import AWSServices
import Benchling
import BenchlingSandbox
import Foundation
import JSONCore
import JobLog
import MessageQueue
import TestSupport
import Testing
import Worker

/// A transient fault that never clears: the message comes back after the visibility back-off on every delivery
/// until the queue's receive count is used up, then lands in the DLQ. Real worker, moto (which implements SQS
/// redrive on receive), sandbox answering 503 to every entry read.
@Suite("Worker redrive", .serialized, .timeLimit(.minutes(10)))
struct RedriveTests {
    /// Benchling retries, heartbeats and receive back-off 20× faster; the visibility back-off between deliveries
    /// is `WorkerSettings.redeliveryBackoff.baseDelay` (1 s in the fixture), which SQS itself enforces.
    static let fastSleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0 / 20) }

    /// The entry read fails with 503 on every try of every attempt.
    static func benchlingDown(_ fixture: WorkerFixture, entryId: String, displayId: String) async {
        await fixture.sandbox.addEntry(id: entryId, displayId: displayId, name: "Benchling is down")
        await fixture.sandbox.inject(.status(503), count: 10_000, route: .getEntry)
    }

    static func entryReads(_ sandbox: SandboxTenant) async -> Int {
        await sandbox.recordedRequests().filter { $0.route == .getEntry }.count
    }

    /// Visible + in flight + delayed messages of a queue, asked with the admin key.
    static func messagesIn(_ fixture: WorkerFixture, queueURL: String) async throws -> Int {
        let attributes = try await fixture.adminSQS.getQueueAttributes(queueURL: queueURL, names: ["All"])
        return [
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ]
        .reduce(0) { $0 + (Int(attributes[$1] ?? "0") ?? 0) }
    }

    @Test("transient on every delivery: retried after the back-off, dead-lettered with the reason at the last delivery")
    func transientUntilTheReceiveCountIsExhausted() async throws {
        try await withWorkerFixture(maxReceiveCount: 2) { (fixture) async throws in
            await Self.benchlingDown(fixture, entryId: "etr_down1", displayId: "EXP00003001")

            let worker = try await fixture.startWorker(sleep: Self.fastSleep)
            let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_down1"))
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId) {
                $0.status == .deadLettered
            }
            let latest = try await worker.app.registry.latestTopHash(
                of: .init(prefix: "benchling", name: "EXP00003001"))
            await worker.stop()

            // Delivery 1 failed transiently and the message came back (not dead-lettered at once, not retried at
            // once: the visibility back-off lies between the attempts); delivery 2 was the last the queue allows.
            let attempts = detail.attempts.map(\.attempt)
            #expect(attempts.map(\.outcome) == [.failed, .deadLettered], "\(attempts)")
            #expect(attempts.allSatisfy { $0.error?.contains("503") == true }, "\(attempts.map(\.error))")
            #expect(attempts.last?.error?.hasPrefix("gave up after 2 attempts") == true, "\(attempts.map(\.error))")
            if attempts.count == 2, let firstEnd = attempts[0].finishedAt {
                #expect(attempts[1].startedAt.timeIntervalSince(firstEnd) >= 0.9, "redelivered only after the back-off")
            }
            // Each attempt retried the read itself (Benchling client policy) before giving the message back.
            #expect(await Self.entryReads(fixture.sandbox) == 2 * BenchlingRetryPolicy.default.maxAttempts)

            let letters = try await fixture.deadLetters()
            #expect(letters.count == 1)
            #expect(letters.first?.body == queued.encodedBody())
            #expect(letters.first?.messageAttributes["failure_reason"]?.hasPrefix("gave up after 2 attempts") == true)
            #expect(try await Self.messagesIn(fixture, queueURL: fixture.queueURL) == 0)
            #expect(latest == nil, "nothing was published")
        }
    }

    /// The worker only dead-letters by itself when it knows the queue's threshold (read once at start). Here the
    /// redrive policy is attached after the worker started, so every failure just hands the message back after
    /// the back-off, and SQS's redrive moves it to the DLQ on the receive after the last allowed delivery.
    @Test("SQS's redrive dead-letters a message whose every delivery failed transiently")
    func sqsRedriveMovesTheMessage() async throws {
        try await withWorkerFixture(maxReceiveCount: 2) { (fixture) async throws in
            await Self.benchlingDown(fixture, entryId: "etr_down2", displayId: "EXP00003002")
            let seeder = MotoSeeder(fixture.environment)
            let queueURL = try await seeder.createQueue(
                name: fixture.environment.uniqueName("wkredrive") + ".fifo",
                attributes: ["FifoQueue": "true", "ContentBasedDeduplication": "false", "VisibilityTimeout": "30"])
            var settings = fixture.settings()
            settings.queueAddress = queueURL

            let worker = try await fixture.startWorker(settings: settings, sleep: Self.fastSleep)
            let deadLetterARN = try #require(
                try await fixture.adminSQS.getQueueAttributes(queueURL: fixture.deadLetterURL, names: ["QueueArn"])[
                    "QueueArn"])
            _ = try await fixture.adminAWS.jsonRequest(
                service: "sqs", target: "AmazonSQS.SetQueueAttributes",
                body: [
                    "QueueUrl": .string(queueURL),
                    "Attributes": [
                        "RedrivePolicy": .string(#"{"deadLetterTargetArn":"\#(deadLetterARN)","maxReceiveCount":2}"#)
                    ],
                ])
            let queued = try await fixture.enqueue(
                SandboxMessage.entryUpdatedFields(entryId: "etr_down2"), queueURL: queueURL)

            // Both deliveries fail; the next receive finds the count used up and SQS moves the message.
            _ = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId) { _ in true }
            var letters: [SQSMessage] = []
            let deadline = ContinuousClock.now + .seconds(90)
            while letters.isEmpty, ContinuousClock.now < deadline {
                letters = try await fixture.deadLetters()
            }
            // Nothing more arrives for the worker: the queue is empty.
            #expect(try await Self.messagesIn(fixture, queueURL: queueURL) == 0)
            let job = try await worker.app.jobLog.job(webhookId: queued.webhookId)
            await worker.stop()
            let detail = try #require(job)

            #expect(letters.count == 1)
            #expect(letters.first?.body == queued.encodedBody())
            #expect(letters.first?.messageAttributes["failure_reason"] == nil, "moved by SQS, not by the worker")
            let attempts = detail.attempts.map(\.attempt)
            #expect(attempts.map(\.outcome) == [.failed, .failed], "each delivery recorded as a transient failure")
            #expect(attempts.allSatisfy { $0.error?.contains("503") == true }, "\(attempts.map(\.error))")
            #expect(detail.job.status == .failed, "the job log saw no dead-lettering of its own: \(detail.job)")
            #expect(await Self.entryReads(fixture.sandbox) == 2 * BenchlingRetryPolicy.default.maxAttempts)
        }
    }
}
