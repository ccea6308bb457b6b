/// Runs `body` and gives up after `timeout`, returning nil. Used for clean-up calls (hand-back, job log close)
/// that must not hold a stopping worker hostage.
func withDeadline<T: Sendable>(
    _ timeout: Duration, _ body: @escaping @Sendable () async throws -> T
) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { try? await body() }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

/// Runs `body` in a task that does not inherit the caller's cancellation, bounded by `timeout`: a cancelled job
/// must still hand its message back.
func detachedCleanup(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async {
    await Task.detached {
        _ = await withDeadline(timeout) { try await body() }
    }.value
}
