import Config
import Foundation
import Logging

/// Resolves the configuration once at start, and while it is unusable keeps trying with doubling back-off,
/// logging every problem, instead of exiting.
///
/// An empty secret on a fresh deployment must not crash-loop the worker (that trips ECS's circuit breaker and
/// rolls the deployment back); fixing the secret heals the waiting process.
public struct ConfigurationLoader: Sendable {
    public let resolve: @Sendable () async throws -> Configuration
    public let retryBase: Duration
    public let retryCap: Duration
    public let sleep: @Sendable (Duration) async throws -> Void
    public let logger: Logger

    public init(
        resolver: ConfigurationResolver, retryBase: Duration, retryCap: Duration,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger
    ) {
        self.resolve = { try await resolver.resolve() }
        self.retryBase = retryBase
        self.retryCap = retryCap
        self.sleep = sleep
        self.logger = logger
    }

    /// Returns the first usable configuration; throws only `CancellationError` (shutdown while waiting).
    public func load() async throws -> Configuration {
        var failures = 0
        while true {
            try Task.checkCancellation()
            do {
                let configuration = try await resolve()
                if failures > 0 { logger.info("configuration usable", metadata: ["after_failures": "\(failures)"]) }
                return configuration
            } catch let error as CancellationError {
                throw error
            } catch {
                failures += 1
                let delay = Self.delay(afterFailures: failures, base: retryBase, cap: retryCap)
                let problems = (error as? ConfigurationError)?.messages ?? [String(describing: error)]
                logger.error(
                    "configuration unusable; waiting before the next attempt",
                    metadata: [
                        "problems": .array(problems.map { .string($0) }), "failures": "\(failures)",
                        "retry_in_seconds": "\(delay.components.seconds)",
                    ])
                try await sleep(delay)
            }
        }
    }

    static func delay(afterFailures failures: Int, base: Duration, cap: Duration) -> Duration {
        min(base * (1 << min(max(failures - 1, 0), 20)), cap)
    }
}
