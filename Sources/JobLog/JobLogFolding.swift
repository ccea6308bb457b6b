import Foundation
import GRDB

/// Folds the job logs of worker tasks that are gone into one archive file in the same directory.
///
/// Every worker task writes its own `worker-<host>.db`, and on Fargate every deployment and scale-out is a new
/// host, so without folding the directory gains a file per task forever and every `worker jobs` command opens
/// them all. A log is folded only when its task is gone by two independent signs: nobody holds its lease (a
/// running worker always does, see `JobLogLease`), and neither the file nor its WAL was written for `idle`
/// (which also covers workers from before the lease). Folding holds the gone log's lease and the archive's, so
/// two folders never work on one file and a task restarting under the same host name waits for its file.
/// Jobs move with their attempts and steps; a webhook id already in the archive (a delivery two tasks both saw)
/// keeps the archived job. The folded file is deleted only after the archive transaction committed.
public enum JobLogFolding {
    public static let archiveName = "archive.db"

    public struct Report: Sendable, Equatable {
        /// Files folded into the archive (names), and jobs moved.
        public var folded: [String] = []
        public var jobs = 0
        /// Files that looked gone but could not be folded, with why (they are left as they are).
        public var failed: [String] = []
    }

    /// Folds every gone `*.db` of `directory` (never `except`, the caller's own log, nor the archive).
    public static func fold(
        directory: String, idle: TimeInterval, now: Date = Date(), except: String? = nil
    ) throws -> Report {
        var report = Report()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".db") && $0 != archiveName }.sorted()
        let own = except.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let candidates = names.map { URL(fileURLWithPath: directory).appendingPathComponent($0).path }
            .filter { URL(fileURLWithPath: $0).standardizedFileURL.path != own }
            .filter { lastWritten($0).map { now.timeIntervalSince($0) >= idle } ?? false }
        guard !candidates.isEmpty else { return report }
        let archivePath = URL(fileURLWithPath: directory).appendingPathComponent(archiveName).path
        guard let archiveLease = JobLogLease.take(for: archivePath) else { return report }  // another folder runs
        defer { archiveLease.release() }
        let archive = try JobLog.openArchive(path: archivePath)
        defer { try? archive.close() }
        for path in candidates {
            if Task.isCancelled { break }
            guard let lease = JobLogLease.take(for: path) else { continue }  // its task is alive
            do {
                report.jobs += try move(from: path, into: archive)
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                report.folded.append(URL(fileURLWithPath: path).lastPathComponent)
                try? FileManager.default.removeItem(atPath: lease.path)
            } catch {
                report.failed.append("\(URL(fileURLWithPath: path).lastPathComponent): \(error)")
            }
            lease.release()
        }
        return report
    }

    /// The later modification time of the file and of its WAL when that holds anything (a reader opening a log
    /// whose writer has closed creates an empty WAL, which is no sign of a writer).
    static func lastWritten(_ path: String) -> Date? {
        let dates = [path, path + "-wal"].compactMap { file -> Date? in
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else { return nil }
            if file != path, (attributes[.size] as? Int ?? 0) == 0 { return nil }
            return attributes[.modificationDate] as? Date
        }
        return dates.max()
    }

    /// Copies every job of `path` not yet archived, with its attempts and steps, in one transaction.
    private static func move(from path: String, into archive: JobLog) throws -> Int {
        try archive.writer.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS folded", arguments: [path])
            defer { try? db.execute(sql: "DETACH DATABASE folded") }
            var moved = 0
            try db.inTransaction(.immediate) {
                try db.execute(
                    sql: """
                        CREATE TEMP TABLE IF NOT EXISTS fold_job (source_id INTEGER PRIMARY KEY, webhook_id TEXT NOT NULL);
                        DELETE FROM temp.fold_job;
                        INSERT INTO temp.fold_job SELECT id, webhook_id FROM folded.job
                            WHERE webhook_id NOT IN (SELECT webhook_id FROM main.job);
                        INSERT INTO main.job (webhook_id, entry_id, display_id, event_type, canvas_id, status, attempts,
                                              package, top_hash, error, message_body, created_at, updated_at, finished_at)
                            SELECT j.webhook_id, j.entry_id, j.display_id, j.event_type, j.canvas_id, j.status, j.attempts,
                                   j.package, j.top_hash, j.error, j.message_body, j.created_at, j.updated_at, j.finished_at
                            FROM folded.job AS j JOIN temp.fold_job AS f ON f.source_id = j.id ORDER BY j.id;
                        INSERT INTO main.attempt (job_id, number, started_at, finished_at, outcome, error)
                            SELECT m.id, a.number, a.started_at, a.finished_at, a.outcome, a.error
                            FROM folded.attempt AS a JOIN temp.fold_job AS f ON f.source_id = a.job_id
                            JOIN main.job AS m ON m.webhook_id = f.webhook_id ORDER BY a.id;
                        INSERT INTO main.step (attempt_id, name, started_at, finished_at, outcome, detail)
                            SELECT ma.id, s.name, s.started_at, s.finished_at, s.outcome, s.detail
                            FROM folded.step AS s JOIN folded.attempt AS a ON a.id = s.attempt_id
                            JOIN temp.fold_job AS f ON f.source_id = a.job_id
                            JOIN main.job AS m ON m.webhook_id = f.webhook_id
                            JOIN main.attempt AS ma ON ma.job_id = m.id AND ma.number = a.number ORDER BY s.id;
                        """)
                moved = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.fold_job") ?? 0
                return .commit
            }
            return moved
        }
    }
}
