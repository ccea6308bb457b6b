import Foundation
import Timing

/// How the Benchling client retries 429, 500/502/503/504 and connection errors: up to `maxAttempts` tries,
/// waiting `backoff` (capped exponential, full jitter) between them, except that a server-provided wait
/// (`x-rate-limit-reset`, `Retry-After`) is honoured (plus a little jitter so many workers do not return at the
/// same instant), capped at `maxServerWait`.
public struct BenchlingRetryPolicy: Sendable {
    /// Total tries including the first.
    public var maxAttempts: Int
    public var backoff: Backoff
    /// Longest server-requested wait we accept; beyond it we wait this long and try anyway.
    public var maxServerWait: Duration
    /// Random fraction in 0..<1; injectable for tests.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(20),
        maxServerWait: Duration = .seconds(60), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = Backoff(baseDelay: baseDelay, maxDelay: maxDelay, jitter: .full)
        self.maxServerWait = maxServerWait
        self.random = random
    }

    public static let `default` = BenchlingRetryPolicy()
    /// Never retries.
    public static let none = BenchlingRetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int, serverWait: Double?) -> Duration {
        if let serverWait, serverWait >= 0 {
            let requested = min(Duration.seconds(serverWait), maxServerWait)
            return requested + backoff.baseDelay * (random() * 0.2)
        }
        return backoff.delay(beforeRetry: attempt - 1, random: random())
    }
}
