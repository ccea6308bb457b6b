import BenchlingSandbox
import Foundation
import JSONCore
import JobLog
import TestSupport
import Testing
import Worker

/// Canvases follow revisions made elsewhere: Quilt's `package-revision` events (the SQS body is the EventBridge
/// envelope) on the package-event queue. Real worker with the template's task-role policy on moto, packages written
/// by quilt3, the Benchling sandbox judging every canvas PATCH against the OpenAPI spec.
@Suite("Worker: Quilt package events", .serialized, .timeLimit(.minutes(10)))
struct PackageEventTests {
    /// The entry, its canvas and its package as the Python service (or an earlier job) left them: `entry.json`
    /// (= `user_meta`) naming the entry and the canvas.
    struct World {
        let fixture: WorkerFixture
        let events: (queue: String, deadLetter: String)
        let entryId: String
        let displayId: String
        let canvasId: String
        var package: String { "\(WorkerFixture.pkgPrefix)/\(displayId)" }

        static func make(_ suffix: String) async throws -> World {
            let fixture = try await WorkerFixture.make()
            let events = try await fixture.createPackageEventQueue()
            let world = World(
                fixture: fixture, events: events, entryId: "etr_ev\(suffix)", displayId: "EXP0000\(suffix)",
                canvasId: "cnvs_ev\(suffix)")
            await fixture.sandbox.addEntry(id: world.entryId, displayId: world.displayId, name: "Followed \(suffix)")
            await fixture.sandbox.addCanvas(id: world.canvasId, resourceId: world.entryId)
            return world
        }

        /// A revision of the entry's own package written outside the worker (catalog, quilt3).
        @discardableResult
        func reviseOwnPackage(note: String = "v1") throws -> String {
            let meta: JSONValue = [
                "package_name": .string(package), "entry_id": .string(entryId), "display_id": .string(displayId),
                "canvas_id": .string(canvasId), "files": [:], "links": [],
            ]
            return try fixture.pushWithQuilt3(package, meta: meta, files: ["notes.txt": note])
        }

        func startWorker() async throws -> RunningWorker {
            try await fixture.startWorker(settings: fixture.settings(packageEvents: events.queue))
        }

        func shutdown() async { await fixture.shutdown() }

        /// Runs `body` with a fresh world and awaits its shutdown afterwards, also when `body` throws.
        static func with<Result>(_ suffix: String, _ body: (World) async throws -> Result) async throws -> Result {
            try await withShutdown(of: make(suffix), by: { await $0.shutdown() }, body)
        }

        /// The markdown of block `id` in a PATCH body.
        static func markdown(_ body: JSONValue, _ id: String) -> String? {
            body["blocks"]?.arrayValue?.first { $0["id"]?.stringValue == id }?["value"]?.stringValue
        }
    }

    @Test("an event for our package refreshes the canvas its entry.json names, with that revision")
    func ownPackageRefreshesItsCanvas() async throws {
        try await World.with("8001") { (world) async throws in
            let fixture = world.fixture
            let topHash = try world.reviseOwnPackage()
            let worker = try await world.startWorker()
            let eventId = try await fixture.sendPackageEvent(
                handle: world.package, topHash: topHash, to: world.events.queue)
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: "package-revision:\(eventId)")
            #expect(
                try await eventually(timeout: .seconds(30)) {
                    try await fixture.pendingMessages(world.events.queue) == 0
                })
            await worker.stop()

            #expect(detail.job.status == .succeeded, "\(detail.job)")
            #expect(detail.job.eventType == "package-revision")
            #expect(detail.job.entryId == world.entryId && detail.job.canvasId == world.canvasId)
            #expect(detail.job.displayId == world.displayId)
            #expect(detail.job.package == world.package && detail.job.topHash == topHash)
            #expect(detail.attempts.last?.steps.map(\.name) == [PipelineStep.getEntry, .canvasRefresh].map(\.rawValue))

            let history = await fixture.sandbox.canvasHistory(world.canvasId)
            #expect(history.count == 1, "\(history)")
            let body = try #require(history.last)
            #expect(body["enabled"] == .bool(true))
            #expect(World.markdown(body, "quilt-summary")?.contains(world.displayId) == true, "\(body)")
            let status = try #require(World.markdown(body, "quilt-status"), "\(body)")
            #expect(status.contains("Updated at") && status.contains("revision `\(topHash.prefix(12))`"), "\(status)")
            let openAPI = try await fixture.sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
            #expect(try await fixture.deadLetters().isEmpty)
        }
    }

    @Test("a user's package tagged with the entry's display id refreshes that entry's canvas, which lists it")
    func taggedUserPackageRefreshesTheEntry() async throws {
        try await World.with("8002") { (world) async throws in
            let fixture = world.fixture
            try world.reviseOwnPackage()
            let userTopHash = try fixture.pushWithQuilt3(
                "team/assay-9", meta: ["experiment_id": .string(world.displayId), "owner": "alice"])
            let worker = try await world.startWorker()
            let eventId = try await fixture.sendPackageEvent(
                handle: "team/assay-9", topHash: userTopHash, to: world.events.queue)
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: "package-revision:\(eventId)")
            await worker.stop()

            #expect(detail.job.status == .succeeded, "\(detail.job)")
            #expect(detail.job.entryId == world.entryId && detail.job.canvasId == world.canvasId)
            #expect(detail.job.package == "team/assay-9" && detail.job.topHash == userTopHash)
            let history = await fixture.sandbox.canvasHistory(world.canvasId)
            #expect(history.count == 1, "\(history)")
            let body = try #require(history.last)
            #expect(World.markdown(body, "quilt-summary")?.contains(world.displayId) == true, "\(body)")
            let linked = try #require(World.markdown(body, "quilt-linked"), "\(body)")
            #expect(linked.contains("[team/assay\\-9]("), "\(linked)")
            let openAPI = try await fixture.sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
        }
    }

    @Test("other buckets, untagged packages of other prefixes, stale top hashes: deleted, no canvas call, no job")
    func unrelatedEventsAreIgnored() async throws {
        try await World.with("8003") { (world) async throws in
            let fixture = world.fixture
            let first = try world.reviseOwnPackage(note: "v1")
            let second = try world.reviseOwnPackage(note: "v2")
            #expect(first != second)
            let untagged = try fixture.pushWithQuilt3("team/untagged", meta: ["owner": "bob"])
            let elsewhere = try fixture.pushWithQuilt3("team/elsewhere", meta: ["experiment_id": "EXP09999999"])
            let worker = try await world.startWorker()
            let queue = world.events.queue
            try await fixture.sendPackageEvent(
                handle: world.package, topHash: second, bucket: "bq-test-another-bucket", to: queue)
            try await fixture.sendPackageEvent(handle: "team/untagged", topHash: untagged, to: queue)
            // Stale: the second revision is the latest.
            try await fixture.sendPackageEvent(handle: world.package, topHash: first, to: queue)
            // Names no entry of ours.
            try await fixture.sendPackageEvent(handle: "team/elsewhere", topHash: elsewhere, to: queue)
            let settled = try await eventually(timeout: .seconds(60)) {
                let metrics = worker.app.metrics.exposition()
                return ["ignored_bucket", "ignored_prefix", "ignored_stale", "ignored_no_entry"].allSatisfy {
                    metrics.contains(#"outcome="\#($0)"} 1"#)
                }
            }
            let metrics = worker.app.metrics.exposition()
            #expect(try await eventually(timeout: .seconds(30)) { try await fixture.pendingMessages(queue) == 0 })
            let jobs = try await worker.app.jobLog.list(limit: 10)
            await worker.stop()

            #expect(settled, "\(metrics)")
            #expect(await fixture.sandbox.canvasHistory(world.canvasId).isEmpty)
            #expect(await fixture.sandbox.counters().canvasUpdates == 0)
            #expect(jobs.isEmpty, "ignored events are not jobs: \(jobs)")
            #expect(try await fixture.pendingMessages(world.events.deadLetter) == 0)
        }
    }

    @Test("an event put on EventBridge reaches the worker through the template's rule; another bucket's never arrives")
    func eventBridgeRoutesThroughTheTemplateRule() async throws {
        try await World.with("8005") { (world) async throws in
            let fixture = world.fixture
            let topHash = try world.reviseOwnPackage()
            let rules = try TemplateEventRules.load(fixture.environment, substitutions: ["UserBucket": fixture.bucket])
            let pattern = try #require(rules["PackageEventRule"], "\(rules)")
            let admin = fixture.adminAWS
            let rule = fixture.environment.uniqueName("rule")
            _ = try await admin.jsonRequest(
                service: "events", target: "AWSEvents.PutRule",
                body: [
                    "Name": .string(rule), "EventPattern": .string(pattern.compactString()), "State": "ENABLED",
                ])
            let queueArn = try #require(
                try await fixture.adminSQS.getQueueAttributes(queueURL: world.events.queue, names: ["QueueArn"])[
                    "QueueArn"])
            _ = try await admin.jsonRequest(
                service: "events", target: "AWSEvents.PutTargets",
                body: [
                    "Rule": .string(rule), "Targets": [["Id": "package-event-queue", "Arn": .string(queueArn)]],
                ])
            // What Quilt's pkgevents lambda puts on the default bus.
            func put(bucket: String) async throws {
                let detail: JSONValue = [
                    "version": "0.1", "type": "created", "bucket": .string(bucket), "handle": .string(world.package),
                    "topHash": .string(topHash),
                ]
                let answer = try await admin.jsonRequest(
                    service: "events", target: "AWSEvents.PutEvents",
                    body: [
                        "Entries": [
                            [
                                "Source": "com.quiltdata", "DetailType": "package-revision",
                                "Detail": .string(detail.compactString()),
                            ]
                        ]
                    ])
                #expect(answer["FailedEntryCount"]?.intValue == 0, "\(answer)")
            }
            try await put(bucket: "bq-test-another-bucket")
            #expect(
                try await fixture.pendingMessages(world.events.queue) == 0, "the rule matches only the stack's bucket")
            try await put(bucket: fixture.bucket)
            #expect(try await fixture.pendingMessages(world.events.queue) == 1)

            let worker = try await world.startWorker()
            var refreshed: Job?
            let finished = try await eventually(timeout: .seconds(60)) {
                refreshed = try await worker.app.jobLog.list(limit: 10).first {
                    $0.eventType == "package-revision" && $0.status.isTerminal
                }
                return refreshed != nil
            }
            await worker.stop()
            #expect(finished)
            #expect(refreshed?.status == .succeeded, "\(String(describing: refreshed))")
            #expect(refreshed?.canvasId == world.canvasId && refreshed?.topHash == topHash)
            let history = await fixture.sandbox.canvasHistory(world.canvasId)
            #expect(history.count == 1, "\(history)")
            #expect(
                history.last.flatMap { World.markdown($0, "quilt-status") }?.contains(
                    "revision `\(topHash.prefix(12))`") == true)
        }
    }

    @Test("a body that is not a package-revision envelope is dead-lettered with the reason")
    func undecodableEnvelopeIsDeadLettered() async throws {
        try await World.with("8004") { (world) async throws in
            let fixture = world.fixture
            let worker = try await world.startWorker()
            _ = try await fixture.adminSQS.sendMessage(queueURL: world.events.queue, body: "not json at all")
            _ = try await fixture.adminSQS.sendMessage(
                queueURL: world.events.queue,
                body:
                    #"{"source":"com.quiltdata","detail-type":"package-revision","detail":{"bucket":7,"handle":"a/b"}}"#
            )
            #expect(
                try await eventually(timeout: .seconds(60)) {
                    try await fixture.pendingMessages(world.events.deadLetter) == 2
                })
            #expect(
                try await eventually(timeout: .seconds(30)) {
                    try await fixture.pendingMessages(world.events.queue) == 0
                })
            await worker.stop()

            let letters = try await fixture.adminSQS.receiveMessages(
                queueURL: world.events.deadLetter, maxNumber: 10, waitTimeSeconds: 1, visibilityTimeout: 1)
            let reasons = letters.compactMap { $0.messageAttributes["failure_reason"] }.sorted()
            #expect(reasons.count == 2, "\(letters)")
            #expect(reasons.contains { $0.contains("body is not JSON") }, "\(reasons)")
            #expect(
                reasons.contains {
                    $0.contains("detail.bucket is missing or empty") || $0.contains("bucket is not a string")
                },
                "\(reasons)")
            #expect(await fixture.sandbox.counters().canvasUpdates == 0)
        }
    }
}
