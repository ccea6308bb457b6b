import Foundation
import GRDB

extension JobLog {
    /// A job with its attempts and steps (what `show <id>` prints).
    public func job(id: Int64) async throws -> JobDetail? {
        try await writer.read { db in
            guard let job = try Job.fetchOne(db, key: id) else { return nil }
            return try Self.detail(of: job, db)
        }
    }

    /// The job recorded for a webhook delivery, with its attempts and steps.
    public func job(webhookId: String) async throws -> JobDetail? {
        try await writer.read { db in
            guard let job = try Job.filter(Job.Columns.webhookId == webhookId).fetchOne(db) else { return nil }
            return try Self.detail(of: job, db)
        }
    }

    /// Jobs newest first, optionally only one status, one entry, or those created at or after `since`.
    public func list(
        status: JobStatus? = nil, entryId: String? = nil, since: Date? = nil, limit: Int = 50
    ) async throws -> [Job] {
        try await writer.read { db in
            var request = Job.all()
            if let status { request = request.filter(Job.Columns.status == status.rawValue) }
            if let entryId { request = request.filter(Job.Columns.entryId == entryId) }
            if let since { request = request.filter(Job.Columns.createdAt >= since) }
            return try request.order(Job.Columns.createdAt.desc, Job.Columns.id.desc).limit(max(0, limit)).fetchAll(db)
        }
    }

    /// The most recently finished successful job of an entry: where its current package revision came from.
    public func latestSucceeded(entryId: String) async throws -> Job? {
        try await writer.read { db in
            try Job.filter(Job.Columns.entryId == entryId && Job.Columns.status == JobStatus.succeeded.rawValue)
                .order(Job.Columns.finishedAt.desc, Job.Columns.id.desc)
                .fetchOne(db)
        }
    }

    /// Deletes finished jobs (with their attempts and steps) created before `date`. Open jobs are kept, so a
    /// long-running or crashed job is never forgotten. Dead-lettered jobs are kept too while their message may
    /// still be replayed: all of them when `stillDeadLettered` is nil (the dead-letter queue could not be read),
    /// else those whose webhook id it holds. Returns the number of jobs deleted.
    @discardableResult
    public func prune(
        olderThan date: Date, keepingDeadLettered stillDeadLettered: Set<String>? = nil
    ) async throws -> Int {
        let kept =
            [JobStatus.queued.rawValue, JobStatus.running.rawValue]
            + (stillDeadLettered == nil ? [JobStatus.deadLettered.rawValue] : [])
        let replayable = Array(stillDeadLettered ?? [])
        var arguments: StatementArguments = [date]
        arguments += StatementArguments(kept)
        arguments += [JobStatus.deadLettered.rawValue]
        let bound = arguments
        return try await writer.write { db in
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
        try await writer.read { db in
            var counts = Dictionary(uniqueKeysWithValues: JobStatus.allCases.map { ($0, 0) })
            let rows = try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM job GROUP BY status")
            for row in rows {
                if let status = JobStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    static func detail(of job: Job, _ db: Database) throws -> JobDetail {
        let attempts = try Attempt.filter(Attempt.Columns.jobId == job.id).order(Attempt.Columns.number).fetchAll(db)
        let steps = try Step.filter(attempts.map(\.id).contains(Step.Columns.attemptId))
            .order(Step.Columns.id)
            .fetchAll(db)
        let stepsByAttempt = Dictionary(grouping: steps, by: \.attemptId)
        return JobDetail(
            job: job,
            attempts: attempts.map { AttemptDetail(attempt: $0, steps: stepsByAttempt[$0.id] ?? []) })
    }
}
