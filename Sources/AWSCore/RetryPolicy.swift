import Foundation

/// Capped exponential backoff with full jitter (delay = random(0, min(cap, base * 2^attempt))), applied to
/// throttling, 5xx, timeouts and connection errors; never to other 4xx.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts including the first (1 = no retries).
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
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
        let baseNanos = Double(baseDelay.components.seconds) * 1e9 + Double(baseDelay.components.attoseconds) / 1e9
        let capNanos = Double(maxDelay.components.seconds) * 1e9 + Double(maxDelay.components.attoseconds) / 1e9
        let ceiling = min(capNanos, baseNanos * pow(2, Double(min(retry, 30))))
        return .nanoseconds(Int64(Double.random(in: 0...max(0, ceiling))))
    }
}
