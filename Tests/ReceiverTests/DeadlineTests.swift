import Foundation
import Testing
@testable import Receiver

/// The enqueue deadline on its own: answers in time even when the operation ignores cancellation.
@Suite struct DeadlineTests {
    @Test func resultsPassThroughAndSlowOperationsAreCutOff() async throws {
        let deadline = Deadline(timeout: .milliseconds(200))
        #expect(try await deadline.run { 42 } == 42)
        await #expect(throws: CancellationError.self) { try await deadline.run { () async throws -> Int in throw CancellationError() } }

        // Ignores cancellation and would take 5 s: the caller is answered at the deadline instead.
        let started = ContinuousClock.now
        await #expect(throws: Deadline.Exceeded.self) {
            try await deadline.run { () async -> Int in
                let end = ContinuousClock.now + .seconds(5)
                while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(50)) }
                return 1
            }
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(200))
        #expect(elapsed < .seconds(4))
    }

    @Test func manyCallsShareOneWatcherAndEachGetsItsOwnAnswer() async throws {
        let deadline = Deadline(timeout: .milliseconds(300))
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
