import AWSServices
import BenchlingSandbox
import Config
import Foundation
import JobLog
import Logging
import MessageQueue
import ServiceLifecycle
import TestSupport
import Testing
import Worker

/// SIGTERM as ECS sends it: the worker service, built like `worker run` builds it (configuration through the
/// resolver, `WorkerService` in a `ServiceGroup`), is told to shut down gracefully while a job is in flight.
/// `triggerGracefulShutdown()` is exactly what the group does on its graceful-shutdown signals.
@Suite("Worker graceful shutdown", .serialized, .timeLimit(.minutes(5)))
struct GracefulShutdownTests {
    static func serviceGroup(
        _ fixture: WorkerFixture, settings: WorkerSettings, logs: CapturedLogs? = nil
    ) async throws -> ServiceGroup {
        let environment = try fixture.deploymentEnvironment(
            userBucket: fixture.bucket, stackARN: try await fixture.createStack(), label: "shutdown")
        var logger = logs?.logger(level: .info) ?? Logger(label: "worker-shutdown-test")
        logger.logLevel = .info
        var settings = settings
        settings.configurationRetry.baseDelay = .seconds(1)
        settings.configurationRetry.maxDelay = .seconds(2)
        let service = WorkerService(settings: settings, environment: environment, logger: logger)
        return ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: service)], gracefulShutdownSignals: [], logger: logger))
    }

    /// Polls until the job of `webhookId` is running and the sandbox has seen its export polled.
    static func waitUntilExporting(_ fixture: WorkerFixture, jobLog: JobLog, webhookId: String) async throws {
        _ = try await fixture.waitForJob(jobLog, webhookId: webhookId) { $0.status == .running }
        let polled = try await eventually(every: .milliseconds(50)) { await fixture.sandbox.counters().taskPolls >= 1 }
        #expect(polled, "the sandbox saw the export polled")
    }

    static func queueCounts(_ fixture: WorkerFixture) async throws -> (visible: Int, inFlight: Int) {
        let attributes = try await fixture.adminSQS.getQueueAttributes(queueURL: fixture.queueURL, names: ["All"])
        return (
            Int(attributes["ApproximateNumberOfMessages"] ?? "") ?? -1,
            Int(attributes["ApproximateNumberOfMessagesNotVisible"] ?? "") ?? -1
        )
    }

    @Test("a job that ends within the stop timeout finishes; nothing new is received after the stop")
    func inFlightJobFinishes() async throws {
        try await withWorkerFixture { (fixture) async throws in
            var entry = SandboxEntry(id: "etr_stop1", displayId: "EXP00004001", name: "Export in flight")
            entry.runningFor = .seconds(4)
            await fixture.sandbox.addEntry(entry)
            await fixture.sandbox.addEntry(id: "etr_late1", displayId: "EXP00004002", name: "Arrives after SIGTERM")
            var settings = fixture.settings()
            // Far beyond the job's own length (a 4 s export, then S3 and Benchling calls): the point is that a job ending
            // within the timeout finishes, and with the whole suite sharing one moto the rest of the job alone has taken
            // over 20 s. The test ends when the job does, not when the timeout would.
            settings.stopTimeout = .seconds(120)
            let jobLog = try JobLog(path: settings.jobLogPath)
            defer { try? jobLog.close() }

            let logs = CapturedLogs()
            let group = try await Self.serviceGroup(fixture, settings: settings, logs: logs)
            let running = Task { try await group.run() }
            let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_stop1"))
            try await Self.waitUntilExporting(fixture, jobLog: jobLog, webhookId: queued.webhookId)

            await group.triggerGracefulShutdown()
            // The consumer has left its receive loop (it says so before waiting for the running job, whose export
            // still runs for seconds, or once stopped): from here on nothing may be received.
            #expect(
                try await eventually {
                    !logs.messages(containing: "waiting for running jobs before stopping").isEmpty
                        || !logs.messages(containing: "worker stopped consuming").isEmpty
                })
            let late = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_late1"))
            try await running.value

            let detail = try #require(try await jobLog.job(webhookId: queued.webhookId))
            #expect(detail.job.status == .succeeded, "\(detail.job)")
            #expect(detail.attempts.count == 1)
            #expect(try await jobLog.job(webhookId: late.webhookId) == nil, "nothing is received after the stop")
            let counts = try await Self.queueCounts(fixture)
            #expect(counts.visible == 1 && counts.inFlight == 0, "only the late message is left, untouched: \(counts)")
            // The finished job's revision is whole: quilt3 browses and re-hashes it.
            let report = try fixture.judgePackage(
                try #require(detail.job.package), topHash: try #require(detail.job.topHash))
            #expect(report["error"] == .null, "\(report)")
            #expect(report["top_hash"]?.stringValue == detail.job.topHash)
            #expect(try await fixture.revisions(of: "benchling/EXP00004001").count == 1)
        }
    }

    @Test("a job that outlasts the stop timeout is cancelled and its message handed back; nothing is published")
    func outlastingJobIsHandedBack() async throws {
        try await withWorkerFixture { (fixture) async throws in
            var entry = SandboxEntry(id: "etr_stop2", displayId: "EXP00004003", name: "Export that never ends")
            entry.runningPolls = 1_000_000
            await fixture.sandbox.addEntry(entry)
            var settings = fixture.settings()
            settings.stopTimeout = .seconds(1)
            let jobLog = try JobLog(path: settings.jobLogPath)
            defer { try? jobLog.close() }

            let group = try await Self.serviceGroup(fixture, settings: settings)
            let running = Task { try await group.run() }
            let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_stop2"))
            try await Self.waitUntilExporting(fixture, jobLog: jobLog, webhookId: queued.webhookId)

            let stopped = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await running.value
            let shutdown = ContinuousClock.now - stopped
            // Bound of the behaviour, not a speed target: ECS kills the task 30 s after SIGTERM.
            #expect(shutdown < .seconds(25), "stopped within ECS's stop timeout: \(shutdown)")

            let detail = try #require(try await jobLog.job(webhookId: queued.webhookId))
            #expect(detail.job.status == .failed, "\(detail.job)")
            #expect(detail.attempts.first?.attempt.error?.contains("handed back") == true, "\(detail.attempts)")
            // Handed back with visibility 0: visible again at once, not after the 30 s visibility timeout.
            let counts = try await Self.queueCounts(fixture)
            #expect(counts.visible == 1 && counts.inFlight == 0, "\(counts)")
            let again = try await fixture.adminSQS.receiveMessages(
                queueURL: fixture.queueURL, maxNumber: 10, waitTimeSeconds: 1, visibilityTimeout: 1)
            #expect(again.map(\.body) == [queued.encodedBody()])
            // Nothing half-published: not a data object, manifest or pointer in the bucket.
            let objects = try await S3(client: fixture.adminAWS).listAllObjects(bucket: fixture.bucket).collect()
            #expect(objects.isEmpty, "\(objects.map(\.key))")
        }
    }
}
