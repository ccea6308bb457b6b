import Foundation
import JSONCore
import JobLog
import TestSupport
import Testing
import Worker

/// The `worker` executable's operator commands on a job log directory as production can leave it: text from
/// webhooks holding terminal escapes, a corrupt file, a file another version left empty. Run as an operator
/// runs them (own process, stdout not a terminal).
@Suite("Operator commands on hostile job logs", .timeLimit(.minutes(3)))
struct OperatorHostileLogTests {
    static let escapes = "EXP\u{1B}]0;owned\u{07}\u{1B}[2J\u{9B}31m\r\u{202E}1"

    /// A directory with one good log (a job whose display id and error carry escapes), one corrupt file and one
    /// empty file.
    static func hostileDirectory(_ scratch: OperatorScratch) async throws -> String {
        let log = try JobLog(path: scratch.path("worker-good.db"))
        guard
            case .started(let job, let attempt) = try await log.begin(
                webhookId: "wh_escape", entryId: "etr_escape", eventType: "v2.entry.created", canvasId: nil,
                messageBody: "{}")
        else { throw InjectedFailure() }
        try await log.setDisplayId(jobId: job.id, escapes)
        try await log.finish(attempt: attempt, status: .failed, error: "export failed: \u{1B}[31mred\u{1B}[0m")
        try log.close()
        try Data(repeating: 0x41, count: 8_192).write(to: URL(fileURLWithPath: scratch.path("worker-corrupt.db")))
        _ = FileManager.default.createFile(atPath: scratch.path("worker-empty.db"), contents: nil)
        return scratch.directory.path
    }

    static var environment: [String: String] { ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"] }

    static func rawControls(_ data: Data) -> [UInt8] {
        let text = String(decoding: data, as: UTF8.self)
        let bad = text.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) || $0.value == 0x202E
        }
        return bad.map { UInt8(truncatingIfNeeded: $0.value) }
    }

    @Test("jobs list and show skip unreadable files with a warning naming them, and print no control characters")
    func listAndShowSurviveHostileLogs() async throws {
        let scratch = try OperatorScratch()
        defer { scratch.remove() }
        let directory = try await Self.hostileDirectory(scratch)
        let corruptBefore = try Data(contentsOf: URL(fileURLWithPath: scratch.path("worker-corrupt.db")))

        let list = try await BuiltExecutable.run(
            "worker", ["jobs", "list", "--job-log", directory], environment: Self.environment)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdoutText.contains("etr_escape"), "\(list.stdoutText)")
        #expect(Self.rawControls(list.stdout).isEmpty, "raw control characters: \(Self.rawControls(list.stdout))")
        #expect(list.stdoutText.contains("\\u001B"), "escapes are shown, visibly: \(list.stdoutText)")
        #expect(list.stderr.contains("worker-corrupt.db"), "\(list.stderr)")
        #expect(list.stderr.contains("worker-empty.db"), "\(list.stderr)")

        let show = try await BuiltExecutable.run(
            "worker", ["jobs", "show", "wh_escape", "--job-log", directory], environment: Self.environment)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(Self.rawControls(show.stdout).isEmpty, "raw control characters: \(Self.rawControls(show.stdout))")
        #expect(show.stdoutText.contains("export failed"))

        // JSON stays JSON with the very values recorded.
        let json = try await BuiltExecutable.run(
            "worker", ["jobs", "list", "--json", "--job-log", directory], environment: Self.environment)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(Self.rawControls(json.stdout).isEmpty)
        let line = try JSONValue.parse(json.stdoutText.split(separator: "\n").map(String.init).first ?? "")
        #expect(line["display_id"]?.stringValue == Self.escapes)

        // Nothing was created, migrated or written by reading.
        let empty = try FileManager.default.attributesOfItem(atPath: scratch.path("worker-empty.db"))[.size] as? Int
        #expect(empty == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("worker-corrupt.db"))) == corruptBefore)
    }

    @Test("jobs prune refuses an age under one day without --force")
    func pruneRefusesShortAges() async throws {
        let scratch = try OperatorScratch()
        defer { scratch.remove() }
        let directory = try await Self.hostileDirectory(scratch)
        let refused = try await BuiltExecutable.run(
            "worker", ["jobs", "prune", "--older-than", "2h", "--job-log", directory], environment: Self.environment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--force"), "\(refused.stderr)")
        let forced = try await BuiltExecutable.run(
            "worker", ["jobs", "prune", "--older-than", "2h", "--force", "--job-log", directory],
            environment: Self.environment)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdoutText.hasPrefix("deleted 0 finished job(s)"), "\(forced.stdoutText)")
    }
}
