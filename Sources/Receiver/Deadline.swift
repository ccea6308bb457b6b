import Foundation

/// Runs an operation with a hard deadline: the caller gets an answer after at most `timeout`, even when the
/// operation ignores cancellation (it is cancelled and left to finish on its own).
///
/// The receiver must answer Benchling within 3 seconds; a queue call that hangs must become a 503 in time.
enum Deadline {
    struct Exceeded: Error, CustomStringConvertible {
        let timeout: Duration
        var description: String { "no answer within \(timeout)" }
    }

    static func run<T: Sendable>(
        timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let gate = OnceGate<T>()
        return try await withCheckedThrowingContinuation { continuation in
            gate.install(continuation)
            let work = Task {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                gate.resume(with: result)
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled, gate.resume(with: .failure(Exceeded(timeout: timeout))) { work.cancel() }
            }
            // Stop the timer as soon as the work is done, so no sleeping task outlives a fast request.
            Task {
                _ = await work.result
                timer.cancel()
            }
        }
    }
}

/// Resumes a continuation exactly once, whichever of the racers comes first.
private final class OnceGate<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    /// True when this call resumed the continuation.
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        let pending: CheckedContinuation<T, any Error>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(with: result)
        return pending != nil
    }
}
