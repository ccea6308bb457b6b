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
public struct JobRunner: Sendable {
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
            await deadLetter(message, reason: String(describing: failure), logger: logger)
            return
        }
        logger[metadataKey: "webhook_id"] = "\(queued.webhookId)"
        logger[metadataKey: "event_type"] = "\(queued.eventType)"

        let event: JobEvent?
        var decodeError: (any Error)?
        do { event = try JobEvent(queued: queued) } catch {
            event = nil
            decodeError = error
        }
        if let entryId = event?.entryId ?? queued.groupId { logger[metadataKey: "entry"] = "\(entryId)" }

        let begin: BeginOutcome
        do {
            begin = try await jobLog.begin(
                webhookId: queued.webhookId, entryId: event?.entryId, eventType: queued.eventType,
                canvasId: event?.canvasId, messageBody: message.body)
        } catch {
            // Without the job log we cannot tell a redelivery from new work: retry later.
            logger.error("job log unavailable", metadata: ["error": "\(error)"])
            await retryLater(message, logger: logger)
            return
        }
        guard case .started(let job, let attempt) = begin else {
            logger.info("job already finished; acknowledging redelivery without work")
            metrics.countJob(outcome: "duplicate")
            await settle(logger: logger) { try await queue.delete(message) }
            return
        }
        logger[metadataKey: "job_id"] = "\(job.id)"
        logger[metadataKey: "attempt"] = "\(attempt.number)"

        guard let event else {
            let reason = String(describing: decodeError!)
            _ = try? await jobLog.finish(attempt: attempt, status: .deadLettered, error: reason)
            await deadLetter(message, reason: reason, logger: logger)
            return
        }

        let isFinalAttempt = maxReceiveCount.map { message.receiveCount >= $0 } ?? false
        let steps = StepRecorder(jobLog: jobLog, attemptId: attempt.id, metrics: metrics, logger: logger)
        let context = AttemptContext(job: job, steps: steps, isFinalAttempt: isFinalAttempt)
        let started = ContinuousClock.now
        do {
            let result = try await withHeartbeat(message, logger: logger) {
                try await handler.run(event, context: context)
            }
            let status: JobStatus = result.outcome == .published ? .succeeded : .skipped
            try await jobLog.finish(attempt: attempt, status: status, package: result.package, topHash: result.topHash)
            metrics.countJob(outcome: status.rawValue)
            metrics.recordJobDuration(ContinuousClock.now - started, outcome: status.rawValue)
            metrics.countPackagedBytes(result.outcome == .published ? result.bytes : 0)
            logger.info("job finished", metadata: [
                "outcome": "\(status.rawValue)", "package": "\(result.package)", "top_hash": "\(result.topHash)",
                "duration_ms": "\(StepRecorder.milliseconds(ContinuousClock.now - started))",
            ])
            await settle(logger: logger) { try await queue.delete(message) }
        } catch where error is CancellationError || Task.isCancelled {
            // Cancellation may surface as a transport error from an HTTP call that was cut off: once this task
            // is cancelled, whatever failed is an interruption, not a verdict on the job.
            logger.warning("job interrupted; handing the message back", metadata: ["error": "\(error)"])
            metrics.countJob(outcome: "handed_back")
            await detachedCleanup(settings.cleanupTimeout) { [jobLog, queue] in
                _ = try? await jobLog.finish(
                    attempt: attempt, status: .failed, error: "interrupted: the worker stopped; message handed back")
                try await queue.changeVisibility(message, timeout: .zero)
            }
        } catch {
            await failed(error, message: message, attempt: attempt, isFinalAttempt: isFinalAttempt, logger: logger)
        }
    }

    /// Settles a failed attempt: dead-letter at once when permanent (or out of retries), else retry after back-off.
    private func failed(
        _ error: any Error, message: ReceivedMessage, attempt: Attempt, isFinalAttempt: Bool, logger: Logger
    ) async {
        let failureClass = FailureClassifier.classify(error)
        let reason = String(describing: error)
        if failureClass == .permanent || isFinalAttempt {
            let why = failureClass == .permanent ? reason : "gave up after \(message.receiveCount) attempts: \(reason)"
            _ = try? await jobLog.finish(attempt: attempt, status: .deadLettered, error: why)
            await deadLetter(message, reason: why, logger: logger)
        } else {
            _ = try? await jobLog.finish(attempt: attempt, status: .failed, error: reason)
            logger.warning("job failed; will retry", metadata: ["error": "\(reason)"])
            await retryLater(message, logger: logger)
        }
    }

    private func retryLater(_ message: ReceivedMessage, logger: Logger) async {
        let delay = settings.retryDelay(receiveCount: message.receiveCount)
        metrics.countJob(outcome: "retry")
        await settle(logger: logger) { try await queue.changeVisibility(message, timeout: delay) }
    }

    private func deadLetter(_ message: ReceivedMessage, reason: String, logger: Logger) async {
        logger.error("job dead-lettered", metadata: ["reason": "\(reason)"])
        metrics.countJob(outcome: "dead_lettered")
        await settle(logger: logger) { try await queue.deadLetter(message, reason: reason) }
    }

    /// A queue action that settles the message; if it fails the message simply reappears after its visibility
    /// timeout and the job log decides what happens then.
    private func settle(logger: Logger, _ action: @escaping @Sendable () async throws -> Void) async {
        do {
            try await action()
        } catch {
            logger.error("queue action failed; the message will reappear", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `body` while renewing the message's visibility every half timeout, counted from when the message was
    /// received (it may have waited behind its group before its job began).
    func withHeartbeat<T: Sendable>(
        _ message: ReceivedMessage, logger: Logger, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask { [queue, sleep, visibilityTimeout] in
                let interval = visibilityTimeout / 2
                var wait = max(.zero, interval - (ContinuousClock.now - message.receivedAt))
                while true {
                    if wait > .zero { try await sleep(wait) }
                    wait = interval
                    do {
                        try await queue.changeVisibility(message, timeout: visibilityTimeout)
                        logger.debug("visibility extended", metadata: ["seconds": "\(visibilityTimeout.components.seconds)"])
                    } catch let error as QueueError where error.kind == .messageNotInFlight {
                        logger.error("message no longer in flight; another worker may pick it up")
                        return nil
                    } catch is CancellationError {
                        return nil
                    } catch {
                        logger.warning("visibility extension failed", metadata: ["error": "\(error)"])
                    }
                }
            }
            while let next = try await group.next() {
                if let value = next {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()
        }
    }
}
