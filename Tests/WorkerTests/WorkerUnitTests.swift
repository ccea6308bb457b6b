import Benchling
import Foundation
import JSONCore
import MessageQueue
import Testing
import Worker

@Suite("Worker pieces", .timeLimit(.minutes(2)))
struct WorkerUnitTests {
    @Test("settings come from the environment and report every problem at once")
    func settingsFromEnvironment() throws {
        let settings = try WorkerSettings.fromEnvironment([
            "QUEUE_URL": "sqlite:///tmp/q.db", "WORKER_CONCURRENCY": "6", "METRICS_PORT": "9102",
            "EXPORT_MAX_WAIT_SECONDS": "60",
        ])
        #expect(settings.concurrency == 6)
        #expect(settings.metricsPort == 9102)
        #expect(settings.exportMaxWait == .seconds(60))
        #expect(try WorkerSettings.fromEnvironment(["QUEUE_URL": "x"]).concurrency == 4)
        do {
            _ = try WorkerSettings.fromEnvironment(["WORKER_CONCURRENCY": "zero"])
            Issue.record("expected problems")
        } catch {
            #expect(Set(error.problems.map(\.variable)) == ["QUEUE_URL", "WORKER_CONCURRENCY"])
        }
    }

    @Test("the job log is JOB_LOG_PATH, else this task's own file in JOB_LOG_DIR")
    func jobLogLocation() throws {
        #expect(
            try WorkerSettings.fromEnvironment(["QUEUE_URL": "x", "JOB_LOG_PATH": "/data/a.db", "JOB_LOG_DIR": "/data"])
                .jobLogPath == "/data/a.db")
        #expect(
            try WorkerSettings.fromEnvironment([
                "QUEUE_URL": "x", "JOB_LOG_DIR": "/data/joblog", "HOSTNAME": "ip-10-0-1-7.ec2",
            ])
            .jobLogPath == "/data/joblog/worker-ip-10-0-1-7.ec2.db")
        #expect(
            try WorkerSettings.fromEnvironment(["QUEUE_URL": "x", "JOB_LOG_DIR": "/d", "HOSTNAME": "a/../b c"])
                .jobLogPath == "/d/worker-a_.._b_c.db")
        #expect(try WorkerSettings.fromEnvironment(["QUEUE_URL": "x"]).jobLogPath == "worker-jobs.sqlite")
    }

    @Test("transient retries back off exponentially up to the cap")
    func retryBackoff() {
        var settings = WorkerSettings(queueAddress: "x", jobLogPath: "y")
        settings.redeliveryBackoff.baseDelay = .seconds(10)
        settings.redeliveryBackoff.maxDelay = .seconds(60)
        #expect(settings.retryDelay(receiveCount: 1) == .seconds(10))
        #expect(settings.retryDelay(receiveCount: 2) == .seconds(20))
        #expect(settings.retryDelay(receiveCount: 3) == .seconds(40))
        #expect(settings.retryDelay(receiveCount: 4) == .seconds(60))
        #expect(settings.retryDelay(receiveCount: 400) == .seconds(60))
    }

    @Test("button ids: each names its entry, only Update packages, and an unknown id parses to nothing")
    func buttonActions() {
        #expect(CanvasButton(parsing: "quilt:update:etr_1") == CanvasButton(.update, entryId: "etr_1"))
        #expect(CanvasButton(parsing: "quilt:update:etr_1")?.packages == true)
        #expect(CanvasButton(parsing: "quilt:browse:etr_1:2")?.entryId == "etr_1")
        #expect(CanvasButton(parsing: "quilt:browse:etr_1:2")?.packages == false)
        #expect(CanvasButton(parsing: "something-else") == nil)
    }

    @Test("failures are classified: permanent ones dead-letter, transient ones retry")
    func classification() {
        func benchling(_ kind: BenchlingError.Kind) -> BenchlingError { BenchlingError(kind: kind, operation: "op") }
        #expect(FailureClassifier.classify(benchling(.http(status: 404))) == .permanent)
        #expect(FailureClassifier.classify(benchling(.http(status: 429))) == .transient)
        #expect(FailureClassifier.classify(benchling(.http(status: 503))) == .transient)
        #expect(FailureClassifier.classify(benchling(.taskFailed)) == .permanent)
        #expect(FailureClassifier.classify(ExportArchiveError.unsafePath("../x")) == .permanent)
        #expect(FailureClassifier.classify(PipelineFailure.configurationStale("newest version unusable")) == .transient)
        #expect(FailureClassifier.classify(PipelineFailure.undecodableMessage("x")) == .permanent)
        #expect(FailureClassifier.classify(CocoaError(.fileWriteOutOfSpace)) == .transient)
    }

    @Test("a queue message that is not the receiver's JSON is refused with a reason")
    func queuedWebhookDecoding() throws {
        let queued = QueuedWebhook(webhookId: "msg_1", eventType: "v2.entry.created", groupId: "etr_1", body: "{}")
        #expect(try QueuedWebhook.decode(queued.encodedBody()) == queued)
        #expect(throws: QueuedWebhook.DecodingFailure.self) { try QueuedWebhook.decode("not json") }
        #expect(throws: PipelineFailure.self) { try JobEvent(queued: queued) }
    }
}
