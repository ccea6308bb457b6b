import AWSCore
import AWSServices
import AsyncHTTPClient
import Benchling
import Config
import Foundation
import JobLog
import Logging
import MessageQueue
import Quilt

/// The worker process as a value tests construct directly: every client built from the process's `WorkerSettings`
/// and a resolved `Configuration`, wired into a `QueueConsumer`.
///
/// The configuration can be replaced while the worker runs (`apply`): the next job uses the new one, jobs in flight
/// finish with theirs. With a `refresher`, a job whose client credentials Benchling refuses asks it for a fresh read
/// of the secret and is run again with the new credentials (see `LivePipeline`).
///
/// `run()` drains the queue until `requestStop()` (or cancellation); `close()` releases the HTTP clients and the
/// job log. The executable only adds signal handling (`WorkerService`) and logging bootstrap.
public final class WorkerApplication: Sendable {
    public let settings: WorkerSettings
    public let consumer: QueueConsumer
    /// The consumer of Quilt's package events (`PACKAGE_EVENT_QUEUE_URL`), when configured: same lifecycle as
    /// `consumer` (started by `run()`, stopped by `requestStop()`).
    public let packageEvents: QueueConsumer?
    public let jobLog: JobLog
    public let queue: any MessageQueue
    public let pipeline: LivePipeline
    public let metrics: WorkerMetrics
    let aws: AWSClient
    let benchlingHTTP: HTTPClient
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void

    /// The configuration new jobs start with.
    public var configuration: Configuration { pipeline.current.configuration }
    /// The registry new jobs write to.
    public var registry: any PackageRegistry { pipeline.current.registry }

    /// Builds the worker. `environment` supplies the AWS wiring (region, credentials, `AWS_ENDPOINT_URL`); the
    /// queue's visibility timeout and redrive threshold are read once here.
    public static func build(
        configuration: Configuration, settings: WorkerSettings,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        metrics: WorkerMetrics = WorkerMetrics(), logger: Logger = Logger(label: "worker"),
        refresher: ConfigurationLoop? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) async throws -> WorkerApplication {
        var logger = logger
        logger.logLevel = configuration.logLevel.loggerLevel
        // One client for the queue, S3 and Athena: no single resource's region applies, so the stack's does.
        let factory = AWSClientFactory(environment: environment)
        let aws = factory.client(
            .worker, region: factory.regionOrDefault(stack: configuration.stackRegion.map { AWSRegion($0) }),
            logger: Logger(label: "worker.aws"))
        let benchlingHTTP = BenchlingHTTP.makeHTTPClient()
        do {
            let queue = try MessageQueueFactory.make(address: settings.queueAddress, sqs: SQS(client: aws))
            let jobLog = try JobLog(path: settings.jobLogPath)
            let parts = PipelineParts(
                aws: aws, benchlingHTTP: benchlingHTTP, jobLog: jobLog, settings: settings, metrics: metrics,
                logger: logger, sleep: sleep)
            let pipeline = LivePipeline(
                try await parts.pipeline(for: configuration, previous: nil), refresher: refresher, logger: logger)
            let visibility: Duration
            if let requested = settings.visibilityTimeout {
                visibility = requested
            } else {
                visibility = try await queue.visibilityTimeout
            }
            let runner = JobRunner(
                queue: queue, jobLog: jobLog, handler: pipeline, settings: settings, metrics: metrics, logger: logger,
                visibilityTimeout: visibility, maxReceiveCount: try await queue.maxReceiveCount, sleep: sleep)
            let consumer = QueueConsumer(queue: queue, runner: runner, settings: settings, logger: logger, sleep: sleep)
            let packageEvents = try await packageEventConsumer(
                settings: settings, sqs: SQS(client: aws), pipeline: pipeline, jobLog: jobLog, metrics: metrics,
                logger: logger, sleep: sleep)
            return WorkerApplication(
                settings: settings, consumer: consumer, packageEvents: packageEvents, jobLog: jobLog, queue: queue,
                pipeline: pipeline,
                metrics: metrics, aws: aws, benchlingHTTP: benchlingHTTP, logger: logger, sleep: sleep)
        } catch {
            try? await benchlingHTTP.shutdown()
            try? await aws.shutdown()
            throw error
        }
    }

    /// The package-event consumer, when `PACKAGE_EVENT_QUEUE_URL` is set. Its visibility timeout and redrive
    /// threshold are the event queue's own (the template's), not the webhook queue's.
    static func packageEventConsumer(
        settings: WorkerSettings, sqs: SQS, pipeline: LivePipeline, jobLog: JobLog, metrics: WorkerMetrics,
        logger: Logger, sleep: @escaping @Sendable (Duration) async throws -> Void
    ) async throws -> QueueConsumer? {
        guard let address = settings.packageEventQueueAddress else { return nil }
        var eventLogger = logger
        eventLogger[metadataKey: "component"] = "package-events"
        let queue = try MessageQueueFactory.make(address: address, sqs: sqs)
        let runner = PackageEventRunner(
            queue: queue, pipeline: pipeline, jobLog: jobLog, settings: settings, metrics: metrics,
            logger: eventLogger, visibilityTimeout: try await queue.visibilityTimeout,
            maxReceiveCount: try await queue.maxReceiveCount, sleep: sleep)
        return QueueConsumer(
            queue: queue, runner: runner, settings: settings, concurrency: settings.packageEventConcurrency,
            logger: eventLogger, sleep: sleep)
    }

    private init(
        settings: WorkerSettings, consumer: QueueConsumer, packageEvents: QueueConsumer?, jobLog: JobLog,
        queue: any MessageQueue,
        pipeline: LivePipeline, metrics: WorkerMetrics, aws: AWSClient, benchlingHTTP: HTTPClient, logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.settings = settings
        self.consumer = consumer
        self.packageEvents = packageEvents
        self.jobLog = jobLog
        self.queue = queue
        self.pipeline = pipeline
        self.metrics = metrics
        self.aws = aws
        self.benchlingHTTP = benchlingHTTP
        self.logger = logger
        self.sleep = sleep
    }

    /// Puts `configuration` in use for the jobs that start from now on: the Benchling client (credentials,
    /// tenant), registry (bucket), package prefix and key, and the log level.
    public func apply(_ configuration: Configuration) async throws {
        var root = logger
        // JSON-line handlers share one level box between a logger and its copies, so this reaches every logger
        // the worker's parts were given.
        root.logLevel = configuration.logLevel.loggerLevel
        let parts = PipelineParts(
            aws: aws, benchlingHTTP: benchlingHTTP, jobLog: jobLog, settings: settings, metrics: metrics,
            logger: root, sleep: sleep)
        pipeline.replace(try await parts.pipeline(for: configuration, previous: pipeline.current))
    }

    /// Drains the queue and, when configured, the package-event queue (and serves `/metrics` when `METRICS_PORT` is set) until stopped or cancelled. Beside
    /// it, once, folds the job logs of gone tasks in `JOB_LOG_DIR` into the archive (see `JobLogFolding`).
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            if let directory = settings.jobLogDirectory {
                group.addTask { [settings, logger] in
                    Self.foldGoneJobLogs(directory: directory, settings: settings, logger: logger)
                }
            }
            if let port = settings.metricsPort {
                group.addTask { [metrics, logger] in
                    do {
                        try await MetricsServer(port: port, metrics: metrics, logger: logger).run()
                    } catch is CancellationError {
                    } catch {
                        logger.error("metrics server failed", metadata: ["error": "\(error)"])
                    }
                }
            }
            await withTaskGroup(of: Void.self) { consumers in
                consumers.addTask { [consumer] in await consumer.run() }
                if let packageEvents {
                    consumers.addTask { await packageEvents.run() }
                }
            }
            group.cancelAll()
        }
    }

    static func foldGoneJobLogs(directory: String, settings: WorkerSettings, logger: Logger) {
        do {
            let report = try JobLogFolding.fold(
                directory: directory, idle: TimeInterval(settings.jobLogFoldIdle.components.seconds),
                except: settings.jobLogPath)
            if !report.folded.isEmpty {
                logger.info(
                    "folded the job logs of gone tasks into the archive",
                    metadata: [
                        "files": "\(report.folded.count)", "jobs": "\(report.jobs)",
                    ])
            }
            for failure in report.failed {
                logger.warning("could not fold a job log", metadata: ["problem": "\(failure)"])
            }
        } catch {
            logger.warning(
                "could not fold gone job logs", metadata: ["directory": "\(directory)", "error": "\(error)"])
        }
    }

    /// Stop receiving and wind down (see `QueueConsumer`).
    public func requestStop() {
        consumer.requestStop()
        packageEvents?.requestStop()
    }

    /// Releases clients and the job log. Call after `run()` returned.
    public func close() async {
        try? await benchlingHTTP.shutdown()
        try? await aws.shutdown()
        try? jobLog.close()
    }
}
