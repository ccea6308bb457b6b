/// Runs `body` and gives up after `timeout`, returning nil (also when `body` throws). The answer comes at the
/// deadline even when `body` ignores cancellation (it is cancelled and left to finish on its own), so clean-up
/// calls cannot hold a stopping process hostage. A cancelled caller cancels `body` too.
///
/// For many calls with one shared timeout on a hot path, keep one `Deadline` instead (one watcher for all).
public func withDeadline<T: Sendable>(
    _ timeout: Duration, _ body: @escaping @Sendable () async throws -> T
) async -> T? {
    try? await Deadline(timeout: timeout).run(body, followingCallerCancellation: true)
}
