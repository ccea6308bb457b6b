import AWSServices
import BenchlingSandbox
import Foundation
import JobLog
import TestSupport
import Testing
import Worker

/// Which entry and canvas a job works on, for the two deliveries the other end-to-end tests never send: a canvas
/// added to an entry (`v2.canvas.initialized`: no canvas exists yet, so the worker creates it) and an entry that has
/// no display id (no package name can be made: the job fails permanently, saying why).
@Suite("Worker: the job's entry and canvas", .serialized, .timeLimit(.minutes(10)))
struct JobTargetTests {
    @Test("v2.canvas.initialized creates the entry's canvas, packages the entry, and shows the result there")
    func canvasInitializedCreatesTheCanvas() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            await sandbox.addEntry(id: "etr_init1", displayId: "EXP00006001", name: "Canvas just added")
            let worker = try await fixture.startWorker()
            let queued = try await fixture.enqueue(
                SandboxMessage.canvasInitialized(resourceId: "etr_init1", featureId: "quilt_entry"))
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
            await worker.stop()

            #expect(detail.job.status == .succeeded, "\(detail.job)")
            #expect(detail.job.package == "benchling/EXP00006001")
            let creates = await sandbox.recordedRequests().filter { $0.route == .createCanvas }
            #expect(creates.count == 1, "one canvas created")
            let canvasId = try #require(detail.job.canvasId, "the job names the canvas it created")
            let canvas = try #require(await sandbox.canvas(canvasId))
            #expect(canvas.resourceId == "etr_init1")
            #expect(canvas.featureId == "quilt_entry")
            #expect(canvas.appId == sandbox.appId)
            #expect(canvas.enabled)
            #expect(await sandbox.canvasHistory(canvasId).last?.compactString().contains("Updated at") == true)

            let openAPI = try await sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
        }
    }

    @Test("an entry without a display id is dead-lettered at once with the reason; nothing is exported or written")
    func entryWithoutDisplayIdFailsPermanently() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            var entry = SandboxEntry(id: "etr_nodisplay1", displayId: "", name: "No display id")
            entry.extra["displayId"] = .null
            await sandbox.addEntry(entry)
            let worker = try await fixture.startWorker()
            let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_nodisplay1"))
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
            await worker.stop()

            #expect(detail.job.status == .deadLettered, "\(detail.job)")
            #expect(detail.attempts.count == 1, "permanent: not retried")
            let error = detail.attempts.first?.attempt.error ?? ""
            #expect(error.contains("entry etr_nodisplay1 has no display id"), "\(error)")
            let letters = try await fixture.deadLetters()
            #expect(letters.map(\.body) == [queued.encodedBody()])
            #expect(letters.first?.messageAttributes["failure_reason"]?.contains("has no display id") == true)
            #expect(await sandbox.counters().exportsStarted == 0)
            let objects = try await S3(client: fixture.adminAWS).listAllObjects(bucket: fixture.bucket).collect()
            #expect(objects.isEmpty, "\(objects.map(\.key))")
        }
    }
}
