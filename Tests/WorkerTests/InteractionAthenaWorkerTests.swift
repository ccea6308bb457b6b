import Benchling
import BenchlingSandbox
import Config
import Foundation
import JSONCore
import Logging
import TestSupport
import Testing

@testable import Worker

/// A canvas press through the real worker (queue → pipeline → canvas) whose configuration names the Quilt stack's
/// Athena database and results bucket (no workgroup): the worker queries Athena in `primary` (moto, as the
/// worker's IAM user) for the linked packages, and says so once when it starts.
@Suite("Interaction: linked packages via Athena, through the worker", .serialized, .timeLimit(.minutes(10)))
struct InteractionAthenaWorkerTests {
    @Test("Back to Package lists the packages Athena found, with Browse buttons, in a schema-valid PATCH")
    func backPressQueriesAthena() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            let e = "etr_athena1", canvasId = "cnvs_athena1"
            await sandbox.addEntry(id: e, displayId: "EXP00007101", name: "Athena entry")
            await sandbox.addCanvas(id: canvasId, resourceId: e)
            var configuration = fixture.configuration
            configuration.athenaDatabase = "userathenadatabase-bq"
            configuration.athenaResultsBucket = "bq-test-athena-results"
            let log = CapturedLogs()
            let app = try await WorkerApplication.build(
                configuration: configuration, settings: fixture.settings(), environment: fixture.workerEnvironment,
                logger: log.logger())
            #expect(log.messages(containing: "linked packages are found").count == 1, "\(log.all.map(\.message))")
            #expect(
                log.messages(containing: "linked packages are found with Athena").count == 1,
                "\(log.all.map(\.message))")
            let worker = RunningWorker(app: app, task: Task { await app.run() })

            let body = try await MotoAthena.exclusive(fixture.environment) { control in
                try await control.queueResult(columns: ["pkg_name"], rows: [["lab/plate_7"], ["team/assay-1"]])
                let delivery = try await sandbox.pressButton(canvasId: canvasId, buttonId: "quilt:back:\(e)")
                let queued = try await fixture.enqueue(delivery)
                let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
                #expect(detail.job.status == .skipped, "\(detail.job)")
                let execution = try await InteractionAthenaLinkedTests.lastExecution(fixture.environment)
                #expect(execution["WorkGroup"]?.stringValue == "primary")
                #expect(
                    execution["ResultConfiguration"]?["OutputLocation"]?.stringValue?
                        .hasPrefix("s3://bq-test-athena-results/benchling-quilt/") == true, "\(execution)")
                return await sandbox.canvasHistory(canvasId).last
            }
            await worker.stop()

            let blocks = body?["blocks"]?.arrayValue ?? []
            let linked = blocks.first { $0["id"] == "quilt-linked" }?["value"]?.stringValue ?? ""
            #expect(linked.hasPrefix("**Linked packages** (metadata `experiment\\_id` = EXP00007101)"), "\(linked)")
            #expect(
                linked.contains(
                    "- [lab/plate\\_7](https://\(WorkerFixture.catalogHost)/b/\(fixture.bucket)/packages/lab/plate_7)"),
                "\(linked)")
            #expect(linked.contains("team/assay\\-1"), "\(linked)")
            let buttons = blocks.first { $0["id"] == "quilt-linked-actions" }?["children"]?.arrayValue ?? []
            #expect(
                buttons.compactMap { $0["id"]?.stringValue } == [
                    "quilt:linked:\(e):0:lab/plate_7", "quilt:linked:\(e):0:team/assay-1",
                ])
            #expect(await sandbox.canvas(canvasId)?.enabled == true)
            let openAPI = try await sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
        }
    }

    @Test("a database without workgroup or results bucket: the worker logs once why it reads manifests instead")
    func databaseAloneLogsTheFallbackOnce() async throws {
        try await withWorkerFixture { (fixture) async throws in
            var configuration = fixture.configuration
            configuration.athenaDatabase = "userathenadatabase-bq"
            configuration.athenaWorkgroup = nil
            configuration.athenaResultsBucket = nil
            let log = CapturedLogs()
            let app = try await WorkerApplication.build(
                configuration: configuration, settings: fixture.settings(), environment: fixture.workerEnvironment,
                logger: log.logger())
            await app.close()
            let said = log.all.filter { $0.message.contains("linked packages are found") }
            #expect(said.count == 1, "\(log.all.map(\.message))")
            #expect(said.first?.level == .notice)
            #expect(
                said.first?.message == "linked packages are found by reading manifests, not with Athena: the Quilt "
                    + "stack has UserAthenaDatabaseName but neither UserAthenaWorkgroupName nor AthenaResultsBucketName, so "
                    + "an Athena query would have no result location")
        }
    }
}
