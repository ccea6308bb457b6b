import Timing

/// Runs `body` in a task that does not inherit the caller's cancellation, bounded by `timeout`: a cancelled job
/// must still hand its message back.
func detachedCleanup(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async {
    await Task.detached {
        _ = await withDeadline(timeout) { try await body() }
    }.value
}
