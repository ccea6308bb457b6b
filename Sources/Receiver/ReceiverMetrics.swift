import Prometheus

/// The receiver's Prometheus series, served at `/metrics`.
///
/// Each application owns its registry (tests build several apps in one process, and a process-wide
/// bootstrap can happen only once); the command also installs it as the swift-metrics backend.
public struct ReceiverMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        // Create the unlabelled series up front so a scrape shows them before the first webhook.
        _ = enqueueHistogram
        _ = webhookHistogram
    }

    private static let enqueueBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
    ]

    private var enqueueHistogram: DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "receiver", metricName: "enqueue_duration", unitName: "seconds",
                helpText: "Time to hand a webhook to the queue (successful or not)."),
            buckets: Self.enqueueBuckets)
    }

    /// Sub-millisecond buckets at the low end: a healthy webhook is answered in about a millisecond, and the
    /// latency objective (p99 under 5 ms at 500 requests/s) must be readable from this series alone, apart from
    /// whatever noise a client adds.
    private static let webhookBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(3), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
    ]

    private var webhookHistogram: DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "receiver", metricName: "webhook_duration", unitName: "seconds",
                helpText: "Time from routing a webhook to having its answer (body read, verification, enqueue)."),
            buckets: Self.webhookBuckets)
    }

    /// One answered webhook, whatever the outcome.
    public func recordWebhook(_ duration: Duration) {
        webhookHistogram.record(duration)
    }

    /// One finished request: `route` is the route family (event, canvas, lifecycle, health, metrics, unknown),
    /// `outcome` a short stable word (accepted, ignored, forbidden, invalid_signature…).
    public func countRequest(route: String, outcome: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "receiver", metricName: "requests", unitName: "total",
                helpText: "Requests answered, by route and outcome."),
            labels: [("route", route), ("outcome", outcome)]
        ).increment()
    }

    /// A rejected signature, by the verifier's stable reason.
    public func countVerificationFailure(reason: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "receiver", metricName: "verification_failures", unitName: "total",
                helpText: "Webhook signature verification failures, by reason."),
            labels: [("reason", reason)]
        ).increment()
    }

    public func recordEnqueue(_ duration: Duration) {
        enqueueHistogram.record(duration)
    }

    /// Prometheus text exposition.
    public func exposition() -> String {
        registry.emitToString()
    }
}
