import Foundation
import GRDB
import JobLog

/// Fills a job log with N jobs (default 1,000,000; 1% failed) and times the operator queries that must stay fast:
/// `list --status failed` (50 newest) and `show <id>`. Prints milliseconds (median and worst of the runs).
///
/// Usage: bench-joblog [--jobs N] [--path FILE]   (an existing file with N jobs is reused, so reruns are quick)
///        bench-joblog --jobs N --files F --dir DIR   fills F task files `worker-bench-K.db` in DIR with N/F jobs
///        each (ids unique across files) and times nothing: Benchmarks/bench-operator.sh --files F times the
///        `worker jobs` commands on them, before and after folding.
@main
struct BenchJobLog {
    static func main() async throws {
        var jobs = 1_000_000
        var path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-joblog.db").path
        var files: Int?
        var directory: String?
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--jobs": jobs = Int(arguments.next() ?? "") ?? jobs
            case "--path": path = arguments.next() ?? path
            case "--files": files = Int(arguments.next() ?? "")
            case "--dir": directory = arguments.next()
            default:
                print("usage: bench-joblog [--jobs N] [--path FILE] | --jobs N --files F --dir DIR")
                return
            }
        }
        if let files, let directory {
            try fillDirectory(directory, files: files, jobs: jobs)
            return
        }

        // Create the schema through the real migrations, then fill with one SQL statement per table.
        try JobLog(path: path).close()
        let fillSeconds = try fill(path: path, jobs: jobs)
        if let fillSeconds { print(String(format: "filled %d jobs in %.1f s", jobs, fillSeconds)) }

        let log = try JobLog(path: path)
        let failed = try await time(runs: 30) { _ in _ = try await log.list(status: .failed, limit: 50) }
        print(String(format: "list(status: failed, limit: 50): median %.2f ms, max %.2f ms", failed.median, failed.max))
        let newest = try await time(runs: 30) { _ in _ = try await log.list(limit: 50) }
        print(String(format: "list(limit: 50): median %.2f ms, max %.2f ms", newest.median, newest.max))
        let byEntry = try await time(runs: 30) { run in _ = try await log.list(entryId: "etr_\(run * 997 % 50_000)") }
        print(String(format: "list(entryId:): median %.2f ms, max %.2f ms", byEntry.median, byEntry.max))
        let show = try await time(runs: 30) { run in
            guard try await log.job(id: Int64(1 + (run * 33_331) % jobs)) != nil else { fatalError("job missing") }
        }
        print(String(format: "job(id:) with attempts and steps: median %.2f ms, max %.2f ms", show.median, show.max))
        let byWebhook = try await time(runs: 30) { run in
            _ = try await log.job(webhookId: "wh_\(1 + (run * 33_331) % jobs)")
        }
        print(String(format: "job(webhookId:): median %.2f ms, max %.2f ms", byWebhook.median, byWebhook.max))
    }

    /// `files` job logs named like task files, `jobs / files` jobs each, job and webhook ids unique across them.
    static func fillDirectory(_ directory: String, files: Int, jobs: Int) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let perFile = jobs / max(files, 1)
        let start = Date()
        for index in 0..<files {
            let path = URL(fileURLWithPath: directory).appendingPathComponent("worker-bench-\(index).db").path
            try JobLog(path: path).close()
            _ = try fill(path: path, jobs: perFile, firstId: index * perFile)
        }
        print(String(format: "filled %d files of %d jobs in %.1f s", files, perFile, Date().timeIntervalSince(start)))
    }

    /// Inserts `jobs` jobs (one attempt, three steps each) unless the file already holds that many; ids start
    /// after `firstId`. Returns the seconds it took, or nil when the file was reused.
    static func fill(path: String, jobs: Int, firstId: Int = 0) throws -> Double? {
        let queue = try DatabaseQueue(path: path)
        let existing = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM job") ?? 0 }
        if existing == jobs { return nil }
        let start = Date()
        try queue.write { db in
            try db.execute(sql: "DELETE FROM step; DELETE FROM attempt; DELETE FROM job;")
            // One job every 30 s from 2024-01-01; every 100th failed; 50,000 entries.
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT ? + 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO job (id, webhook_id, entry_id, display_id, event_type, status, attempts, package,
                                     top_hash, error, message_body, created_at, updated_at, finished_at)
                    SELECT i, 'wh_' || i, 'etr_' || (i % 50000), 'EXP-' || (i % 50000), 'v2.entry.updated.fields',
                           CASE WHEN i % 100 = 0 THEN 'failed' ELSE 'succeeded' END, 1,
                           'benchling/EXP-' || (i % 50000), hex(randomblob(32)),
                           CASE WHEN i % 100 = 0 THEN 'export failed: HTTP 503' END,
                           '{"version":1,"webhookId":"wh_' || i || '"}',
                           strftime('%Y-%m-%d %H:%M:%f', 1704067200 + i * 30, 'unixepoch'),
                           strftime('%Y-%m-%d %H:%M:%f', 1704067200 + i * 30 + 20, 'unixepoch'),
                           strftime('%Y-%m-%d %H:%M:%f', 1704067200 + i * 30 + 20, 'unixepoch')
                    FROM n
                    """,
                arguments: [firstId, firstId + jobs])
            try db.execute(
                sql: """
                    INSERT INTO attempt (id, job_id, number, started_at, finished_at, outcome, error)
                    SELECT id, id, 1, created_at, finished_at, status, error FROM job
                    """)
            try db.execute(
                sql: """
                    INSERT INTO step (attempt_id, name, started_at, finished_at, outcome, detail)
                    SELECT a.id, s.name, a.started_at, a.finished_at, 'succeeded', NULL
                    FROM attempt AS a, (SELECT 'export' AS name UNION ALL SELECT 'package' UNION ALL SELECT 'canvas') AS s
                    ORDER BY a.id
                    """)
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "ANALYZE") }
        return Date().timeIntervalSince(start)
    }

    /// Runs `body` once to warm up, then `runs` times; returns median and max in milliseconds.
    @MainActor
    static func time(runs: Int, _ body: (Int) async throws -> Void) async throws -> (median: Double, max: Double) {
        try await body(0)
        var samples: [Double] = []
        let clock = ContinuousClock()
        for run in 1...runs {
            let start = clock.now
            try await body(run)
            let elapsed = start.duration(to: clock.now)
            samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        samples.sort()
        return (samples[samples.count / 2], samples.last ?? 0)
    }
}
