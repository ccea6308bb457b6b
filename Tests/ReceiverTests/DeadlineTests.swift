import Foundation
import Synchronization
import TestSupport
import Testing
import Timing

@testable import Receiver

/// The enqueue deadline on its own: answers in time even when the operation ignores cancellation.
@Suite(.timeLimit(.minutes(2))) struct DeadlineTests {
    @Test func resultsPassThroughAndSlowOperationsAreCutOff() async throws {
        let deadline = Deadline(timeout: .milliseconds(200))
        #expect(try await deadline.run { 42 } == 42)
        await #expect(throws: CancellationError.self) {
            try await deadline.run { () async throws -> Int in throw CancellationError() }
        }

        // Ignores cancellation and runs until released: the caller is answered at the deadline while it still
        // runs (no upper time bound here: under a loaded test run the pool may be late, but never by the operation).
        let operation = OperationGate()
        let started = ContinuousClock.now
        await #expect(throws: Deadline.Exceeded.self) {
            try await deadline.run { () async -> Int in
                // Deliberately deaf to cancellation (the point of the test), so not `eventually`, which ends when
                // cancelled; the test releases it at its end, and the suite's time limit bounds a hang.
                while !operation.isReleased { try? await Task.sleep(for: .milliseconds(20)) }
                operation.markFinished()
                return 1
            }
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(200))
        #expect(!operation.isFinished, "answered only after the operation ended, not at the deadline")
        operation.release()
    }

    @Test func manyCallsShareOneWatcherAndEachGetsItsOwnAnswer() async throws {
        // 2 s: the calls that answer at once must get their task scheduled before it, even on a loaded test run.
        let deadline = Deadline(timeout: .seconds(2))
        let answers = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<200 {
                group.addTask {
                    do {
                        // Every tenth call hangs past the deadline; the others answer at once.
                        let value = try await deadline.run { () async throws -> Int in
                            if index % 10 == 0 { try await Task.sleep(for: .seconds(30)) }
                            return index
                        }
                        return (value, true)
                    } catch is Deadline.Exceeded {
                        return (index, false)
                    }
                }
            }
            var answers: [Int: Bool] = [:]
            for try await (index, ok) in group { answers[index] = ok }
            return answers
        }
        #expect(answers.count == 200)
        #expect(answers.filter { !$0.value }.keys.sorted() == Array(stride(from: 0, to: 200, by: 10)))
        // After a quiet spell the watcher has stopped; a new call starts it again.
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: Deadline.Exceeded.self) {
            try await deadline.run { () async throws -> Int in
                try await Task.sleep(for: .seconds(30))
                return 0
            }
        }
    }
}

/// Lets a test hold an operation running and see whether it has ended.
private final class OperationGate: Sendable {
    private let released = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    var isReleased: Bool { released.load(ordering: .acquiring) }
    var isFinished: Bool { finished.load(ordering: .acquiring) }
    func release() { released.store(true, ordering: .releasing) }
    func markFinished() { finished.store(true, ordering: .releasing) }
}
