import Foundation
import GRDB

extension JobLog {
    /// Opens a step, so a step that hangs or crashes is visible as started-but-unfinished.
    public func startStep(attemptId: Int64, name: String) async throws -> Step {
        let now = clock()
        return try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO step (attempt_id, name, started_at) VALUES (?, ?, ?)",
                arguments: [attemptId, name, now])
            guard let step = try Step.fetchOne(db, key: db.lastInsertedRowID) else {
                throw JobLogError.notFound("step")
            }
            return step
        }
    }

    /// Closes a step opened with `startStep`.
    @discardableResult
    public func finishStep(stepId: Int64, outcome: StepOutcome, detail: String? = nil) async throws -> Step {
        let now = clock()
        return try await writer.write { db in
            try db.execute(
                sql: "UPDATE step SET finished_at = ?, outcome = ?, detail = coalesce(?, detail) WHERE id = ?",
                arguments: [now, outcome.rawValue, detail, stepId])
            guard let step = try Step.fetchOne(db, key: stepId) else { throw JobLogError.notFound("step \(stepId)") }
            return step
        }
    }

    /// Records a step that already ran, in one write.
    @discardableResult
    public func recordStep(
        attemptId: Int64, name: String, startedAt: Date, finishedAt: Date, outcome: StepOutcome, detail: String? = nil
    ) async throws -> Step {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO step (attempt_id, name, started_at, finished_at, outcome, detail)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [attemptId, name, startedAt, finishedAt, outcome.rawValue, detail])
            guard let step = try Step.fetchOne(db, key: db.lastInsertedRowID) else {
                throw JobLogError.notFound("step")
            }
            return step
        }
    }
}
