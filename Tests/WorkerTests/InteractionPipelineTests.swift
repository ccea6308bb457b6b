import Benchling
import BenchlingSandbox
import Foundation
import JSONCore
import JobLog
import TestSupport
import Testing

@testable import Worker

/// Button presses through the real worker (queue → pipeline → canvas) on moto + the sandbox.
@Suite("Interaction: through the worker", .serialized, .timeLimit(.minutes(10)))
struct InteractionPipelineTests {
    @Test("Browse / Metadata / unknown ids only render views; two Update clicks are two jobs")
    func pressesThroughTheWorker() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            let e = "etr_ipress1", canvasId = "cnvs_ipress1"
            await sandbox.addEntry(id: e, displayId: "EXP00007001", name: "Interaction entry")
            await sandbox.addCanvas(id: canvasId, resourceId: e)
            let worker = try await fixture.startWorker()

            func press(_ buttonId: String) async throws -> (JobDetail, JSONValue?) {
                let delivery = try await sandbox.pressButton(canvasId: canvasId, buttonId: buttonId)
                let queued = try await fixture.enqueue(delivery)
                let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
                return (detail, await sandbox.canvasHistory(canvasId).last)
            }

            // Two Update clicks in a row: both are jobs (webhook ids differ); the second finds nothing new.
            let (first, _) = try await press("quilt:update:\(e)")
            let (second, _) = try await press("quilt:update:\(e)")
            #expect(first.job.status == .succeeded, "\(first.job)")
            #expect(second.job.status == .skipped, "\(second.job)")
            #expect(second.job.topHash == first.job.topHash)
            let updating = await sandbox.canvasHistory(canvasId).filter { $0.compactString().contains("Updating") }
            #expect(updating.count == 2, "each click showed Updating… at once")
            let exports = await sandbox.counters().exportsStarted
            #expect(exports == 2)

            let (browse, browseBody) = try await press("quilt:browse:\(e):0")
            #expect(browse.job.status == .skipped, "\(browse.job)")
            #expect(browse.job.topHash == first.job.topHash)
            #expect(browse.attempts.last?.steps.map(\.name).contains(PipelineStep.canvasView.rawValue) == true)
            let browseText = browseBody?["blocks"]?[0]?["value"]?.stringValue ?? ""
            #expect(browseText.hasPrefix("## EXP00007001 · files"), "\(browseText)")
            #expect(
                browseText.contains(
                    "[entry\\.json](https://\(WorkerFixture.catalogHost)/b/\(fixture.bucket)/packages/benchling/EXP00007001/tree/\(first.job.topHash ?? "")/entry.json)"
                ))
            #expect(browseBody?["enabled"] == .bool(true))

            let (_, metadataBody) = try await press("quilt:metadata:\(e)")
            let metadataText = metadataBody?["blocks"]?[0]?["value"]?.stringValue ?? ""
            #expect(metadataText.contains("- **display\\_id**: EXP00007001"), "\(metadataText)")

            let (unknown, unknownBody) = try await press("quilt:teleport:\(e)")
            #expect(unknown.job.status == .skipped, "\(unknown.job)")
            #expect(unknownBody?["blocks"]?[0]?["id"] == "quilt-summary")
            #expect(unknownBody?.compactString().contains("Updated at") == true)
            // The main view carries the linked-packages part (S3 listing on moto: found or an honest failure note).
            let linked = unknownBody?["blocks"]?[2]
            #expect(linked?["id"] == "quilt-linked")
            #expect(
                linked?["value"]?.stringValue?.hasPrefix("**Linked packages**") == true, "\(String(describing: linked))"
            )

            #expect(await sandbox.counters().exportsStarted == exports, "views never export")
            #expect(await sandbox.canvas(canvasId)?.enabled == true)
            await worker.stop()

            let openAPI = try await sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
        }
    }
}
