import Foundation
import TestSupport
import Testing

@testable import JobLog

@Suite("Job log: list, latest, counts, prune", .timeLimit(.minutes(2)))
struct JobLogQueryTests {
    /// Records one finished job per (webhook, entry, status), one clock second apart, oldest first.
    func seed(_ log: JobLog, _ clock: TestClock, _ rows: [(String, String, JobStatus)]) async throws {
        for (webhook, entry, status) in rows {
            let started = try #require(
                try await log.begin(
                    webhookId: webhook, entryId: entry, eventType: "v2.entry.updated.fields", canvasId: nil,
                    messageBody: "{}"
                ).started)
            if status != .running {
                try await log.finish(attempt: started.attempt, status: status, topHash: "h-\(webhook)")
            }
            clock.advance(by: 1)
        }
    }

    @Test("list filters by status, entry and since, newest first, within the limit")
    func listFilters() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        let log = try fixture.open()
        let start = fixture.clock.now
        try await seed(
            log, fixture.clock,
            [
                ("w1", "e1", .succeeded), ("w2", "e1", .failed), ("w3", "e2", .failed),
                ("w4", "e2", .succeeded), ("w5", "e1", .failed), ("w6", "e3", .running),
            ])

        #expect(try await log.list().map(\.webhookId) == ["w6", "w5", "w4", "w3", "w2", "w1"])
        #expect(try await log.list(limit: 2).map(\.webhookId) == ["w6", "w5"])
        #expect(try await log.list(status: .failed).map(\.webhookId) == ["w5", "w3", "w2"])
        #expect(try await log.list(entryId: "e1").map(\.webhookId) == ["w5", "w2", "w1"])
        #expect(try await log.list(status: .failed, entryId: "e1").map(\.webhookId) == ["w5", "w2"])
        #expect(try await log.list(since: start.addingTimeInterval(3)).map(\.webhookId) == ["w6", "w5", "w4"])
        #expect(try await log.list(status: .failed, since: start.addingTimeInterval(3)).map(\.webhookId) == ["w5"])
        #expect(try await log.list(status: .deadLettered).isEmpty)
    }

    @Test("latestSucceeded picks the entry's most recently finished success")
    func latestSucceeded() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        let log = try fixture.open()
        try await seed(
            log, fixture.clock,
            [
                ("w1", "e1", .succeeded), ("w2", "e1", .succeeded), ("w3", "e1", .failed), ("w4", "e2", .succeeded),
            ])
        #expect(try await log.latestSucceeded(entryId: "e1")?.webhookId == "w2")
        #expect(try await log.latestSucceeded(entryId: "e1")?.topHash == "h-w2")
        #expect(try await log.latestSucceeded(entryId: "e9") == nil)
    }

    @Test("counts has every status")
    func counts() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        let log = try fixture.open()
        try await seed(
            log, fixture.clock,
            [
                ("w1", "e1", .succeeded), ("w2", "e1", .failed), ("w3", "e1", .failed), ("w4", "e2", .deadLettered),
                ("w5", "e2", .running),
            ])
        #expect(
            try await log.counts() == [
                .queued: 0, .running: 1, .succeeded: 1, .skipped: 0, .failed: 2, .deadLettered: 1,
            ])
    }

    @Test("prune deletes old finished jobs with their attempts and steps, and keeps open and recent ones")
    func prune() async throws {
        let fixture = try JobLogFixture()
        defer { fixture.remove() }
        let log = try fixture.open()
        let start = fixture.clock.now
        try await seed(log, fixture.clock, [("old-ok", "e1", .succeeded), ("old-open", "e1", .running)])
        let oldAttempt = try #require(try await log.job(webhookId: "old-ok")?.attempts.first?.attempt)
        try await log.recordStep(
            attemptId: oldAttempt.id, name: "canvas", startedAt: start, finishedAt: start, outcome: .succeeded)
        fixture.clock.advance(by: 100)
        try await seed(log, fixture.clock, [("new-ok", "e1", .succeeded)])

        let deleted = try await log.prune(olderThan: start.addingTimeInterval(50))
        #expect(deleted == 1)
        #expect(Set(try await log.list().map(\.webhookId)) == ["old-open", "new-ok"])
        #expect(try await log.job(webhookId: "old-ok") == nil)
        let orphans = try await log.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM attempt WHERE job_id NOT IN (SELECT id FROM job)"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM step WHERE attempt_id NOT IN (SELECT id FROM attempt)")
            )
        }
        #expect(orphans.0 == 0)
        #expect(orphans.1 == 0)
        #expect(try await log.prune(olderThan: start.addingTimeInterval(50)) == 0)
    }
}
