import Foundation
import GRDB

/// The worker's durable memory: one row per webhook delivery (job), one per try (attempt), one per pipeline step.
///
/// It is what makes redelivery safe (a finished job is acknowledged without work), what operators inspect, and
/// where replay finds the original message. Backed by SQLite in WAL mode so `inspect` can read while the worker
/// writes, from another process.
///
/// Each worker task writes a file of its own (a redelivery handled by another task is not known here: across
/// tasks, duplicates are absorbed by the package comparison, which writes no new revision for unchanged content).
/// The worker holds its file's lease (`JobLogLease`) while it runs, which is how folding tells a live task's log
/// from a gone one's.
public final class JobLog: Sendable {
    /// The database: a `DatabasePool` for a worker's own file (WAL, so readers never wait for the writer), a
    /// `DatabaseQueue` for the archive, an operator's read, or a test's in-memory log. Every change goes through
    /// GRDB's `write`, which (since GRDB 7) opens an IMMEDIATE transaction: the write lock is taken up front, so two
    /// processes deciding on the same job serialise instead of failing with SQLITE_BUSY on a lock upgrade.
    let writer: any DatabaseWriter
    let clock: @Sendable () -> Date
    let lease: JobLogLease?

    /// The job log in `writer`, its schema brought up to date; no lease. Tests pass an in-memory `DatabaseQueue()`.
    /// - Parameter clock: the time source for timestamps; tests pass a fixed clock.
    public convenience init(_ writer: any DatabaseWriter, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        try JobLogSchema.migrate(writer)
        self.init(writer: writer, lease: nil, clock: clock)
    }

    /// Opens (creating if needed) the job log at `path`, brings its schema up to date and takes its lease.
    /// - Parameter clock: the time source for timestamps; tests pass a fixed clock.
    public convenience init(path: String, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        var configuration = Self.configuration()
        configuration.readonly = false
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path, configuration: configuration)
        try JobLogSchema.migrate(pool)
        self.init(writer: pool, lease: JobLogLease.take(for: path), clock: clock)
    }

    private init(writer: any DatabaseWriter, lease: JobLogLease?, clock: @escaping @Sendable () -> Date) {
        self.writer = writer
        self.lease = lease
        self.clock = clock
    }

    /// Opens an existing job log without creating, migrating or (unless `writable`) writing anything: what the
    /// operator commands do, since the task that owns the file may be writing it at the same moment. Throws
    /// `JobLogError.unusable` when the file is missing, is not SQLite, or its schema is not this version's.
    public convenience init(
        existingAt path: String, writable: Bool = false, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw JobLogError.unusable("no such file") }
        var configuration = Self.configuration()
        configuration.readonly = !writable
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let current = try queue.read { db in try JobLogSchema.migrator.hasCompletedMigrations(db) }
            guard current else {
                try? queue.close()
                throw JobLogError.unusable(
                    "no job log schema of this version (written by another version, or not a job log)")
            }
        } catch let error as JobLogError {
            throw error
        } catch {
            throw JobLogError.unusable("\(error)")
        }
        self.init(writer: queue, lease: nil, clock: clock)
    }

    /// Creates or opens the archive that folded logs go to, with a rollback journal rather than WAL: it is the one
    /// job log file that tasks on different hosts write (one at a time, under its lease), and WAL's shared memory
    /// must not be shared over a network file system.
    static func openArchive(path: String) throws -> JobLog {
        var configuration = Self.configuration()
        configuration.readonly = false
        return try JobLog(DatabaseQueue(path: path, configuration: configuration))
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        // The worker and an operator command may write at the same moment; wait for the lock rather than fail.
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        return configuration
    }

    /// Closes the database connections and gives up the lease. Later calls fail.
    public func close() throws {
        lease?.release()
        try writer.close()
    }

    /// Starts work on a delivery, atomically: records the job on first sight, refuses work for a job that already
    /// finished successfully, and otherwise opens the next attempt (closing any attempt a crashed process left open
    /// as `abandoned`).
    public func begin(
        webhookId: String, entryId: String?, eventType: String, canvasId: String?, messageBody: String
    ) async throws -> BeginOutcome {
        let now = clock()
        return try await writer.write { db in
            let existing = try Job.filter(Job.Columns.webhookId == webhookId).fetchOne(db)
            let jobId: Int64
            let number: Int
            if let job = existing {
                if job.status.isFinishedSuccessfully { return .alreadySucceeded(job) }
                try db.execute(
                    sql: """
                        UPDATE attempt SET finished_at = ?, outcome = ?, error = coalesce(error, ?)
                        WHERE job_id = ? AND finished_at IS NULL
                        """,
                    arguments: [now, AttemptOutcome.abandoned.rawValue, "attempt was never finished", job.id])
                number = job.attempts + 1
                try db.execute(
                    sql: "UPDATE job SET status = ?, attempts = ?, updated_at = ?, finished_at = NULL WHERE id = ?",
                    arguments: [JobStatus.running.rawValue, number, now, job.id])
                jobId = job.id
            } else {
                number = 1
                try db.execute(
                    sql: """
                        INSERT INTO job (webhook_id, entry_id, event_type, canvas_id, status, attempts, message_body,
                                         created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        webhookId, entryId, eventType, canvasId, JobStatus.running.rawValue, number,
                        messageBody, now, now,
                    ])
                jobId = db.lastInsertedRowID
            }
            try db.execute(
                sql: "INSERT INTO attempt (job_id, number, started_at) VALUES (?, ?, ?)",
                arguments: [jobId, number, now])
            let attempt = try Attempt.fetchOne(db, key: db.lastInsertedRowID)
            let job = try Job.fetchOne(db, key: jobId)
            guard let job, let attempt else { throw JobLogError.notFound("job \(jobId)") }
            return .started(job, attempt)
        }
    }

    /// Records the entry's display id once the worker has fetched the entry (webhooks carry only the entry id).
    ///
    /// A job can start knowing only a canvas (`v2.canvas.created`); once the pipeline has found the entry it
    /// records the entry and canvas ids too, where the job has none yet, so later events of that entry (and
    /// `jobs list --entry`) find it.
    public func setDisplayId(
        jobId: Int64, _ displayId: String, entryId: String? = nil, canvasId: String? = nil
    ) async throws {
        let now = clock()
        try await writer.write { db in
            try db.execute(
                sql: """
                    UPDATE job SET display_id = ?, entry_id = COALESCE(entry_id, ?), canvas_id = COALESCE(canvas_id, ?),
                    updated_at = ? WHERE id = ?
                    """,
                arguments: [displayId, entryId, canvasId, now, jobId])
            if db.changesCount == 0 { throw JobLogError.notFound("job \(jobId)") }
        }
    }

    /// Closes an attempt and sets the job's final state. `package`/`topHash` keep earlier values when nil;
    /// `error` replaces the job's error (nil clears it on success).
    @discardableResult
    public func finish(
        attempt: Attempt, status: JobStatus, package: String? = nil, topHash: String? = nil, error: String? = nil
    ) async throws -> Job {
        guard status.isTerminal else { throw JobLogError.notAFinalStatus(status) }
        let now = clock()
        return try await writer.write { db in
            try db.execute(
                sql: "UPDATE attempt SET finished_at = ?, outcome = ?, error = ? WHERE id = ?",
                arguments: [now, AttemptOutcome(finishing: status).rawValue, error, attempt.id])
            if db.changesCount == 0 { throw JobLogError.notFound("attempt \(attempt.id)") }
            try db.execute(
                sql: """
                    UPDATE job SET status = ?, package = coalesce(?, package), top_hash = coalesce(?, top_hash),
                                   error = ?, updated_at = ?, finished_at = ?
                    WHERE id = ?
                    """,
                arguments: [status.rawValue, package, topHash, error, now, now, attempt.jobId])
            guard let job = try Job.fetchOne(db, key: attempt.jobId) else {
                throw JobLogError.notFound("job \(attempt.jobId)")
            }
            return job
        }
    }
}
