/// How patient an `AWSClient` is: its timeouts, retries and connection pool, named after the work it does.
/// Every client of the project is built with one of these (through `AWSClientFactory`).
public struct AWSClientProfile: Sendable, Equatable {
    public var timeouts: AWSClient.Timeouts
    public var retryPolicy: RetryPolicy
    /// Connections kept open per host; nil: AsyncHTTPClient's default (8).
    public var connectionsPerHost: Int?

    public init(timeouts: AWSClient.Timeouts, retryPolicy: RetryPolicy = .default, connectionsPerHost: Int? = nil) {
        self.timeouts = timeouts
        self.retryPolicy = retryPolicy
        self.connectionsPerHost = connectionsPerHost
    }

    /// The receiver's SQS sends. Bounded tightly: the receiver must answer Benchling within 3 s, and the enqueue
    /// deadline (2 s by default) cuts the call off in any case. 64 connections per host, because HTTP/1.1 carries
    /// one call per connection: AsyncHTTPClient's default of 8 would cap a receiver at 8 / SQS latency (≈ 400–800
    /// sends/s at 10–20 ms) and queue the rest inside the client, where they eat into the enqueue deadline.
    public static let webhookEnqueue = AWSClientProfile(
        timeouts: AWSClient.Timeouts(connect: .seconds(2), read: .seconds(5), request: .seconds(2)),
        connectionsPerHost: 64)

    /// Configuration resolution (Secrets Manager, CloudFormation) at start-up, on refresh and on health
    /// re-checks: fail fast rather than hang a start (the configuration loop retries the whole resolution while
    /// the failure is transient). AsyncHTTPClient keeps retrying a refused connection until the connect timeout,
    /// so that bounds each attempt when AWS is unreachable.
    public static let configurationResolution = AWSClientProfile(
        timeouts: AWSClient.Timeouts(connect: .seconds(3), read: .seconds(15), request: .seconds(20)),
        retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(200), maxDelay: .seconds(2)))

    /// The worker's one client for SQS, S3 and Athena: reads must outlast a 20 s SQS long poll, and one attempt
    /// may be a large S3 part upload.
    public static let worker = AWSClientProfile(
        timeouts: AWSClient.Timeouts(connect: .seconds(5), read: .seconds(40), request: .seconds(120)))

    /// One-off operator commands beside the worker (queue reports, replays, checks): the worker's read bound (a
    /// long poll) with a shorter whole-call bound, as no operator call moves large bodies.
    public static let `operator` = AWSClientProfile(
        timeouts: AWSClient.Timeouts(connect: .seconds(5), read: .seconds(40), request: .seconds(60)))
}
