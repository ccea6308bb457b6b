import Config
import Foundation
import Logging
import ServiceLifecycle

/// Owns the receiver's state and drives it with the shared `ConfigurationLoop`: until a configuration resolves the
/// receiver is degraded (and retries with back-off, so fixing the secret heals a running process); afterwards every
/// refreshed configuration replaces the runtime at once — the next request uses it, requests in flight finish
/// with theirs — and one that cannot be used leaves the runtime in place, ready as before, with `/health` saying
/// the configuration is stale.
///
/// Requests read the runtime on every call, so it sits behind a lock rather than an actor: a read is a few
/// nanoseconds and never suspends. Runs as a ServiceLifecycle service: it stops the loop on graceful shutdown and
/// then releases the queue and HTTP clients (the HTTP server, shut down before it, has drained by then).
public final class ReceiverSupervisor: Service, @unchecked Sendable {
    public let loop: ConfigurationLoop
    private let settings: ReceiverSettings
    private let logger: Logger
    private let onApply: @Sendable (ReceiverRuntime) -> Void
    private let lock = NSLock()
    private var runtime: ReceiverRuntime?
    private var connections: ReceiverConnections?

    /// - Parameters:
    ///   - onApply: called with every runtime put in use (the command applies the secret's `LOG_LEVEL` here).
    ///   - onChange: told every configuration state (metrics).
    public init(
        settings: ReceiverSettings, logger: Logger, onApply: @escaping @Sendable (ReceiverRuntime) -> Void = { _ in },
        onChange: @escaping @Sendable (ConfigurationState) -> Void = { _ in }
    ) {
        self.settings = settings
        self.logger = logger
        self.onApply = onApply
        loop = ConfigurationLoop(
            resolver: ConfigurationResolver(environment: settings.environment, logger: logger),
            refreshInterval: settings.refreshInterval, retry: settings.retry, logger: logger, onChange: onChange)
    }

    /// The state now (never blocks for long: a lock around a value copy).
    public var state: ReceiverState {
        if let runtime = lock.withLock({ runtime }) { return .ready(runtime) }
        if case .unusable(let error, let failures, let next) = loop.state {
            return .degraded(StartupProblem(error), nextAttempt: next, failures: failures)
        }
        return .resolving
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await self.loop.run { (configuration, _) throws(ConfigurationError) in
                    try await self.apply(configuration)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown.
        }
        await lock.withLock { connections }?.close()
    }

    private func apply(_ configuration: Configuration) async throws(ConfigurationError) {
        let connections: ReceiverConnections
        if let open = lock.withLock({ self.connections }) {
            connections = open
        } else {
            connections = try ReceiverConnections.open(settings: settings, configuration: configuration)
            lock.withLock { self.connections = connections }
        }
        let previous = lock.withLock { runtime }
        let next = await connections.runtime(
            for: configuration, previous: previous, settings: settings, logger: logger)
        lock.withLock { runtime = next }
        onApply(next)
        if previous == nil {
            logger.info("receiver ready", metadata: ["verification": "\(next.verifier != nil)"])
        }
    }
}
