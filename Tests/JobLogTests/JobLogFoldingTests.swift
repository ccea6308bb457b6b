import Foundation
import GRDB
import Testing

@testable import JobLog

/// Gone tasks' job logs are folded into the archive; live or recently written ones are not touched.
@Suite("Job log: folding gone tasks' logs", .timeLimit(.minutes(2)))
struct JobLogFoldingTests {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("joblog-fold-\(UUID().uuidString)", isDirectory: true)

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A job log with `count` finished jobs, each with one attempt and one step, then closed.
    func write(_ name: String, prefix: String, count: Int) async throws {
        let log = try JobLog(path: path(name))
        for index in 0..<count {
            guard
                case .started(_, let attempt) = try await log.begin(
                    webhookId: "\(prefix)-\(index)", entryId: "etr_\(index)", eventType: "v2.entry.created",
                    canvasId: nil,
                    messageBody: "{}")
            else { throw JobLogError.notFound("begin") }
            _ = try await log.recordStep(
                attemptId: attempt.id, name: "export", startedAt: Date(), finishedAt: Date(),
                outcome: .succeeded, detail: "\(prefix) step")
            try await log.finish(attempt: attempt, status: .succeeded, package: "benchling/\(prefix)", topHash: "h")
        }
        try log.close()
    }

    func age(_ name: String, hours: Double) throws {
        let date = Date().addingTimeInterval(-hours * 3_600)
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path(name) + suffix) {
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path(name) + suffix)
        }
    }

    @Test("only logs nobody holds and nobody wrote for the idle time are folded, with attempts and steps")
    func foldsOnlyGoneLogs() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try await write("worker-gone.db", prefix: "gone", count: 3)
        try await write("worker-alive.db", prefix: "alive", count: 2)
        try await write("worker-recent.db", prefix: "recent", count: 1)
        try age("worker-gone.db", hours: 30)
        // An operator reading a closed log leaves an empty WAL behind: no sign of a writer.
        _ = FileManager.default.createFile(atPath: path("worker-gone.db") + "-wal", contents: nil)
        try age("worker-alive.db", hours: 30)
        // A running worker holds its log's lease, however long it has been idle.
        let alive = try JobLog(path: path("worker-alive.db"))
        defer { try? alive.close() }
        try age("worker-alive.db", hours: 30)

        let report = try JobLogFolding.fold(directory: directory.path, idle: 24 * 3_600)
        #expect(report.folded == ["worker-gone.db"])
        #expect(report.jobs == 3)
        #expect(report.failed.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path("worker-gone.db")))
        #expect(FileManager.default.fileExists(atPath: path("worker-alive.db")))
        #expect(FileManager.default.fileExists(atPath: path("worker-recent.db")))

        let archive = try JobLog(existingAt: path(JobLogFolding.archiveName))
        defer { try? archive.close() }
        let jobs = try await archive.list()
        #expect(Set(jobs.map(\.webhookId)) == ["gone-0", "gone-1", "gone-2"])
        let detail = try #require(try await archive.job(webhookId: "gone-1"))
        #expect(detail.job.status == .succeeded)
        #expect(detail.attempts.count == 1)
        #expect(detail.attempts.first?.steps.map(\.detail) == ["gone step"])

        // Folding again (a second worker starting) moves nothing twice; a log folded later joins the archive.
        #expect(try JobLogFolding.fold(directory: directory.path, idle: 24 * 3_600).folded.isEmpty)
        try alive.close()
        try age("worker-alive.db", hours: 30)
        let second = try JobLogFolding.fold(directory: directory.path, idle: 24 * 3_600)
        #expect(second.folded == ["worker-alive.db"])
        #expect(try await archive.list(limit: 10).count == 5)
    }

    @Test("a delivery both a gone log and the archive hold keeps the archived job; a corrupt log is left alone")
    func duplicatesAndCorruptFiles() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try await write("worker-a.db", prefix: "same", count: 2)
        try age("worker-a.db", hours: 30)
        #expect(try JobLogFolding.fold(directory: directory.path, idle: 3_600).jobs == 2)
        try await write("worker-b.db", prefix: "same", count: 3)
        try Data(repeating: 0x41, count: 8_192).write(to: URL(fileURLWithPath: path("worker-c.db")))
        try age("worker-b.db", hours: 30)
        try age("worker-c.db", hours: 30)
        let report = try JobLogFolding.fold(directory: directory.path, idle: 3_600)
        #expect(report.folded == ["worker-b.db"])
        #expect(report.jobs == 1, "only same-2 was new")
        #expect(report.failed.count == 1 && report.failed[0].hasPrefix("worker-c.db"), "\(report.failed)")
        #expect(FileManager.default.fileExists(atPath: path("worker-c.db")))
        let archive = try JobLog(existingAt: path(JobLogFolding.archiveName))
        defer { try? archive.close() }
        #expect(try await archive.list().count == 3)
    }

    @Test("opening for inspection neither creates, migrates nor writes")
    func inspectionOpensAsIs() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(throws: JobLogError.self) { try JobLog(existingAt: path("missing.db")) }
        #expect(!FileManager.default.fileExists(atPath: path("missing.db")))
        _ = FileManager.default.createFile(atPath: path("empty.db"), contents: nil)
        #expect(throws: JobLogError.self) { try JobLog(existingAt: path("empty.db")) }
        let size = (try FileManager.default.attributesOfItem(atPath: path("empty.db")))[.size] as? Int
        #expect(size == 0, "the empty file was not given a schema")
    }
}
