import Foundation
import JobLog
import Logging
import MessageQueue

/// Takes one received message from "just received" to "settled" — deleted, scheduled for retry, dead-lettered, or
/// handed back — and records the job in the job log.
///
/// Idempotency lives here: the webhook id is the job key, and a message whose job already finished is deleted
/// without work. While the handler runs, a heartbeat keeps extending the message's visibility so a healthy slow
/// job is never handed to a second worker.
public struct JobRunner: QueueMessageHandler {
    public let queue: any MessageQueue
    public let jobLog: JobLog
    public let handler: any JobHandler
    public let settings: WorkerSettings
    public let metrics: WorkerMetrics
    public let logger: Logger
    /// The visibility timeout the messages were received with; the heartbeat renews it at half-time.
    public let visibilityTimeout: Duration
    /// The queue's redrive threshold (nil: none): at it, a transient failure is dead-lettered by us, with a reason.
    public let maxReceiveCount: Int?
    let sleep: @Sendable (Duration) async throws -> Void

    public init(
        queue: any MessageQueue, jobLog: JobLog, handler: any JobHandler, settings: WorkerSettings,
        metrics: WorkerMetrics, logger: Logger, visibilityTimeout: Duration, maxReceiveCount: Int?,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.queue = queue
        self.jobLog = jobLog
        self.handler = handler
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        self.visibilityTimeout = visibilityTimeout
        self.maxReceiveCount = maxReceiveCount
        self.sleep = sleep
    }

    /// How its messages end (shared with the package-event queue's runner).
    var settlement: MessageSettlement {
        MessageSettlement(
            queue: queue, jobLog: jobLog, settings: settings, visibilityTimeout: visibilityTimeout,
            maxReceiveCount: maxReceiveCount, count: { [metrics] in metrics.countJob(outcome: $0) }, sleep: sleep)
    }

    /// Handles one message. Never throws: every outcome ends in a queue action (or, when cancelled, a hand-back).
    public func handle(_ message: ReceivedMessage) async {
        var logger = self.logger
        logger[metadataKey: "message_id"] = "\(message.id)"
        logger[metadataKey: "receive_count"] = "\(message.receiveCount)"

        let queued: QueuedWebhook
        do {
            queued = try QueuedWebhook.decode(message.body)
        } catch {
            let failure = PipelineFailure.undecodableMessage(error.reason)
            await settlement.deadLetter(message, reason: String(describing: failure), logger: logger)
            return
        }
        logger[metadataKey: "webhook_id"] = "\(queued.webhookId)"
        logger[metadataKey: "event_type"] = "\(queued.eventType)"

        // An unusable webhook still gets its job (and the reason) in the job log before it is dead-lettered.
        let decoded = Result { try JobEvent(queued: queued) }
        let decodedEvent = try? decoded.get()
        if let entryId = decodedEvent?.entryId ?? queued.groupId { logger[metadataKey: "entry"] = "\(entryId)" }

        guard
            case let (job, attempt)? = await settlement.beginJob(
                message, webhookId: queued.webhookId, entryId: decodedEvent?.entryId, eventType: queued.eventType,
                canvasId: decodedEvent?.canvasId, logger: &logger)
        else { return }

        let event: JobEvent
        switch decoded {
        case .success(let value): event = value
        case .failure(let error):
            let reason = String(describing: error)
            _ = try? await jobLog.finish(attempt: attempt, status: .deadLettered, error: reason)
            await settlement.deadLetter(message, reason: reason, logger: logger)
            return
        }

        let isFinalAttempt = settlement.isFinalAttempt(message)
        let steps = StepRecorder(jobLog: jobLog, attemptId: attempt.id, metrics: metrics, logger: logger)
        let context = AttemptContext(job: job, steps: steps, isFinalAttempt: isFinalAttempt)
        let started = ContinuousClock.now
        do {
            let result = try await settlement.withHeartbeat(message, logger: logger) {
                try await handler.run(event, context: context)
            }
            let status: JobStatus = result.outcome == .published ? .succeeded : .skipped
            try await jobLog.finish(attempt: attempt, status: status, package: result.package, topHash: result.topHash)
            metrics.countJob(outcome: status.rawValue)
            metrics.recordJobDuration(ContinuousClock.now - started, outcome: status.rawValue)
            metrics.countPackagedBytes(result.outcome == .published ? result.bytes : 0)
            logger.info(
                "job finished",
                metadata: [
                    "outcome": "\(status.rawValue)", "package": "\(result.package)", "top_hash": "\(result.topHash)",
                    "duration_ms": "\(StepRecorder.milliseconds(ContinuousClock.now - started))",
                ])
            await settlement.delete(message, logger: logger)
        } catch  where error is CancellationError || Task.isCancelled {
            await settlement.interrupted(error, message: message, attempt: attempt, logger: logger)
        } catch {
            await settlement.failed(error, message: message, attempt: attempt, logger: logger)
        }
    }
}
