import Foundation

/// Hands the bound port from Hummingbird's `onServerRunning` callback to `SandboxTenant.start`, or the error if
/// the server stopped (or never came up in time) first.
actor StartupSignal {
    private var result: Result<Int, any Error>?
    private var waiters: [CheckedContinuation<Int, any Error>] = []

    func succeed(port: Int) { finish(.success(port)) }
    func fail(_ error: any Error) { finish(.failure(error)) }

    /// Waits for the port; fails after `timeout`.
    func wait(timeout: Duration) async throws -> Int {
        if let result { return try result.get() }
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.fail(SandboxError.startTimedOut(timeout))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    private func finish(_ outcome: Result<Int, any Error>) {
        guard result == nil else { return }
        result = outcome
        for waiter in waiters { waiter.resume(with: outcome) }
        waiters.removeAll()
    }
}

/// Errors the sandbox itself raises.
public enum SandboxError: Error, CustomStringConvertible {
    case startTimedOut(Duration)
    case serverStopped
    case noBoundPort
    case judgeFailed(String)

    public var description: String {
        switch self {
        case .startTimedOut(let timeout): return "Benchling sandbox did not start within \(timeout)."
        case .serverStopped: return "Benchling sandbox server stopped before it was running."
        case .noBoundPort: return "Benchling sandbox could not read its bound port."
        case .judgeFailed(let detail): return "OpenAPI judge could not run: \(detail)"
        }
    }
}
