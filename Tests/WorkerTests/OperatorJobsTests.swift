import Foundation
import JSONCore
import JobLog
import Operator
import TestSupport
import Testing
import Worker

/// `jobs list / show / prune` on job logs filled through the JobLog API.
@Suite(.timeLimit(.minutes(2))) struct OperatorJobsTests {
    static let start = Date(timeIntervalSince1970: 1_714_564_800)  // 2024-05-01T12:00:00Z

    /// Fills `path` with three jobs one minute apart: a succeeded one (two steps), a failed one (two attempts),
    /// and a running one.
    static func fill(_ path: String, clock: TestClock, prefix: String) async throws {
        let log = try JobLog(path: path, clock: { clock.now })
        defer { try? log.close() }
        guard
            case .started(let job1, let attempt1) = try await log.begin(
                webhookId: "\(prefix)_ok", entryId: "etr_ok", eventType: "v2.entry.created", canvasId: "cnvs_1",
                messageBody: "{}")
        else { throw InjectedFailure() }
        try await log.setDisplayId(jobId: job1.id, "EXP-1")
        try await log.recordStep(
            attemptId: attempt1.id, name: "export", startedAt: clock.now, finishedAt: clock.now.addingTimeInterval(1.5),
            outcome: .succeeded, detail: "zip 2048 bytes")
        try await log.recordStep(
            attemptId: attempt1.id, name: "package", startedAt: clock.now.addingTimeInterval(1.5),
            finishedAt: clock.now.addingTimeInterval(2), outcome: .succeeded)
        clock.advance(by: 2)
        try await log.finish(
            attempt: attempt1, status: .succeeded, package: "benchling/EXP-1",
            topHash: String(repeating: "ab", count: 32))

        clock.advance(by: 58)
        guard
            case .started(_, let attempt2) = try await log.begin(
                webhookId: "\(prefix)_bad", entryId: "etr_bad", eventType: "v2.entry.updated.fields", canvasId: nil,
                messageBody: "{}")
        else { throw InjectedFailure() }
        try await log.finish(attempt: attempt2, status: .failed, error: "export failed: HTTP 503\nretry later")
        clock.advance(by: 1)
        guard
            case .started(_, let attempt3) = try await log.begin(
                webhookId: "\(prefix)_bad", entryId: "etr_bad", eventType: "v2.entry.updated.fields", canvasId: nil,
                messageBody: "{}")
        else { throw InjectedFailure() }
        try await log.recordStep(
            attemptId: attempt3.id, name: "export", startedAt: clock.now,
            finishedAt: clock.now.addingTimeInterval(0.25),
            outcome: .failed, detail: "task FAILED")
        try await log.finish(attempt: attempt3, status: .deadLettered, error: "export task FAILED: entry archived")

        clock.advance(by: 59)
        _ = try await log.begin(
            webhookId: "\(prefix)_run", entryId: "etr_run", eventType: "v2.canvas.created", canvasId: "cnvs_2",
            messageBody: "{}")
    }

    @Test func listPrintsJSONLinesFieldByField() async throws {
        let scratch = try OperatorScratch()
        defer { scratch.remove() }
        let clock = TestClock(Self.start)
        try await Self.fill(scratch.path("jobs.db"), clock: clock, prefix: "wh")
        let logs = try JobLogCollection(location: .file(scratch.path("jobs.db")))
        defer { logs.close() }

        let jobs = try await logs.list(status: nil, entryId: nil, since: nil, limit: 50)
        #expect(jobs.map(\.job.webhookId) == ["wh_run", "wh_bad", "wh_ok"])
        let lines = JobReport.jsonLines(jobs).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let ok = try JSONValue.parse(lines[2])
        #expect(
            ok.objectValue?.keys == [
                "id", "webhook_id", "entry_id", "display_id", "event_type", "status", "attempts", "package", "top_hash",
                "error", "created_at", "updated_at", "job_log",
            ])
        #expect(ok["id"]?.intValue == 1)
        #expect(ok["webhook_id"]?.stringValue == "wh_ok")
        #expect(ok["entry_id"]?.stringValue == "etr_ok")
        #expect(ok["display_id"]?.stringValue == "EXP-1")
        #expect(ok["event_type"]?.stringValue == "v2.entry.created")
        #expect(ok["status"]?.stringValue == "succeeded")
        #expect(ok["attempts"]?.intValue == 1)
        #expect(ok["package"]?.stringValue == "benchling/EXP-1")
        #expect(ok["top_hash"]?.stringValue == String(repeating: "ab", count: 32))
        #expect(ok["error"]?.isNull == true)
        #expect(ok["created_at"]?.stringValue == "2024-05-01T12:00:00.000Z")
        #expect(ok["updated_at"]?.stringValue == "2024-05-01T12:00:02.000Z")
        #expect(ok["job_log"]?.stringValue == "jobs")

        let bad = try JSONValue.parse(lines[1])
        #expect(bad["status"]?.stringValue == "dead_lettered")
        #expect(bad["attempts"]?.intValue == 2)
        #expect(bad["error"]?.stringValue == "export task FAILED: entry archived")
        #expect(bad["package"]?.isNull == true)
        #expect(bad["display_id"]?.isNull == true)
        #expect(bad["created_at"]?.stringValue == "2024-05-01T12:01:00.000Z")
        #expect(bad["updated_at"]?.stringValue == "2024-05-01T12:01:01.000Z")

        let filtered = try await logs.list(status: .deadLettered, entryId: nil, since: nil, limit: 50)
        #expect(filtered.map(\.job.webhookId) == ["wh_bad"])
        let byEntry = try await logs.list(status: nil, entryId: "etr_ok", since: nil, limit: 50)
        #expect(byEntry.map(\.job.webhookId) == ["wh_ok"])
        let recent = try await logs.list(
            status: nil, entryId: nil, since: try #require(RelativeDuration("90s")).before(clock.now), limit: 50)
        #expect(recent.map(\.job.webhookId) == ["wh_run", "wh_bad"])
        #expect(try await logs.list(status: nil, entryId: nil, since: nil, limit: 1).map(\.job.webhookId) == ["wh_run"])
    }

    @Test func listTableShowsOneRowPerJob() async throws {
        let scratch = try OperatorScratch()
        defer { scratch.remove() }
        let clock = TestClock(Self.start)
        try await Self.fill(scratch.path("jobs.db"), clock: clock, prefix: "wh")
        let logs = try JobLogCollection(location: .file(scratch.path("jobs.db")))
        defer { logs.close() }
        let jobs = try await logs.list(status: nil, entryId: nil, since: nil, limit: 50)
        let table = JobReport.table(jobs, now: Self.start.addingTimeInterval(3 * 3600), qualifiedIds: false)
        let rows = table.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        }
        #expect(rows.count == 4)
        #expect(rows[0] == ["ID", "ENTRY", "DISPLAY", "EVENT", "STATUS", "TRIES", "AGE", "PACKAGE", "/", "ERROR"])
        #expect(rows[1] == ["3", "etr_run", "-", "v2.canvas.created", "running", "1", "2h", "-"])
        #expect(
            rows[2] == [
                "2", "etr_bad", "-", "v2.entry.updated.fields", "dead_lettered", "2", "2h",
                "export", "task", "FAILED:", "entry", "archived",
            ])
        #expect(
            rows[3] == [
                "1", "etr_ok", "EXP-1", "v2.entry.created", "succeeded", "1", "3h",
                "benchling/EXP-1@ababababab",
            ])
        #expect(JobReport.table([], now: Self.start, qualifiedIds: false) == "no jobs\n")
    }

    @Test func directoryOfJobLogsMergesNewestFirstAndQualifiesIds() async throws {
        let scratch = try OperatorScratch()
        defer { scratch.remove() }
        let clock = TestClock(Self.start)
        try await Self.fill(scratch.path("worker-a.db"), clock: clock, prefix: "a")
        clock.advance(by: 30)
        try await Self.fill(scratch.path("worker-b.db"), clock: clock, prefix: "b")
        _ = FileManager.default.createFile(atPath: scratch.path("notes.txt"), contents: Data("x".utf8))
        let logs = try JobLogCollection(location: JobLogLocation(argument: scratch.directory.path))
        defer { logs.close() }
        #expect(logs.logs.map(\.name) == ["worker-a", "worker-b"])

        let jobs = try await logs.list(status: nil, entryId: nil, since: nil, limit: 4)
        #expect(jobs.map(\.job.webhookId) == ["b_run", "b_bad", "b_ok", "a_run"])
        #expect(jobs.map(\.log) == ["worker-b", "worker-b", "worker-b", "worker-a"])
        let table = JobReport.table(jobs, now: clock.now, qualifiedIds: true)
        #expect(table.split(separator: "\n")[1].hasPrefix("worker-b:3 "))

        // Ids repeat across files: a bare id is ambiguous, LOG:ID and webhook ids are not.
        await #expect(throws: OperatorError.self) { try await logs.find("2") }
        #expect(try await logs.find("worker-a:2").detail.job.webhookId == "a_bad")
        #expect(try await logs.find("b_ok").log == "worker-b")
        await #expect(throws: OperatorError.self) { try await logs.find("nope") }
    }

    @Test func showTellsTheWholeStory() async throws {
        let scratch = try OperatorScratch()
        defer { scratch.remove() }
        let clock = TestClock(Self.start)
        try await Self.fill(scratch.path("jobs.db"), clock: clock, prefix: "wh")
        let logs = try JobLogCollection(location: .file(scratch.path("jobs.db")))
        defer { logs.close() }
        let context = PackageContext(bucket: "my-bucket", catalogHost: "catalog.example.com")
        let hash = String(repeating: "ab", count: 32)

        let ok = try await logs.find("1")
        let json = JobStory.json(ok, context: context)
        #expect(json["webhook_id"]?.stringValue == "wh_ok")
        #expect(json["canvas_id"]?.stringValue == "cnvs_1")
        #expect(json["finished_at"]?.stringValue == "2024-05-01T12:00:02.000Z")
        #expect(json["s3_prefix"]?.stringValue == "s3://my-bucket/benchling/EXP-1/")
        #expect(
            json["catalog_url"]?.stringValue
                == "https://catalog.example.com/b/my-bucket/packages/benchling/EXP-1/tree/\(hash)")
        let history = try #require(json["history"]?.arrayValue)
        #expect(history.count == 1)
        #expect(history[0]["number"]?.intValue == 1)
        #expect(history[0]["outcome"]?.stringValue == "succeeded")
        #expect(history[0]["started_at"]?.stringValue == "2024-05-01T12:00:00.000Z")
        let steps = try #require(history[0]["steps"]?.arrayValue)
        #expect(steps.map { $0["name"]?.stringValue } == ["export", "package"])
        #expect(steps[0]["duration_ms"]?.intValue == 1500)
        #expect(steps[0]["detail"]?.stringValue == "zip 2048 bytes")
        #expect(steps[1]["detail"]?.isNull == true)

        let text = JobStory.text(ok, context: context, now: Self.start.addingTimeInterval(600))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Job 1 in jobs: succeeded after 1 attempt(s)")
        #expect(lines.contains("entry       etr_ok (EXP-1)"))
        #expect(lines.contains("s3 prefix   s3://my-bucket/benchling/EXP-1/"))
        #expect(
            lines.contains("catalog     https://catalog.example.com/b/my-bucket/packages/benchling/EXP-1/tree/\(hash)"))
        #expect(
            lines.contains {
                $0.hasPrefix("  export") && $0.contains("succeeded") && $0.contains("1500 ms")
                    && $0.hasSuffix("zip 2048 bytes")
            })

        // Without configuration: the package name only; by webhook id; both attempts with their errors.
        let bad = try await logs.find("wh_bad")
        let badJSON = JobStory.json(bad, context: PackageContext(bucket: nil, catalogHost: nil))
        #expect(badJSON["s3_prefix"]?.isNull == true)
        #expect(badJSON["catalog_url"]?.isNull == true)
        let attempts = try #require(badJSON["history"]?.arrayValue)
        #expect(attempts.map { $0["outcome"]?.stringValue } == ["failed", "dead_lettered"])
        #expect(
            attempts.map { $0["error"]?.stringValue }
                == ["export failed: HTTP 503\nretry later", "export task FAILED: entry archived"])
        #expect(attempts[1]["steps"]?[0]?["outcome"]?.stringValue == "failed")
        let badText = JobStory.text(bad, context: PackageContext(bucket: nil, catalogHost: nil), now: clock.now)
        #expect(badText.contains("Attempt 1: failed"))
        #expect(badText.contains("  error: export task FAILED: entry archived"))
        #expect(!badText.contains("s3 prefix"))
    }

    @Test func pruneDeletesOnlyOldFinishedJobs() async throws {
        let scratch = try OperatorScratch()
        defer { scratch.remove() }
        let clock = TestClock(Self.start)
        try await Self.fill(scratch.path("jobs.db"), clock: clock, prefix: "wh")
        let logs = try JobLogCollection(location: .file(scratch.path("jobs.db")), writable: true)
        defer { logs.close() }
        // Everything is older than a day at start + 2 days; the running job stays, and so does the dead-lettered
        // one while its message is (or may be) in the dead-letter queue.
        let cutoff = try #require(RelativeDuration("1d")).before(Self.start.addingTimeInterval(2 * 86_400))
        #expect(try await logs.prune(olderThan: cutoff, keepingDeadLettered: nil).map(\.deleted) == [1])
        #expect(try await logs.prune(olderThan: cutoff, keepingDeadLettered: ["wh_bad"]).map(\.deleted) == [0])
        let results = try await logs.prune(olderThan: cutoff, keepingDeadLettered: ["wh_other"])
        #expect(results.map(\.deleted) == [1])
        #expect(
            try await logs.list(status: nil, entryId: nil, since: nil, limit: 50).map(\.job.webhookId) == ["wh_run"])
    }

    @Test func durationsAndMissingLogs() throws {
        #expect(RelativeDuration("30m")?.seconds == 1_800)
        #expect(RelativeDuration("24h")?.seconds == 86_400)
        #expect(RelativeDuration("7d")?.seconds == 604_800)
        #expect(RelativeDuration("2w")?.seconds == 1_209_600)
        #expect(RelativeDuration("7") == nil)
        #expect(RelativeDuration("d") == nil)
        #expect(RelativeDuration("-1d") == nil)
        #expect(throws: OperatorError.self) { try JobLogLocation.file("/nonexistent/jobs.db").files() }
        let environment = OperatorEnvironment(["JOB_LOG_DIR": "/var/lib/worker", "QUEUE_URL": "x"])
        #expect(environment.jobLogLocation() == .directory("/var/lib/worker"))
        #expect(OperatorEnvironment(["JOB_LOG_PATH": "/a.db", "JOB_LOG_DIR": "/d"]).jobLogLocation() == .file("/a.db"))
    }
}
