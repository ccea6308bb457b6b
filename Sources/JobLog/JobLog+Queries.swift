import Foundation
import GRDB

extension JobLog {
    /// A job with its attempts and steps (what `show <id>` prints).
    public func job(id: Int64) async throws -> JobDetail? {
        try await pool.read { db in
            guard let job = try Job.fetchOne(db, key: id) else { return nil }
            return try Self.detail(of: job, db)
        }
    }

    /// The job recorded for a webhook delivery, with its attempts and steps.
    public func job(webhookId: String) async throws -> JobDetail? {
        try await pool.read { db in
            guard let job = try Job.filter(Column("webhook_id") == webhookId).fetchOne(db) else { return nil }
            return try Self.detail(of: job, db)
        }
    }

    /// Jobs newest first, optionally only one status, one entry, or those created at or after `since`.
    public func list(
        status: JobStatus? = nil, entryId: String? = nil, since: Date? = nil, limit: Int = 50
    ) async throws -> [Job] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let status {
            conditions.append("status = ?")
            arguments += [status.rawValue]
        }
        if let entryId {
            conditions.append("entry_id = ?")
            arguments += [entryId]
        }
        if let since {
            conditions.append("created_at >= ?")
            arguments += [since]
        }
        arguments += [max(0, limit)]
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM job \(filter) ORDER BY created_at DESC, id DESC LIMIT ?"
        let bound = arguments
        return try await pool.read { db in try Job.fetchAll(db, sql: sql, arguments: bound) }
    }

    /// The most recently finished successful job of an entry: where its current package revision came from.
    public func latestSucceeded(entryId: String) async throws -> Job? {
        try await pool.read { db in
            try Job.fetchOne(
                db,
                sql: """
                    SELECT * FROM job WHERE entry_id = ? AND status = ?
                    ORDER BY finished_at DESC, id DESC LIMIT 1
                    """,
                arguments: [entryId, JobStatus.succeeded.rawValue])
        }
    }

    /// Deletes finished jobs (with their attempts and steps) created before `date`. Open jobs are kept, so a
    /// long-running or crashed job is never forgotten. Dead-lettered jobs are kept too while their message may
    /// still be replayed: all of them when `stillDeadLettered` is nil (the dead-letter queue could not be read),
    /// else those whose webhook id it holds. Returns the number of jobs deleted.
    @discardableResult
    public func prune(olderThan date: Date, keepingDeadLettered stillDeadLettered: Set<String>? = nil) async throws -> Int {
        let kept = [JobStatus.queued.rawValue, JobStatus.running.rawValue]
            + (stillDeadLettered == nil ? [JobStatus.deadLettered.rawValue] : [])
        let replayable = Array(stillDeadLettered ?? [])
        var arguments: StatementArguments = [date]
        arguments += StatementArguments(kept)
        arguments += [JobStatus.deadLettered.rawValue]
        let bound = arguments
        return try await writeImmediately { db in
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS prune_keep (webhook_id TEXT PRIMARY KEY)")
            try db.execute(sql: "DELETE FROM temp.prune_keep")
            for id in replayable {
                try db.execute(sql: "INSERT OR IGNORE INTO temp.prune_keep VALUES (?)", arguments: [id])
            }
            let placeholders = Array(repeating: "?", count: kept.count).joined(separator: ", ")
            try db.execute(
                sql: """
                    DELETE FROM job WHERE created_at < ? AND status NOT IN (\(placeholders))
                    AND NOT (status = ? AND webhook_id IN (SELECT webhook_id FROM temp.prune_keep))
                    """,
                arguments: bound)
            return db.changesCount
        }
    }

    /// Number of jobs per status; statuses without jobs are present with 0.
    public func counts() async throws -> [JobStatus: Int] {
        try await pool.read { db in
            var counts = Dictionary(uniqueKeysWithValues: JobStatus.allCases.map { ($0, 0) })
            let rows = try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM job GROUP BY status")
            for row in rows {
                if let status = JobStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    static func detail(of job: Job, _ db: Database) throws -> JobDetail {
        let attempts = try Attempt.fetchAll(
            db, sql: "SELECT * FROM attempt WHERE job_id = ? ORDER BY number", arguments: [job.id])
        let steps = try Step.fetchAll(
            db,
            sql: """
                SELECT step.* FROM step JOIN attempt ON attempt.id = step.attempt_id
                WHERE attempt.job_id = ? ORDER BY step.id
                """,
            arguments: [job.id])
        let stepsByAttempt = Dictionary(grouping: steps, by: \.attemptId)
        return JobDetail(
            job: job,
            attempts: attempts.map { AttemptDetail(attempt: $0, steps: stepsByAttempt[$0.id] ?? []) })
    }
}
