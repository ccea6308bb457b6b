import Foundation
import Synchronization
@testable import JobLog

/// A hand-driven clock, so tests about ordering and age do not depend on how fast the machine is.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

/// A fresh job log file in its own temporary directory.
struct JobLogFixture {
    let directory: URL
    let path: String
    let clock = ManualClock()

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
