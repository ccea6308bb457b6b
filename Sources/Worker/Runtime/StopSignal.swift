import Foundation

/// A one-shot "stop now" flag that can be read without suspending and awaited.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var firedAt: ContinuousClock.Instant?
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextId = 0

    var isFired: Bool { lock.withLock { firedAt != nil } }

    func fire() {
        let toResume: [CheckedContinuation<Void, Never>] = lock.withLock {
            guard firedAt == nil else { return [] }
            firedAt = .now
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for waiter in toResume { waiter.resume() }
    }

    /// Returns when fired, or when the waiting task is cancelled.
    func wait() async {
        let id: Int = lock.withLock {
            nextId += 1
            return nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow: Bool = lock.withLock {
                    if firedAt != nil || Task.isCancelled { return true }
                    waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = lock.withLock { waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// What is left of `timeout` counted from the moment the signal fired (all of it when it has not fired): a
    /// stop timeout is the time from the stop, however long receiving took to wind down.
    func remaining(of timeout: Duration) -> Duration {
        guard let firedAt = lock.withLock({ firedAt }) else { return timeout }
        return max(.zero, timeout - (ContinuousClock.now - firedAt))
    }

    /// Runs `body` until it returns or the signal fires, whichever comes first (`body` is cancelled then).
    func unlessFired(_ body: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await body() }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Sleeps `duration` unless the signal fires first.
    func sleepUnlessFired(
        _ duration: Duration, using sleep: @escaping @Sendable (Duration) async throws -> Void
    )
        async throws
    {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sleep(duration) }
            group.addTask { await self.wait() }
            try await group.next()
            group.cancelAll()
        }
    }
}
