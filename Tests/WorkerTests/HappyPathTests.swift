import BenchlingSandbox
import Foundation
import JSONCore
import JobLog
import MessageQueue
import TestSupport
import Testing
import Worker

/// An entry event through the real worker: moto (worker IAM user) + Benchling sandbox, judged by quilt3 and by
/// the sandbox's OpenAPI check of every request the worker sent.
@Suite("Worker end to end", .serialized, .timeLimit(.minutes(10)))
struct HappyPathTests {
    @Test("entry event → package quilt3 verifies, canvas updated and enabled; redelivery and duplicates write nothing")
    func entryEventProducesVerifiedPackage() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            await sandbox.addEntry(id: "etr_happy1", displayId: "EXP00001234", name: "Plasmid prep")
            await sandbox.addCanvas(id: "cnvs_happy1", resourceId: "etr_happy1")

            let worker = try await fixture.startWorker()
            // A button press first (it carries the canvas), then an entry event for the same entry.
            let press = try await sandbox.pressButton(canvasId: "cnvs_happy1", buttonId: "quilt:update:etr_happy1")
            let pressed = try await fixture.enqueue(press)
            let first = try await fixture.waitForJob(worker.app.jobLog, webhookId: pressed.webhookId)
            #expect(first.job.status == .succeeded, "\(first.job)")
            let package = try #require(first.job.package)
            let topHash = try #require(first.job.topHash)
            #expect(package == "benchling/EXP00001234")
            #expect(first.job.displayId == "EXP00001234")

            // quilt3 browses the same top hash, re-hashes every entry, and re-serialises the manifest identically.
            let report = try fixture.judgePackage(package, topHash: topHash)
            #expect(report["error"] == .null, "\(report)")
            #expect(report["top_hash"]?.stringValue == topHash)
            #expect(report["dump_matches"] == .bool(true))
            let entries = report["entries"]?.arrayValue ?? []
            let keys = Set(entries.compactMap { $0["logical_key"]?.stringValue })
            #expect(
                keys.isSuperset(of: ["entry.json", "entry_data.json", "links.json", "input.json", "README.md"]),
                "\(keys)")
            #expect(keys.count > 5, "export files are in the package: \(keys)")
            for entry in entries {
                #expect(entry["hash_ok"] == .bool(true), "\(entry)")
                #expect(
                    entry["physical_key"]?.stringValue?.hasPrefix("s3://\(fixture.bucket)/benchling/EXP00001234/")
                        == true)
            }
            let meta = report["user_meta"]
            #expect(meta?["display_id"]?.stringValue == "EXP00001234")
            #expect(meta?["experiment_id"] == nil, "PKG_KEY is how users tag their packages, not ours")
            #expect(meta?["canvas_id"]?.stringValue == "cnvs_happy1")
            #expect(report["message"]?.stringValue == "Benchling v2.canvas.userInteracted")

            // The canvas went "Updating…" then "Updated", and is enabled again after the press disabled it.
            let history = await sandbox.canvasHistory("cnvs_happy1")
            #expect(history.count >= 2)
            #expect(history.allSatisfy { $0["enabled"] == .bool(true) })
            #expect(history.first?.compactString().contains("Updating") == true)
            #expect(history.last?.compactString().contains("Updated at") == true)
            #expect(await sandbox.canvas("cnvs_happy1")?.enabled == true)

            // Redelivery of the same webhook id: acknowledged without work.
            let exportsBefore = await sandbox.counters().exportsStarted
            try await fixture.sendRaw(
                pressed.encodedBody(), groupId: "etr_happy1", deduplicationId: "redelivery-\(pressed.webhookId)")
            // A duplicate event (new webhook id, same unchanged entry): exported again but no new revision.
            let duplicate = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_happy1"))
            let second = try await fixture.waitForJob(worker.app.jobLog, webhookId: duplicate.webhookId)
            #expect(second.job.status == .skipped, "\(second.job)")
            #expect(second.job.topHash == topHash)
            let redelivered = try #require(try await worker.app.jobLog.job(webhookId: pressed.webhookId))
            #expect(redelivered.attempts.count == 1, "the redelivered job was not run again")
            #expect(await sandbox.counters().exportsStarted == exportsBefore + 1)
            await worker.stop()

            let revisions = try await fixture.revisions(of: package)
            #expect(revisions.count == 1, "one revision only: \(revisions)")

            // Every request the worker sent satisfies Benchling's OpenAPI spec.
            let openAPI = try await sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
            #expect(openAPI.checked > 0)
        }
    }
}
