import Foundation
import Logging
import ServiceLifecycle

/// Owns the receiver's state and drives it: resolves configuration at start and, while that fails, retries
/// with doubling back-off so that fixing the secret heals a running process.
///
/// Requests read the state on every call, so it sits behind a lock rather than an actor: a read is a few
/// nanoseconds and never suspends. Runs as a ServiceLifecycle service: it stops retrying on graceful
/// shutdown and releases the runtime's clients after the HTTP server (shut down before it) has drained.
public final class ReceiverSupervisor: Service, @unchecked Sendable {
    private let lock = NSLock()
    private var current: ReceiverState = .resolving
    private let provider: any ReceiverRuntimeProvider
    private let backoff: RetryBackoff
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let onReady: @Sendable (ReceiverRuntime) -> Void

    /// - Parameter onReady: called once when configuration first resolves (the command applies `LOG_LEVEL`).
    public init(
        provider: any ReceiverRuntimeProvider, backoff: RetryBackoff, now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger, onReady: @escaping @Sendable (ReceiverRuntime) -> Void = { _ in }
    ) {
        self.provider = provider
        self.backoff = backoff
        self.now = now
        self.logger = logger
        self.onReady = onReady
    }

    /// The state now (never blocks for long: a lock around a value copy).
    public var state: ReceiverState { lock.withLock { current } }

    private func set(_ state: ReceiverState) { lock.withLock { current = state } }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.resolveUntilReady() }
        } catch is CancellationError {
            // Shutdown while still degraded: nothing to release.
        }
        // Stay alive (a finished service would stop the whole group) until shutdown, then release clients.
        try? await gracefulShutdown()
        if case .ready(let runtime) = state { await runtime.close() }
    }

    /// Attempts until one succeeds; throws CancellationError when cancelled.
    func resolveUntilReady() async throws {
        var failures = 0
        while true {
            try Task.checkCancellation()
            do {
                let runtime = try await provider.makeRuntime()
                set(.ready(runtime))
                onReady(runtime)
                logger.info(
                    "receiver ready",
                    metadata: ["after_failures": "\(failures)", "verification": "\(runtime.verifier != nil)"])
                return
            } catch {
                failures += 1
                let delay = backoff.delay(afterFailures: failures)
                let next = now().addingTimeInterval(Double(delay.components.seconds)
                    + Double(delay.components.attoseconds) / 1e18)
                set(.degraded(error, nextAttempt: next, failures: failures))
                logger.error(
                    "configuration unusable; receiver degraded, retrying",
                    metadata: [
                        "reason": "\(error.reason)", "action": "\(error.action)", "failures": "\(failures)",
                        "retry_in_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
                    ])
                try await Task.sleep(for: delay)
            }
        }
    }
}
