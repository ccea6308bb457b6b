import Foundation
import JobLog
import Logging
import MessageQueue

/// Takes one message of the package-event queue (`PACKAGE_EVENT_QUEUE_URL`) to "settled".
///
/// * A body that is not a `package-revision` envelope is dead-lettered at once with the reason.
/// * An event that needs no refresh (another bucket, a package that names no entry of ours, a stale top hash…,
///   see `PackageEventTriage`) is deleted and logged once, without a job: the bucket's other packages are not the
///   job log's business, and an operator looking for a missed refresh finds the reason in the log line.
/// * An event that refreshes a canvas is a job in the job log, like a webhook: keyed `package-revision:{event id}`
///   (a redelivered event whose job succeeded is acknowledged without work), with the entry, canvas, package and
///   top hash, its steps, and its failures, so `worker jobs list` shows it beside the webhooks of the entry.
///   Failures classify like the webhook jobs (transient: retried after back-off through the visibility timeout;
///   permanent, or out of receives: dead-lettered with the reason).
public struct PackageEventRunner: QueueMessageHandler {
    public let queue: any MessageQueue
    public let pipeline: LivePipeline
    public let jobLog: JobLog
    public let metrics: WorkerMetrics
    public let logger: Logger
    let settlement: MessageSettlement

    /// The job log's `event_type` of a refresh job (Quilt's `detail-type`).
    public static let eventType = PackageRevisionEvent.detailType

    public var visibilityTimeout: Duration { settlement.visibilityTimeout }

    public init(
        queue: any MessageQueue, pipeline: LivePipeline, jobLog: JobLog, settings: WorkerSettings,
        metrics: WorkerMetrics, logger: Logger, visibilityTimeout: Duration, maxReceiveCount: Int?,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.queue = queue
        self.pipeline = pipeline
        self.jobLog = jobLog
        self.metrics = metrics
        self.logger = logger
        settlement = MessageSettlement(
            queue: queue, jobLog: jobLog, settings: settings, visibilityTimeout: visibilityTimeout,
            maxReceiveCount: maxReceiveCount, count: { [metrics] in metrics.countPackageEvent(outcome: $0) },
            sleep: sleep)
    }

    public func handle(_ message: ReceivedMessage) async {
        var logger = self.logger
        logger[metadataKey: "message_id"] = "\(message.id)"
        logger[metadataKey: "receive_count"] = "\(message.receiveCount)"
        logger[metadataKey: "queue"] = "package-events"

        let event: PackageRevisionEvent
        do {
            event = try PackageRevisionEvent.parse(message.body)
        } catch {
            await settlement.deadLetter(message, reason: String(describing: error), logger: logger)
            return
        }
        logger[metadataKey: "package"] = "\(event.handle)"
        if let topHash = event.topHash { logger[metadataKey: "top_hash"] = "\(topHash)" }

        // The configuration (bucket, prefix, key) and registry are the current pipeline's, read once per event.
        let current = pipeline.current
        let decision: PackageEventTriage.Decision
        do {
            decision = try await settlement.withHeartbeat(message, logger: logger) {
                try await current.packageEventTriage.decide(event)
            }
        } catch  where error is CancellationError || Task.isCancelled {
            await settlement.interrupted(error, message: message, attempt: nil, logger: logger)
            return
        } catch {
            await settlement.failed(error, message: message, attempt: nil, logger: logger)
            return
        }
        switch decision {
        case .ignore(let why):
            // Other buckets and prefixes are routine (every revision in the bucket raises an event): debug.
            let level: Logger.Level =
                switch why {
                case .otherBucket, .notOurs: .debug
                default: .info
                }
            logger.log(level: level, "package event ignored", metadata: ["reason": "\(why)"])
            metrics.countPackageEvent(outcome: why.label)
            await settlement.delete(message, logger: logger)
        case .refresh(let target):
            await refresh(target, event: event, message: message, logger: logger)
        }
    }

    /// The refresh as a job of the job log.
    private func refresh(
        _ target: PackageEventTarget, event: PackageRevisionEvent, message: ReceivedMessage, logger: Logger
    ) async {
        var logger = logger
        logger[metadataKey: "entry"] = "\(target.entryId)"
        logger[metadataKey: "canvas_id"] = "\(target.canvasId)"
        let key = "\(Self.eventType):\(event.id ?? message.id)"
        logger[metadataKey: "webhook_id"] = "\(key)"
        guard
            case let (job, attempt)? = await settlement.beginJob(
                message, webhookId: key, entryId: target.entryId, eventType: Self.eventType, canvasId: target.canvasId,
                logger: &logger)
        else { return }
        try? await jobLog.setDisplayId(jobId: job.id, target.displayId)
        let steps = StepRecorder(jobLog: jobLog, attemptId: attempt.id, metrics: metrics, logger: logger)
        do {
            try await settlement.withHeartbeat(message, logger: logger) { [pipeline] in
                try await pipeline.withCurrent(steps: steps) { try await $0.refreshCanvas(target, steps: steps) }
            }
            try await jobLog.finish(
                attempt: attempt, status: .succeeded, package: target.eventPackage.description,
                topHash: target.eventTopHash)
            metrics.countPackageEvent(outcome: "refreshed")
            logger.info(
                "canvas refreshed for a package revision",
                metadata: [
                    "entry_package": "\(target.package)"
                ])
            await settlement.delete(message, logger: logger)
        } catch  where error is CancellationError || Task.isCancelled {
            await settlement.interrupted(error, message: message, attempt: attempt, logger: logger)
        } catch {
            await settlement.failed(error, message: message, attempt: attempt, logger: logger)
        }
    }
}
