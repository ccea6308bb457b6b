import Foundation
import Timing

/// How `AWSClient` retries: up to `maxAttempts` tries, waiting `backoff` (capped exponential, full jitter)
/// between them; applied to throttling, 5xx, timeouts and connection errors, never to other 4xx.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts including the first (1 = no retries).
    public var maxAttempts: Int
    public var backoff: Backoff

    public init(maxAttempts: Int = 4, backoff: Backoff) {
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
    }

    /// Full-jitter back-off from `baseDelay` doubling up to `maxDelay`.
    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10)) {
        self.init(maxAttempts: maxAttempts, backoff: Backoff(baseDelay: baseDelay, maxDelay: maxDelay))
    }

    public static let `default` = RetryPolicy()
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Error codes services use for throttling.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
        "SlowDown", "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "RequestTimeout", "RequestTimeoutException", "PriorBatchRequestFailure",
    ]

    /// Whether a service error is worth retrying.
    public func isRetryable(_ error: AWSError) -> Bool {
        if Self.throttlingCodes.contains(error.code) { return true }
        return error.statusCode == 429 || error.statusCode >= 500
    }

    /// The delay before retry number `retry` (0 for the first retry).
    public func delay(beforeRetry retry: Int) -> Duration {
        backoff.delay(beforeRetry: retry)
    }
}
