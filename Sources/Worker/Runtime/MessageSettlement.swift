import Foundation
import JobLog
import Logging
import MessageQueue

/// How a received message ends, for every queue the worker consumes (the webhook queue's `JobRunner` and the
/// package-event queue's `PackageEventRunner`): delete, retry after back-off, dead-letter with a reason, hand back
/// when interrupted, and the heartbeat that keeps a running message invisible.
///
/// `count` names the metric each settlement counts under (`jobs` for webhooks, `package_events` for events).
struct MessageSettlement: Sendable {
    let queue: any MessageQueue
    let jobLog: JobLog
    let settings: WorkerSettings
    /// The visibility timeout the messages were received with; the heartbeat renews it every third of it.
    let visibilityTimeout: Duration
    /// The queue's redrive threshold (nil: none): at it, a transient failure is dead-lettered by us, with a reason.
    let maxReceiveCount: Int?
    let count: @Sendable (String) -> Void
    let sleep: @Sendable (Duration) async throws -> Void

    /// Opens the message's job in the job log: the begin of every job, webhook or package event. Nil when the
    /// message is settled here instead: the job log is unavailable (without it a redelivery cannot be told from new
    /// work: retry later), or the job already finished (a redelivery: deleted without work). `logger` gains the job
    /// id and attempt number.
    func beginJob(
        _ message: ReceivedMessage, webhookId: String, entryId: String?, eventType: String, canvasId: String?,
        logger: inout Logger
    ) async -> (job: Job, attempt: Attempt)? {
        let begin: BeginOutcome
        do {
            begin = try await jobLog.begin(
                webhookId: webhookId, entryId: entryId, eventType: eventType, canvasId: canvasId,
                messageBody: message.body)
        } catch {
            logger.error("job log unavailable", metadata: ["error": "\(error)"])
            await retryLater(message, logger: logger)
            return nil
        }
        guard case .started(let job, let attempt) = begin else {
            logger.info("job already finished; acknowledging redelivery without work")
            count("duplicate")
            await delete(message, logger: logger)
            return nil
        }
        logger[metadataKey: "job_id"] = "\(job.id)"
        logger[metadataKey: "attempt"] = "\(attempt.number)"
        return (job, attempt)
    }

    /// True when a transient failure of this delivery will not be retried.
    func isFinalAttempt(_ message: ReceivedMessage) -> Bool {
        maxReceiveCount.map { message.receiveCount >= $0 } ?? false
    }

    /// Settles a failed attempt: dead-letter at once when permanent (or out of retries), else retry after back-off.
    /// `attempt` nil: the failure came before the job log recorded anything.
    func failed(_ error: any Error, message: ReceivedMessage, attempt: Attempt?, logger: Logger) async {
        let failureClass = FailureClassifier.classify(error)
        let reason = String(describing: error)
        if failureClass == .permanent || isFinalAttempt(message) {
            let why = failureClass == .permanent ? reason : "gave up after \(message.receiveCount) attempts: \(reason)"
            if let attempt { _ = try? await jobLog.finish(attempt: attempt, status: .deadLettered, error: why) }
            await deadLetter(message, reason: why, logger: logger)
        } else {
            if let attempt { _ = try? await jobLog.finish(attempt: attempt, status: .failed, error: reason) }
            logger.warning("job failed; will retry", metadata: ["error": "\(reason)"])
            await retryLater(message, logger: logger)
        }
    }

    /// The worker stopped mid-job: the attempt is closed as interrupted and the message handed back at once.
    func interrupted(_ error: any Error, message: ReceivedMessage, attempt: Attempt?, logger: Logger) async {
        // Cancellation may surface as a transport error from an HTTP call that was cut off: once this task is
        // cancelled, whatever failed is an interruption, not a verdict on the job.
        logger.warning("job interrupted; handing the message back", metadata: ["error": "\(error)"])
        count("handed_back")
        await detachedCleanup(settings.cleanupTimeout) { [jobLog, queue] in
            if let attempt {
                _ = try? await jobLog.finish(
                    attempt: attempt, status: .failed, error: "interrupted: the worker stopped; message handed back")
            }
            try await queue.changeVisibility(message, timeout: .zero)
        }
    }

    func retryLater(_ message: ReceivedMessage, logger: Logger) async {
        let delay = settings.retryDelay(receiveCount: message.receiveCount)
        count("retry")
        await settle(logger: logger) { try await queue.changeVisibility(message, timeout: delay) }
    }

    func deadLetter(_ message: ReceivedMessage, reason: String, logger: Logger) async {
        logger.error("job dead-lettered", metadata: ["reason": "\(reason)"])
        count("dead_lettered")
        await settle(logger: logger) { try await queue.deadLetter(message, reason: reason) }
    }

    func delete(_ message: ReceivedMessage, logger: Logger) async {
        await settle(logger: logger) { try await queue.delete(message) }
    }

    /// A queue action that settles the message; if it fails the message simply reappears after its visibility
    /// timeout and the job log decides what happens then.
    func settle(logger: Logger, _ action: @escaping @Sendable () async throws -> Void) async {
        do {
            try await action()
        } catch {
            logger.error("queue action failed; the message will reappear", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `body` while `VisibilityHeartbeat` keeps the message invisible.
    func withHeartbeat<T: Sendable>(
        _ message: ReceivedMessage, logger: Logger, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask { [queue, sleep, visibilityTimeout] in
                await VisibilityHeartbeat(queue: queue, visibilityTimeout: visibilityTimeout, sleep: sleep)
                    .run(message, logger: logger)
                return nil
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
