import Foundation
import TestSupport

@testable import JobLog

/// A fresh job log file in its own temporary directory.
struct JobLogFixture {
    let directory: URL
    let path: String
    let clock = TestClock()

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("joblog-tests-\(UUID().uuidString)", isDirectory: true)
        path = directory.appendingPathComponent("jobs.db").path
    }

    func open() throws -> JobLog {
        let clock = self.clock
        return try JobLog(path: path, clock: { clock.now })
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

extension BeginOutcome {
    /// The opened attempt, or nil when the job was already finished.
    var started: (job: Job, attempt: Attempt)? {
        if case .started(let job, let attempt) = self { return (job, attempt) }
        return nil
    }
}
