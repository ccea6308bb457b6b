import BenchlingSandbox
import Foundation
import JSONCore
import TestSupport
import Testing
import Worker

/// Switching from the Python service: a package it wrote (here written with quilt3, in its layout) is the latest
/// revision when this worker sees the entry's first event.
@Suite("Worker: packages the Python service wrote", .serialized, .timeLimit(.minutes(5)))
struct MigrationTests {
    @Test("the next revision keeps files added in the catalog, drops stale export files, and updates the old canvas")
    func upstreamPackageIsContinued() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            await sandbox.addEntry(id: "etr_mig1", displayId: "EXP00005555", name: "Migrated")
            await sandbox.addCanvas(id: "cnvs_upstream1", resourceId: "etr_mig1")

            // What the Python service left: its documents, an export it listed in entry.json, and a file a user added
            // through the catalog's revise dialog.
            let package = "benchling/EXP00005555"
            let oldEntryJSON: JSONValue = [
                "package_name": .string(package), "entry_id": "etr_mig1", "display_id": "EXP00005555",
                "name": "Migrated",
                "canvas_id": "cnvs_upstream1",
                "files": [
                    "EXP00005555.html": ["s3_key": "benchling/EXP00005555/EXP00005555.html", "size": 11],
                    "old-export.pdf": ["s3_key": "benchling/EXP00005555/old-export.pdf", "size": 3],
                ],
                "links": [],
            ]
            let push: JSONValue = [
                "registry": .string("s3://\(fixture.bucket)"), "name": .string(package),
                "message": "Benchling v2.entry.updated.fields", "meta": oldEntryJSON,
                "files": [
                    "EXP00005555.html": "old export!", "old-export.pdf": "pdf",
                    "entry.json": .string(oldEntryJSON.indentedString()), "README.md": "# EXP00005555 - Migrated\n",
                    "notes/added-in-catalog.txt": "a user's note",
                ],
            ]
            let pushed = try PythonJudge(fixture.environment).run(
                "quilt_push.py", input: push.compactData(),
                env: fixture.environment.pythonEnvironment(credentials: fixture.environment.admin))
            #expect(pushed.status == 0, "\(pushed.stderr)")
            let upstream = try JSONValue.parse(pushed.stdout)
            let addedPhysicalKey = try #require(upstream["entries"]?["notes/added-in-catalog.txt"]?.stringValue)
            let upstreamTopHash = try #require(upstream["top_hash"]?.stringValue)

            let worker = try await fixture.startWorker()
            let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_mig1"))
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
            await worker.stop()
            #expect(detail.job.status == .succeeded, "\(detail.job)")
            let topHash = try #require(detail.job.topHash)
            #expect(topHash != upstreamTopHash)

            let report = try fixture.judgePackage(package, topHash: topHash)
            #expect(report["error"] == .null, "\(report)")
            let entries = report["entries"]?.arrayValue ?? []
            #expect(entries.allSatisfy { $0["hash_ok"] == .bool(true) }, "\(entries)")
            var byKey: [String: JSONValue] = [:]
            for entry in entries { if let key = entry["logical_key"]?.stringValue { byKey[key] = entry } }
            #expect(
                byKey["notes/added-in-catalog.txt"]?["physical_key"]?.stringValue == addedPhysicalKey,
                "the catalog-added file stays, pointing at the same object version")
            #expect(byKey["old-export.pdf"] == nil, "an export file the entry no longer has is dropped")
            #expect(byKey["input.json"] != nil && byKey["EXP00005555.html"]?["size"] != 11)
            #expect(report["user_meta"]?["canvas_id"] == "cnvs_upstream1", "canvas_id taken from the old entry.json")
            #expect(report["latest_top_hash"]?.stringValue == topHash)

            // The canvas the old entry.json named was updated (Updating…, then Updated), and with a valid body.
            let history = await sandbox.canvasHistory("cnvs_upstream1")
            #expect(history.first?.compactString().contains("Updating") == true, "\(history)")
            #expect(history.last?.compactString().contains("Updated at") == true, "\(history)")
            let openAPI = try await sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
        }
    }
}
