import BenchlingSandbox
import Foundation
import JobLog
import Testing
import TestSupport
import Worker

/// A healthy job that outlives the visibility timeout keeps its message: the heartbeat extends visibility at
/// half-time, so the message is not handed out again while the job runs.
@Suite("Worker heartbeat", .serialized, .timeLimit(.minutes(10)))
struct HeartbeatTests {
    @Test("a job longer than the visibility timeout runs once")
    func slowJobKeepsItsMessage() async throws {
        // 8 s leaves the heartbeat (at half-time) a 4 s margin for its ChangeMessageVisibility round trip, which a
        // fully loaded 2-core test run needs; 4 s was seen to lapse there.
        try await withWorkerFixture(visibilitySeconds: 8) { (fixture) async throws in
            var entry = SandboxEntry(id: "etr_slow1", displayId: "EXP00003001", name: "Slow export")
            entry.runningPolls = 100  // polled every 200 ms at most: about 20 s, over two visibility timeouts
            await fixture.sandbox.addEntry(entry)

            let worker = try await fixture.startWorker()
            let queued = try await fixture.enqueue(SandboxMessage.entryCreated(entryId: "etr_slow1"))
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
            // Give a redelivery (if visibility had lapsed) the chance to show up before stopping.
            try await Task.sleep(for: .seconds(9))
            let exposition = worker.app.metrics.exposition()
            await worker.stop()

            #expect(detail.job.status == .succeeded, "\(detail.job)")
            #expect(detail.attempts.count == 1)
            #expect(!exposition.contains(#"outcome="duplicate""#), "the message was handed out twice: \(exposition)")
            #expect(await fixture.sandbox.counters().exportsStarted == 1)
        }
    }
}
