import Config
import Observability
import Prometheus

// Scoped: CoreMetrics and Prometheus both define Counter.
import protocol CoreMetrics.MetricsFactory
import protocol CoreMetrics.TimerHandler

/// The worker's Prometheus series, served at `/metrics` when `METRICS_PORT` is set, and the same events for
/// CloudWatch (`cloudWatch`, the Embedded Metric Format backend when `METRICS_NAMESPACE` is set): `jobs` by
/// outcome, `job_duration` by outcome, `benchling_429`.
///
/// Each application owns its registry (tests build several workers in one process, and swift-metrics'
/// process-wide bootstrap can happen only once).
public struct WorkerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let cloudWatch: (any MetricsFactory)?

    public init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), cloudWatch: (any MetricsFactory)? = nil
    ) {
        self.registry = registry
        self.cloudWatch = cloudWatch
        _ = bytesCounter
        _ = rateLimitCounter
        recordConfiguration(.resolving)
    }

    private static let stepBuckets: [Duration] = [
        .milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5), .seconds(15), .seconds(60),
        .seconds(300), .seconds(900),
    ]

    private static func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "worker", metricName: metric, unitName: unit, helpText: help)
    }

    private var bytesCounter: Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "packaged_bytes", unit: "total", help: "Bytes of files put into new package revisions."))
    }

    private var rateLimitCounter: Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "benchling_rate_limited", unit: "total", help: "Benchling answers of 429 Too Many Requests."))
    }

    /// A settled message: succeeded, skipped, retry, dead_lettered, handed_back or duplicate.
    public func countJob(outcome: String) {
        registry.makeCounter(
            descriptor: Self.name("jobs", unit: "total", help: "Messages settled, by outcome."),
            labels: [("outcome", outcome)]
        ).increment()
        cloudWatch?.makeCounter(label: "jobs", dimensions: [("outcome", outcome)]).increment(by: 1)
    }

    /// One package event (`PACKAGE_EVENT_QUEUE_URL`) settled: refreshed, ignored_* (see `PackageEventIgnored`),
    /// duplicate, retry, dead_lettered or handed_back.
    public func countPackageEvent(outcome: String) {
        registry.makeCounter(
            descriptor: Self.name("package_events", unit: "total", help: "Package events settled, by outcome."),
            labels: [("outcome", outcome)]
        ).increment()
        cloudWatch?.makeCounter(label: "package_events", dimensions: [("outcome", outcome)]).increment(by: 1)
    }

    /// A finished job's duration (begin to package written), by outcome (succeeded or skipped).
    public func recordJobDuration(_ duration: Duration, outcome: String) {
        registry.makeDurationHistogram(
            descriptor: Self.name("job_duration", unit: "seconds", help: "Job attempt duration, by outcome."),
            labels: [("outcome", outcome)], buckets: Self.stepBuckets
        ).record(duration)
        cloudWatch?.makeTimer(label: "job_duration", dimensions: [("outcome", outcome)])
            .recordNanoseconds(duration.wholeNanoseconds)
    }

    /// One pipeline step's duration, by step name and outcome.
    public func recordStep(_ name: String, outcome: String, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.name("step_duration", unit: "seconds", help: "Pipeline step latency."),
            labels: [("step", name), ("outcome", outcome)], buckets: Self.stepBuckets
        ).record(duration)
    }

    public func countPackagedBytes(_ bytes: Int64) {
        bytesCounter.increment(by: bytes)
    }

    /// Whether the configuration in use is stale (see `ConfigurationState`).
    public func recordConfiguration(_ state: ConfigurationState) {
        registry.makeGauge(
            descriptor: Self.name(
                "config_stale", unit: "",
                help: "1 while the secret's newest content cannot be used and an older configuration stays in use.")
        ).set(Int64(state.isStale ? 1 : 0))
    }

    public func countRateLimited() {
        rateLimitCounter.increment()
        cloudWatch?.makeCounter(label: "benchling_429", dimensions: []).increment(by: 1)
    }

    /// Prometheus text exposition.
    public func exposition() -> String {
        registry.emitToString()
    }
}
