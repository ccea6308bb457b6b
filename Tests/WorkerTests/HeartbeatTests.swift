import BenchlingSandbox
import Foundation
import JobLog
import TestSupport
import Testing
import Worker

/// A healthy job that outlives the visibility timeout keeps its message: the heartbeat renews visibility every
/// third of the timeout, so the message is not handed out again while the job runs — also on a starved machine,
/// where one renewal round trip to moto has been seen to take 9 s.
@Suite("Worker heartbeat", .serialized, .timeLimit(.minutes(10)))
struct HeartbeatTests {
    @Test("a job longer than the visibility timeout runs once")
    func slowJobKeepsItsMessage() async throws {
        try await withWorkerFixture(visibilitySeconds: 8) { (fixture) async throws in
            var entry = SandboxEntry(id: "etr_slow1", displayId: "EXP00003001", name: "Slow export")
            entry.runningPolls = 100  // polled every 200 ms at most: about 20 s, over two visibility timeouts
            await fixture.sandbox.addEntry(entry)

            let worker = try await fixture.startWorker()
            let queued = try await fixture.enqueue(SandboxMessage.entryCreated(entryId: "etr_slow1"))
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
            // A lapse shows after the stop either way: a redelivery received during the job is acknowledged as a
            // duplicate once the job ends, or, still waiting behind its group (or taken by the last poll), handed
            // back and visible; otherwise the job's own delete removed the message for good.
            await worker.stop()
            let exposition = worker.app.metrics.exposition()
            let attributes = try await fixture.adminSQS.getQueueAttributes(queueURL: fixture.queueURL, names: ["All"])

            #expect(detail.job.status == .succeeded, "\(detail.job)")
            #expect(detail.attempts.count == 1)
            #expect(!exposition.contains(#"outcome="duplicate""#), "the message was handed out twice: \(exposition)")
            #expect(await fixture.sandbox.counters().exportsStarted == 1)
            #expect(
                attributes["ApproximateNumberOfMessages"] == "0"
                    && attributes["ApproximateNumberOfMessagesNotVisible"] == "0",
                "the message was deleted once, not handed out again: \(attributes)")
        }
    }
}
