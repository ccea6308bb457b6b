import Foundation
import GRDB
import Testing

@testable import JobLog

@Suite("Job log: on any GRDB database writer", .timeLimit(.minutes(1)))
struct JobLogWriterTests {
    @Test("an in-memory queue gets the schema and keeps a job's whole story, with no file and no lease")
    func inMemoryQueue() async throws {
        let log = try JobLog(DatabaseQueue())
        defer { try? log.close() }
        #expect(log.lease == nil)
        let started = try #require(
            try await log.begin(
                webhookId: "wh_m", entryId: "etr_m", eventType: "v2.entry.created", canvasId: nil, messageBody: "{}"
            ).started)
        let step = try await log.startStep(attemptId: started.attempt.id, name: "export")
        try await log.finishStep(stepId: step.id, outcome: .succeeded)
        try await log.finish(attempt: started.attempt, status: .succeeded, package: "benchling/EXP-1", topHash: "abc")

        let detail = try #require(try await log.job(webhookId: "wh_m"))
        #expect(detail.job.status == .succeeded)
        #expect(detail.attempts.map { $0.steps.map(\.name) } == [["export"]])
        #expect(try await log.list(entryId: "etr_m").map(\.webhookId) == ["wh_m"])
        #expect(try await log.latestSucceeded(entryId: "etr_m")?.package == "benchling/EXP-1")
        let applied = try await log.writer.read { db in try JobLogSchema.migrator.appliedIdentifiers(db) }
        #expect(applied == ["create-job", "create-attempt", "create-step"])
    }
}
