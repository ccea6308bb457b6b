import BenchlingSandbox
import Foundation
import JSONCore
import JobLog
import TestSupport
import Testing
import Worker

/// Transient faults are ridden out; permanent ones dead-letter at once with the reason, and the canvas says so
/// (and stays enabled). Real worker, moto, sandbox.
@Suite("Worker failure handling", .serialized, .timeLimit(.minutes(10)))
struct FailureHandlingTests {
    @Test("429s, 5xx and a slow export still produce the package")
    func transientFaultsStillSucceed() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            var entry = SandboxEntry(id: "etr_flaky1", displayId: "EXP00002001", name: "Flaky tenant")
            entry.runningPolls = 6
            await sandbox.addEntry(entry)
            await sandbox.inject(.rateLimited(reset: "1"), count: 2, route: .getEntry)
            await sandbox.inject(.status(503), count: 2, route: .task)
            await sandbox.inject(.status(502), count: 1, route: .download)
            await sandbox.inject(.delay(.seconds(1)), count: 1, route: .export)

            let worker = try await fixture.startWorker()
            let queued = try await fixture.enqueue(SandboxMessage.entryCreated(entryId: "etr_flaky1"))
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
            let rateLimited = worker.app.metrics.exposition()
            await worker.stop()

            #expect(detail.job.status == .succeeded, "\(detail.job)")
            #expect(detail.attempts.count == 1, "retried inside the attempt, not by redelivery")
            #expect(await sandbox.counters().taskPolls >= 6)
            let report = try fixture.judgePackage(
                try #require(detail.job.package), topHash: try #require(detail.job.topHash))
            #expect(report["error"] == .null, "\(report)")
            #expect(report["top_hash"]?.stringValue == detail.job.topHash)
            #expect(rateLimited.contains("worker_benchling_rate_limited_total 2"), "\(rateLimited)")
        }
    }

    @Test("a FAILED export is dead-lettered at once with the reason in the job log and on the canvas")
    func failedExportIsDeadLettered() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            var entry = SandboxEntry(id: "etr_fail1", displayId: "EXP00002002", name: "Cannot export")
            entry.exportOutcome = .fail(message: "Export quota exceeded")
            await sandbox.addEntry(entry)
            await sandbox.addCanvas(id: "cnvs_fail1", resourceId: "etr_fail1")

            let worker = try await fixture.startWorker()
            let press = try await sandbox.pressButton(canvasId: "cnvs_fail1", buttonId: "quilt:update:etr_fail1")
            let queued = try await fixture.enqueue(press)
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
            await worker.stop()

            #expect(detail.job.status == .deadLettered, "\(detail.job)")
            #expect(
                detail.job.error?.contains("Export quota exceeded") == true, "\(String(describing: detail.job.error))")
            #expect(detail.attempts.count == 1, "permanent: no retries")
            let letters = try await fixture.deadLetters()
            #expect(letters.count == 1)
            #expect(
                letters.first?.messageAttributes["failure_reason"]?.contains("Export quota exceeded") == true,
                "\(String(describing: letters.first?.messageAttributes))")
            let canvas = try #require(await sandbox.canvas("cnvs_fail1"))
            #expect(canvas.enabled)
            #expect(canvas.json.compactString().contains("Export quota exceeded"))
            let openAPI = try await sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
        }
    }

    @Test("a button press on an entry the app cannot read re-enables the canvas with the reason")
    func unreadableEntryStillReenablesTheCanvas() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            var entry = SandboxEntry(id: "etr_noaccess1", displayId: "EXP00002004", name: "Not shared with the app")
            entry.access = .forbidden
            await sandbox.addEntry(entry)
            await sandbox.addCanvas(id: "cnvs_noaccess1", resourceId: "etr_noaccess1")

            let worker = try await fixture.startWorker()
            let press = try await sandbox.pressButton(
                canvasId: "cnvs_noaccess1", buttonId: "quilt:update:etr_noaccess1")
            #expect(await sandbox.canvas("cnvs_noaccess1")?.enabled == false, "Benchling disables a canvas on a press")
            let queued = try await fixture.enqueue(press)
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
            await worker.stop()

            #expect(detail.job.status == .deadLettered, "\(detail.job)")
            let canvas = try #require(await sandbox.canvas("cnvs_noaccess1"))
            #expect(canvas.enabled)
            let history = await sandbox.canvasHistory("cnvs_noaccess1")
            #expect(history.count == 1)
            let text = canvas.json.compactString()
            #expect(text.contains("❌"), "\(text)")
            #expect(text.contains("quilt:update:etr_noaccess1"), "the Update button is offered again: \(text)")
            let openAPI = try await sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
        }
    }

    @Test("an export with a zip-slip member is refused (permanent, dead-lettered) and nothing is written")
    func zipSlipIsRefused() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            var entry = SandboxEntry(id: "etr_slip1", displayId: "EXP00002003", name: "Hostile export")
            entry.exportFiles = [.text("report.html", "<p>ok</p>"), .text("../../evil.txt", "gotcha")]
            await sandbox.addEntry(entry)

            let worker = try await fixture.startWorker()
            let queued = try await fixture.enqueue(SandboxMessage.entryCreated(entryId: "etr_slip1"))
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
            let latest = try await worker.app.registry.latestTopHash(
                of: .init(prefix: "benchling", name: "EXP00002003"))
            await worker.stop()

            #expect(detail.job.status == .deadLettered, "\(detail.job)")
            #expect(detail.job.error?.contains("unsafe member path") == true, "\(String(describing: detail.job.error))")
            #expect(latest == nil, "no package was written")
            let letters = try await fixture.deadLetters()
            #expect(letters.first?.messageAttributes["failure_reason"]?.contains("evil.txt") == true)
        }
    }

    @Test("a worker stopped mid-export and restarted finishes the job exactly once")
    func restartMidExportFinishesOnce() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            var entry = SandboxEntry(id: "etr_restart1", displayId: "EXP00002004", name: "Long export")
            entry.runningPolls = 1_000_000
            await sandbox.addEntry(entry)

            let first = try await fixture.startWorker()
            let queued = try await fixture.enqueue(SandboxMessage.entryCreated(entryId: "etr_restart1"))
            // Wait until the export is being polled, then tear the worker down.
            #expect(try await eventually(every: .milliseconds(50)) { await sandbox.counters().taskPolls >= 2 })
            await first.cancel()
            await sandbox.updateEntry("etr_restart1") { $0.runningPolls = 1 }

            let second = try await fixture.startWorker()
            let detail = try await fixture.waitForJob(second.app.jobLog, webhookId: queued.webhookId) {
                $0.status.isFinishedSuccessfully
            }
            await second.stop()

            #expect(detail.job.status == .succeeded, "\(detail.job)")
            #expect(detail.attempts.count == 2, "\(detail.attempts.map(\.attempt))")
            #expect(detail.attempts.first?.attempt.outcome != .succeeded)
            let report = try fixture.judgePackage(
                try #require(detail.job.package), topHash: try #require(detail.job.topHash))
            #expect(report["error"] == .null, "\(report)")
            #expect(
                try await fixture.revisions(of: try #require(detail.job.package)).count == 1, "exactly one revision")
        }
    }
}
