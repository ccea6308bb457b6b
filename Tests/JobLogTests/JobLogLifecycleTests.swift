import Foundation
import GRDB
import Testing

@testable import JobLog

@Suite("Job log: begin, finish, crash recovery", .timeLimit(.minutes(2)))
struct JobLogLifecycleTests {
    @Test("a fresh file gets every named migration, the indexes, and WAL; reopening changes nothing")
    func migratesFreshFile() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        let log = try fixture.open()
        try log.close()

        let reopened = try fixture.open()
        let (migrations, indexes, journal) = try await reopened.writer.read { db in
            (
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"),
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }
        #expect(migrations == ["create-attempt", "create-job", "create-step"])
        #expect(Set(indexes) == ["job_status_created", "job_created", "job_entry_created", "step_attempt"])
        #expect(journal == "wal")
        #expect(try await reopened.list().isEmpty)
    }

    @Test("connections opening one new file at the same moment all get the schema, none fails on a step another ran")
    func concurrentOpenersOfANewFile() async throws {
        for round in 0..<12 {
            let fixture = try JobLogFixture()
            defer { fixture.remove() }
            let opened = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let log = try fixture.open()
                        try log.close()
                        return 1
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(opened == 6, "round \(round)")
            let log = try fixture.open()
            defer { try? log.close() }
            let applied = try await log.writer.read { db in try JobLogSchema.migrator.appliedIdentifiers(db) }
            #expect(applied == ["create-job", "create-attempt", "create-step"], "round \(round)")
        }
    }

    @Test("a second delivery of a succeeded job is refused with the finished job")
    func alreadySucceeded() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        let log = try fixture.open()

        let first = try #require(
            try await log.begin(
                webhookId: "wh_1", entryId: "etr_1", eventType: "v2.entry.updated.fields", canvasId: nil,
                messageBody: #"{"a":1}"#
            ).started)
        #expect(first.job.status == .running)
        #expect(first.job.attempts == 1)
        #expect(first.attempt.number == 1)
        let finished = try await log.finish(
            attempt: first.attempt, status: .succeeded, package: "benchling/EXP-1", topHash: "abc")

        let second = try await log.begin(
            webhookId: "wh_1", entryId: "etr_1", eventType: "v2.entry.updated.fields", canvasId: nil,
            messageBody: #"{"a":1}"#)
        #expect(second == .alreadySucceeded(finished))
        #expect(finished.package == "benchling/EXP-1")
        #expect(finished.topHash == "abc")
        #expect(finished.finishedAt != nil)
        #expect(try await log.job(id: first.job.id)?.attempts.count == 1)
    }

    @Test("a skipped job also counts as done")
    func skippedIsDone() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        let log = try fixture.open()
        let first = try #require(
            try await log.begin(
                webhookId: "wh_s", entryId: nil, eventType: "v2.app.installed", canvasId: nil, messageBody: "{}"
            ).started)
        try await log.finish(attempt: first.attempt, status: .skipped)
        guard
            case .alreadySucceeded(let job) = try await log.begin(
                webhookId: "wh_s", entryId: nil, eventType: "v2.app.installed", canvasId: nil, messageBody: "{}")
        else { Issue.record("skipped job was started again"); return }
        #expect(job.status == .skipped)
    }

    @Test("a failed job is retried as attempt 2, and both attempts keep their outcome and steps")
    func attemptsCounted() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        let log = try fixture.open()

        let first = try #require(
            try await log.begin(
                webhookId: "wh_2", entryId: "etr_2", eventType: "v2.entry.created", canvasId: "cnvs_2",
                messageBody: "{}"
            ).started)
        let step = try await log.startStep(attemptId: first.attempt.id, name: "export")
        try await log.finishStep(stepId: step.id, outcome: .failed, detail: "HTTP 503")
        let failed = try await log.finish(attempt: first.attempt, status: .failed, error: "export failed: 503")
        #expect(failed.status == .failed)
        #expect(failed.error == "export failed: 503")

        fixture.clock.advance(by: 5)
        let second = try #require(
            try await log.begin(
                webhookId: "wh_2", entryId: "etr_2", eventType: "v2.entry.created", canvasId: "cnvs_2",
                messageBody: "{}"
            ).started)
        #expect(second.attempt.number == 2)
        #expect(second.job.attempts == 2)
        #expect(second.job.status == .running)
        #expect(second.job.finishedAt == nil)
        try await log.recordStep(
            attemptId: second.attempt.id, name: "export", startedAt: fixture.clock.now,
            finishedAt: fixture.clock.now, outcome: .succeeded, detail: "task_9")
        try await log.setDisplayId(jobId: second.job.id, "EXP-2")
        let done = try await log.finish(attempt: second.attempt, status: .succeeded, package: "p/EXP-2", topHash: "h")
        #expect(done.error == nil)
        #expect(done.displayId == "EXP-2")

        let detail = try #require(try await log.job(webhookId: "wh_2"))
        #expect(detail.job == done)
        #expect(detail.attempts.map(\.attempt.number) == [1, 2])
        #expect(detail.attempts.map(\.attempt.outcome) == [.failed, .succeeded])
        #expect(detail.attempts[0].attempt.error == "export failed: 503")
        #expect(detail.attempts[0].steps.map(\.detail) == ["HTTP 503"])
        #expect(detail.attempts[1].steps.map(\.outcome) == [.succeeded])
    }

    @Test("a job that began knowing only its canvas learns its entry, and keeps ids it already had")
    func canvasOnlyJobLearnsItsEntry() async throws {
        let log = try JobLogFixture().open()
        let started = try #require(
            try await log.begin(
                webhookId: "wh_c", entryId: nil, eventType: "v2.canvas.created", canvasId: "cnvs_9", messageBody: "{}"
            ).started)
        try await log.setDisplayId(jobId: started.job.id, "EXP-9", entryId: "etr_9", canvasId: "cnvs_other")
        let job = try #require(try await log.job(id: started.job.id)).job
        #expect(job.entryId == "etr_9")
        #expect(job.canvasId == "cnvs_9")
        #expect(job.displayId == "EXP-9")
        let listed = try await log.list(entryId: "etr_9")
        #expect(listed.map { $0.id } == [started.job.id])
    }

    @Test("a crash leaves the job running with its attempt open; the next begin abandons it and opens attempt 2")
    func crashRecovery() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        do {
            let log = try fixture.open()
            let started = try #require(
                try await log.begin(
                    webhookId: "wh_3", entryId: "etr_3", eventType: "v2.entry.updated.fields", canvasId: nil,
                    messageBody: "{}"
                ).started)
            _ = try await log.startStep(attemptId: started.attempt.id, name: "upload")
            try log.close()  // the process dies here: no finish
        }

        let reopened = try fixture.open()
        let afterCrash = try #require(try await reopened.job(webhookId: "wh_3"))
        #expect(afterCrash.job.status == .running)
        #expect(afterCrash.attempts.count == 1)
        #expect(afterCrash.attempts[0].attempt.finishedAt == nil)
        #expect(afterCrash.attempts[0].steps.map(\.name) == ["upload"])
        #expect(afterCrash.attempts[0].steps[0].finishedAt == nil)

        let retry = try #require(
            try await reopened.begin(
                webhookId: "wh_3", entryId: "etr_3", eventType: "v2.entry.updated.fields", canvasId: nil,
                messageBody: "{}"
            ).started)
        #expect(retry.attempt.number == 2)
        let detail = try #require(try await reopened.job(id: retry.job.id))
        #expect(detail.attempts[0].attempt.outcome == .abandoned)
        #expect(detail.attempts[0].attempt.finishedAt != nil)
        #expect(detail.attempts[1].attempt.finishedAt == nil)
    }

    @Test("two processes beginning the same delivery at once record one job")
    func concurrentBegin() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        let a = try fixture.open()
        let b = try fixture.open()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for log in [a, b, a, b] {
                group.addTask {
                    _ = try await log.begin(
                        webhookId: "wh_c", entryId: "etr_c", eventType: "e", canvasId: nil, messageBody: "{}")
                }
            }
            try await group.waitForAll()
        }
        let detail = try #require(try await a.job(webhookId: "wh_c"))
        #expect(detail.job.attempts == 4)
        #expect(detail.attempts.map(\.attempt.number) == [1, 2, 3, 4])
        #expect(detail.attempts.filter { $0.attempt.finishedAt == nil }.count == 1)
        #expect(try await a.list().count == 1)
    }

    @Test("finish refuses a status that does not end a job")
    func finishNeedsFinalStatus() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        let log = try fixture.open()
        let started = try #require(
            try await log.begin(
                webhookId: "wh_4", entryId: nil, eventType: "e", canvasId: nil, messageBody: "{}"
            ).started)
        await #expect(throws: JobLogError.notAFinalStatus(.running)) {
            try await log.finish(attempt: started.attempt, status: .running)
        }
    }
}
