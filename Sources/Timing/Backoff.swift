/// How long to wait before the next try of something that failed: capped exponential back-off. The wait before
/// retry number `n` (0 for the first retry) is at most `baseDelay × 2^n`, never more than `maxDelay`; with full
/// jitter it is a random fraction of that ceiling, so many processes failing together do not return together.
///
/// The one back-off value of the project: AWS calls, Benchling calls, the configuration loop and message
/// redelivery all say their waits with it. What is retried, and how often, is the caller's business.
public struct Backoff: Sendable, Equatable {
    /// Whether a wait is the ceiling itself or a random part of it.
    public enum Jitter: Sendable, Equatable {
        /// A uniformly random wait between zero and the ceiling (spreads out callers that failed together).
        case full
        /// Exactly the ceiling (a wait someone else enforces, e.g. a message's visibility delay).
        case none
    }

    /// The ceiling of the first wait.
    public var baseDelay: Duration
    /// No wait is longer than this.
    public var maxDelay: Duration
    public var jitter: Jitter

    public init(baseDelay: Duration, maxDelay: Duration, jitter: Jitter = .full) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// The longest wait before retry number `retry` (0-based): `baseDelay × 2^retry`, at most `maxDelay`.
    public func ceiling(beforeRetry retry: Int) -> Duration {
        // 2^30 times any useful base is far beyond any useful cap; the bound only keeps the shift defined.
        let exponent = min(max(retry, 0), 30)
        return min(baseDelay * (1 << exponent), maxDelay)
    }

    /// The wait before retry number `retry` (0-based). `random` is a fraction in 0..<1 (injectable for tests);
    /// it is not used without jitter.
    public func delay(beforeRetry retry: Int, random: Double = Double.random(in: 0..<1)) -> Duration {
        let ceiling = ceiling(beforeRetry: retry)
        switch jitter {
        case .full: return ceiling * random
        case .none: return ceiling
        }
    }
}
