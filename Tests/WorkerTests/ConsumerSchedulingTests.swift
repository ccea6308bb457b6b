import AWSCore
import AWSServices
import AsyncHTTPClient
import BenchlingSandbox
import Foundation
import JobLog
import Logging
import MessageQueue
import TestSupport
import Testing
import Worker

/// The consumer's scheduling against a real SQS FIFO queue on moto: bounded concurrency, and never two jobs of one
/// entry at once even when a receive batch holds several of them; order within an entry is kept.
@Suite("Worker scheduling", .serialized, .timeLimit(.minutes(5)))
struct ConsumerSchedulingTests {
    /// Records when each job of each entry ran.
    actor Recorder {
        var running: [String: Int] = [:]
        var totalRunning = 0
        var maxTotal = 0
        var overlaps: [String] = []
        var order: [String: [String]] = [:]
        var done = 0

        func start(entry: String, webhook: String) {
            running[entry, default: 0] += 1
            if running[entry]! > 1 { overlaps.append(entry) }
            totalRunning += 1
            maxTotal = max(maxTotal, totalRunning)
            order[entry, default: []].append(webhook)
        }

        func end(entry: String) {
            running[entry]! -= 1
            totalRunning -= 1
            done += 1
        }
    }

    struct RecordingHandler: JobHandler {
        let recorder: Recorder
        var jobLength: Duration = .milliseconds(300)

        func run(_ event: JobEvent, context: AttemptContext) async throws -> JobResult {
            let entry = event.entryId ?? "?"
            await recorder.start(entry: entry, webhook: event.webhookId)
            try await Task.sleep(for: jobLength)
            await recorder.end(entry: entry)
            return JobResult(
                outcome: .published, package: "benchling/\(entry)", topHash: String(repeating: "a", count: 64),
                bytes: 1, entryId: entry, displayId: entry)
        }
    }

    @Test("at most `concurrency` jobs, one per entry at a time, in order per entry")
    func oneJobPerEntryAtATime() async throws {
        try await withWorkerFixture { (fixture) async throws in
            var sent: [String: [String]] = [:]
            for (entry, count) in [("etr_a", 4), ("etr_b", 2), ("etr_c", 2)] {
                for _ in 0..<count {
                    let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: entry))
                    sent[entry, default: []].append(queued.webhookId)
                }
            }

            let environment = fixture.environment
            let aws = environment.awsClient(environment.worker, httpClient: HTTPClient.shared)
            let queue = try MessageQueueFactory.make(address: fixture.queueURL, sqs: SQS(client: aws))
            let jobLog = try JobLog(path: fixture.jobLogPath)
            var settings = fixture.settings()
            settings.concurrency = 2
            let recorder = Recorder()
            let runner = JobRunner(
                queue: queue, jobLog: jobLog, handler: RecordingHandler(recorder: recorder), settings: settings,
                metrics: WorkerMetrics(), logger: Logger(label: "scheduling-test"), visibilityTimeout: .seconds(30),
                maxReceiveCount: 3)
            let consumer = QueueConsumer(
                queue: queue, runner: runner, settings: settings, logger: Logger(label: "scheduling-test"))
            let task = Task { await consumer.run() }
            _ = try await eventually(timeout: .seconds(120)) { await recorder.done >= 8 }
            consumer.requestStop()
            await task.value

            #expect(await recorder.done == 8)
            let overlaps = await recorder.overlaps
            #expect(overlaps.isEmpty, "entries ran concurrently: \(overlaps)")
            #expect(await recorder.maxTotal <= 2)
            #expect(await recorder.order == sent, "per-entry order is the send order")
            #expect(try await jobLog.counts()[.succeeded] == 8)
            #expect(try await queue.stats().visible == 0)
            try jobLog.close()
        }
    }

    @Test("a stop hands back what has not started and lets running jobs finish")
    func stopWindsDown() async throws {
        try await withWorkerFixture { (fixture) async throws in
            for _ in 0..<3 { try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_stop")) }
            let environment = fixture.environment
            let aws = environment.awsClient(environment.worker, httpClient: HTTPClient.shared)
            let queue = try MessageQueueFactory.make(address: fixture.queueURL, sqs: SQS(client: aws))
            let jobLog = try JobLog(path: fixture.jobLogPath)
            let recorder = Recorder()
            let settings = fixture.settings()
            let runner = JobRunner(
                queue: queue, jobLog: jobLog, handler: RecordingHandler(recorder: recorder), settings: settings,
                metrics: WorkerMetrics(), logger: Logger(label: "stop-test"), visibilityTimeout: .seconds(30),
                maxReceiveCount: 3)
            let consumer = QueueConsumer(
                queue: queue, runner: runner, settings: settings, logger: Logger(label: "stop-test"))
            let task = Task { await consumer.run() }
            #expect(
                try await eventually(every: .milliseconds(20)) { await recorder.running["etr_stop", default: 0] > 0 })
            consumer.requestStop()
            await task.value

            let finished = await recorder.done
            #expect(finished >= 1, "the running job finished")
            #expect(try await jobLog.counts()[.succeeded] == finished)
            // Everything not finished is visible again at once (handed back), not after the 30 s visibility timeout.
            let stats = try await queue.stats()
            #expect(stats.visible + stats.inFlight == 3 - finished)
            let again = try await queue.receive(maxMessages: 10, waitTime: .seconds(1), visibilityTimeout: .seconds(5))
            #expect(again.count >= (3 - finished > 0 ? 1 : 0))
            try jobLog.close()
        }
    }

    static func consumer(
        _ fixture: WorkerFixture, settings: WorkerSettings, handler: RecordingHandler, label: String
    ) throws -> (QueueConsumer, any MessageQueue, JobLog) {
        let environment = fixture.environment
        let aws = environment.awsClient(environment.worker, httpClient: HTTPClient.shared)
        let queue = try MessageQueueFactory.make(address: fixture.queueURL, sqs: SQS(client: aws))
        let jobLog = try JobLog(path: fixture.jobLogPath)
        let runner = JobRunner(
            queue: queue, jobLog: jobLog, handler: handler, settings: settings, metrics: WorkerMetrics(),
            logger: Logger(label: label), visibilityTimeout: .seconds(30), maxReceiveCount: 3)
        return (
            QueueConsumer(queue: queue, runner: runner, settings: settings, logger: Logger(label: label)), queue, jobLog
        )
    }

    /// Walking away from a long poll does not stop SQS (moto here) from taking a message for it: the message would
    /// stay invisible for a whole visibility timeout. The consumer lets the poll return and hands back what it got.
    @Test("a long poll in progress at the stop is finished, and a message it takes is handed back at once")
    func stopFinishesTheLongPoll() async throws {
        try await withWorkerFixture { (fixture) async throws in
            var settings = fixture.settings()
            settings.receiveWait = .seconds(4)
            let recorder = Recorder()
            let (consumer, queue, jobLog) = try Self.consumer(
                fixture, settings: settings, handler: RecordingHandler(recorder: recorder), label: "poll-stop-test")
            defer { try? jobLog.close() }
            let task = Task { await consumer.run() }
            // The queue is empty, so the consumer's first poll waits on moto for 4 s.
            try await Task.sleep(for: .seconds(1))
            consumer.requestStop()
            try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_poll"))
            await task.value

            #expect(await recorder.order.isEmpty, "nothing ran after the stop")
            #expect(try await jobLog.counts().values.reduce(0, +) == 0)
            let stats = try await queue.stats()
            #expect(stats.visible == 1 && stats.inFlight == 0, "the message is visible at once: \(stats)")
        }
    }

    /// With every slot busy the loop waits for room; a stop must still end it, and the stop timeout counts from the
    /// stop, not from when a slot would have freed.
    @Test("a stop while every slot is busy cancels the job at the stop timeout and hands its message back")
    func stopWhileFull() async throws {
        try await withWorkerFixture { (fixture) async throws in
            try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_full"))
            var settings = fixture.settings()
            settings.concurrency = 1
            settings.stopTimeout = .seconds(1)
            let recorder = Recorder()
            let (consumer, queue, jobLog) = try Self.consumer(
                fixture, settings: settings, handler: RecordingHandler(recorder: recorder, jobLength: .seconds(3_600)),
                label: "full-stop-test")
            defer { try? jobLog.close() }
            let task = Task { await consumer.run() }
            #expect(try await eventually(timeout: .seconds(60)) { await recorder.running["etr_full", default: 0] == 1 })
            consumer.requestStop()
            await task.value

            #expect(await recorder.done == 0)
            #expect(try await jobLog.counts()[.failed] == 1, "the cancelled attempt is recorded")
            let stats = try await queue.stats()
            #expect(stats.visible == 1 && stats.inFlight == 0, "handed back at once: \(stats)")
        }
    }
}
