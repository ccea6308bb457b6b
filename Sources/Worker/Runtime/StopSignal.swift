import Foundation

/// A one-shot "stop now" flag that can be read without suspending and awaited.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextId = 0

    var isFired: Bool { lock.withLock { fired } }

    func fire() {
        let toResume: [CheckedContinuation<Void, Never>] = lock.withLock {
            guard !fired else { return [] }
            fired = true
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
                    if fired || Task.isCancelled { return true }
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

    /// Sleeps `duration` unless the signal fires first.
    func sleepUnlessFired(_ duration: Duration, using sleep: @escaping @Sendable (Duration) async throws -> Void)
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
