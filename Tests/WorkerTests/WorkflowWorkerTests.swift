import AWSServices
import BenchlingSandbox
import Foundation
import JSONCore
import Quilt
import TestSupport
import Testing
import Worker

/// A bucket with a Quilt workflows config (versioned, on moto, the worker signing with its template policy): a
/// package that passes is published under the default workflow with the header quilt3 computes for it; one whose
/// metadata breaks the schema is not published, and the job and the canvas say why.
@Suite("Worker: Quilt workflows", .serialized, .timeLimit(.minutes(5)))
struct WorkflowWorkerTests {
    static func config(bucket: String) -> String {
        """
        version: "1.1.0"
        default_workflow: benchling
        workflows:
          benchling:
            name: Benchling entry
            handle_pattern: ^benchling/EXP
            metadata_schema: entry
            is_message_required: true
        schemas:
          entry: {url: s3://\(bucket)/.quilt/workflows/entry.schema.json}
        """
    }

    static let schema = """
        {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
         "required": ["entry_id", "display_id", "name", "creator", "files"],
         "properties": {"display_id": {"type": "string", "pattern": "^EXP"}, "name": {"type": "string", "maxLength": 40},
                        "authors": {"type": "array", "items": {"type": "string"}}}}
        """

    @Test("valid package: published with quilt3's workflow header; invalid metadata: not published, the job says why")
    func workflowIsHonoured() async throws {
        try await withWorkerFixture(versionedBucket: true) { (fixture) async throws in
            let sandbox = fixture.sandbox
            let admin = S3(client: fixture.adminAWS)
            let configPut = try await admin.putObject(
                bucket: fixture.bucket, key: ".quilt/workflows/config.yml",
                body: Data(Self.config(bucket: fixture.bucket).utf8),
                contentType: "application/yaml")
            let schemaPut = try await admin.putObject(
                bucket: fixture.bucket, key: ".quilt/workflows/entry.schema.json", body: Data(Self.schema.utf8),
                contentType: "application/json")
            let configVersion = try #require(configPut.versionId)
            let schemaVersion = try #require(schemaPut.versionId)

            await sandbox.addEntry(id: "etr_wf1", displayId: "EXP00007001", name: "Short name")
            await sandbox.addCanvas(id: "cnvs_wf1", resourceId: "etr_wf1")
            await sandbox.addEntry(
                id: "etr_wf2", displayId: "EXP00007002", name: "A name far too long for this lab's metadata rules")
            await sandbox.addCanvas(id: "cnvs_wf2", resourceId: "etr_wf2")

            let worker = try await fixture.startWorker()
            let good = try await fixture.enqueue(
                try await sandbox.pressButton(canvasId: "cnvs_wf1", buttonId: "quilt:update:etr_wf1"))
            let bad = try await fixture.enqueue(
                try await sandbox.pressButton(canvasId: "cnvs_wf2", buttonId: "quilt:update:etr_wf2"))
            let published = try await fixture.waitForJob(worker.app.jobLog, webhookId: good.webhookId)
            let refused = try await fixture.waitForJob(worker.app.jobLog, webhookId: bad.webhookId)
            await worker.stop()

            // Published, with the header quilt3 records: the config and schema URLs at the versions that were read.
            #expect(published.job.status == .succeeded, "\(published.job)")
            let topHash = try #require(published.job.topHash)
            let registry = S3Registry(s3: admin, bucket: fixture.bucket)
            let manifest = try await registry.readManifest(topHash: topHash)
            let expected: JSONObject = [
                "id": "benchling",
                "config": .string("s3://\(fixture.bucket)/.quilt/workflows/config.yml?versionId=\(configVersion)"),
                "schemas": [
                    "entry": .string(
                        "s3://\(fixture.bucket)/.quilt/workflows/entry.schema.json?versionId=\(schemaVersion)")
                ],
            ]
            #expect(manifest.header.workflow == expected)
            #expect(manifest.header.json.keys == ["version", "user_meta", "workflow", "message"])

            // quilt3 reads and verifies it (top hash over the header, re-serialised bytes, every entry's hash) ...
            let report = try fixture.judgePackage("benchling/EXP00007001", topHash: topHash)
            #expect(report["error"] == .null, "\(report)")
            #expect(report["top_hash"]?.stringValue == topHash)
            #expect(report["dump_matches"] == true, "\(report)")
            // ... and validating the published package under the bucket's workflows, quilt3 records the same header.
            let quilt3 = try Self.quilt3Validate(fixture, package: "benchling/EXP00007001", topHash: topHash)
            #expect(quilt3["error"] == .null, "\(quilt3)")
            #expect(quilt3["workflow"] == .object(expected), "\(quilt3)")

            // Refused: nothing written for that package, the job dead-lettered with the rule, the canvas says why.
            #expect(refused.job.status == .deadLettered, "\(refused.job)")
            let error = refused.job.error ?? ""
            #expect(error.contains("metadata does not match schema 'entry' at $.name"), "\(error)")
            #expect(refused.attempts.count == 1, "permanent: no retries")
            #expect(try await registry.latestTopHash(of: PackageName("benchling/EXP00007002")) == nil)
            #expect(try await fixture.revisions(of: "benchling/EXP00007002").isEmpty)
            let canvas = try #require(await sandbox.canvas("cnvs_wf2"))
            #expect(canvas.enabled)
            let text = canvas.json.compactString()
            #expect(text.contains("not published") && text.contains("does not match schema"), "\(text)")
            let openAPI = try await sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
        }
    }

    static func quilt3Validate(_ fixture: WorkerFixture, package: String, topHash: String) throws -> JSONValue {
        let request: JSONValue = [
            "cases": [
                [
                    "registry": .string("s3://\(fixture.bucket)"), "name": .string(package),
                    "top_hash": .string(topHash),
                    "workflow": ["default": true],
                ]
            ]
        ]
        let result = try PythonJudge(fixture.environment).run(
            "quilt_workflow.py", input: request.compactData(),
            env: fixture.environment.pythonEnvironment(credentials: fixture.environment.admin))
        guard result.status == 0, let answer = try JSONValue.parse(result.stdout)["cases"]?[0] else {
            throw FixtureError("quilt_workflow.py failed (\(result.status)): \(result.stderr)")
        }
        return answer
    }
}
