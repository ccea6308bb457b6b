import Synchronization
import Testing
import Timing

/// `withDeadline`, the bounded wait of clean-up calls: the shared `Deadline` with the caller's cancellation passed on.
@Suite(.timeLimit(.minutes(1))) struct WithDeadlineTests {
    @Test func answersWithTheResultOrNil() async {
        #expect(await withDeadline(.seconds(30)) { 7 } == 7)
        #expect(await withDeadline(.seconds(30)) { () async throws -> Int in throw CancellationError() } == nil)
    }

    @Test func givesUpAtTheDeadlineEvenWhenTheBodyIgnoresCancellation() async {
        let released = Mutex(false)
        let answer = await withDeadline(.milliseconds(100)) { () async -> Int in
            while !released.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
            return 1
        }
        #expect(answer == nil)
        #expect(!released.withLock { $0 }, "the body was still running when the caller was answered")
        released.withLock { $0 = true }
    }

    @Test func aCancelledCallerCancelsTheBody() async {
        let bodyStarted = AsyncStream<Void>.makeStream()
        let caller = Task {
            await withDeadline(.seconds(600)) { () async throws -> Bool in
                bodyStarted.continuation.yield()
                try await Task.sleep(for: .seconds(600))
                return true
            }
        }
        var started = bodyStarted.stream.makeAsyncIterator()
        _ = await started.next()
        caller.cancel()
        // Without the cancellation passed on, this would wait for the 600 s deadline (and the time limit fail it).
        #expect(await caller.value == nil)
    }
}
