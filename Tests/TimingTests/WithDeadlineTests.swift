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
        let gate = Gate()
        let answer = await withDeadline(.milliseconds(100)) { () async -> Int in
            await gate.wait()
            return 1
        }
        #expect(answer == nil)
        #expect(!gate.isOpen, "the body was still waiting when the caller was answered")
        gate.open()
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

/// A wait that ignores cancellation without spinning: a cancelled task polling `try? await Task.sleep` would
/// return from each sleep at once and hold one of the few cooperative threads until released.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    var isOpen: Bool { state.withLock { $0.open } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let openAlready = state.withLock { state in
                if !state.open { state.waiter = continuation }
                return state.open
            }
            if openAlready { continuation.resume() }
        }
    }

    func open() {
        let waiter = state.withLock { state in
            state.open = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
