import Foundation
import Logging
import MessageQueue
import Timing

/// What a `QueueConsumer` hands each received message to: it settles the message (delete, retry, dead-letter or
/// hand back) and never throws. `JobRunner` for webhooks, `PackageEventRunner` for Quilt's package events.
public protocol QueueMessageHandler: Sendable {
    func handle(_ message: ReceivedMessage) async
    /// The visibility timeout messages are received with.
    var visibilityTimeout: Duration { get }
}

/// The receive loop: long-polls the queue while there is room, runs at most `concurrency` messages at once, and
/// never two of the same message group (entry) at once — not even when one receive batch holds several.
///
/// Stopping (`requestStop()`, or ServiceLifecycle's graceful shutdown through `WorkerService`) ends receiving,
/// hands back messages that were waiting behind their group, lets running jobs finish until `settings.stopTimeout`
/// after the stop, then cancels them; a cancelled job hands its message back itself.
///
/// A long poll in progress is never abandoned: SQS may already have taken messages for a request whose client walks
/// away, and those would stay invisible for a whole visibility timeout. The poll returns within `receiveWait`, and
/// what it brings after the stop is handed back at once.
public final class QueueConsumer: Sendable {
    public let queue: any MessageQueue
    public let runner: any QueueMessageHandler
    public let settings: WorkerSettings
    /// Messages handled at once (`settings.concurrency` unless the consumer was given its own).
    public let concurrency: Int
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    private let backlog = KeyedBacklog<ReceivedMessage>()
    /// After a failed receive: 1 s, doubling to a minute, while the queue stays unreachable.
    static let receiveBackoff = Backoff(baseDelay: .seconds(1), maxDelay: .seconds(60), jitter: .none)
    private let stop = StopSignal()

    public init(
        queue: any MessageQueue, runner: any QueueMessageHandler, settings: WorkerSettings,
        concurrency: Int? = nil, logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.queue = queue
        self.runner = runner
        self.settings = settings
        self.concurrency = max(1, concurrency ?? settings.concurrency)
        self.logger = logger
        self.sleep = sleep
    }

    /// Asks the loop to stop receiving and wind down (idempotent; returns at once).
    public func requestStop() {
        stop.fire()
    }

    /// Messages received and not yet settled (waiting behind their group or running).
    public var outstanding: Int {
        get async { await backlog.outstanding }
    }

    /// Runs until stopped or cancelled.
    public func run() async {
        logger.info(
            "worker consuming",
            metadata: [
                "queue": "\(queue.address)", "concurrency": "\(concurrency)",
                "visibility_timeout_s": "\(runner.visibilityTimeout.components.seconds)",
            ])
        await withDiscardingTaskGroup { group in
            var failures = 0
            while !stop.isFired && !Task.isCancelled {
                await stop.unlessFired { [backlog, concurrency] in await backlog.waitForRoom(limit: concurrency) }
                if stop.isFired || Task.isCancelled { break }
                let room = concurrency - (await backlog.outstanding)
                guard room > 0 else { continue }
                let messages: [ReceivedMessage]
                do {
                    messages = try await receive(max: min(room, 10))
                    failures = 0
                } catch is CancellationError {
                    break
                } catch {
                    failures += 1
                    let delay = Self.receiveBackoff.delay(beforeRetry: failures - 1)
                    logger.error(
                        "receive failed; backing off",
                        metadata: [
                            "error": "\(error)", "failures": "\(failures)",
                            "retry_in_ms": "\(StepRecorder.milliseconds(delay))",
                        ])
                    try? await stop.sleepUnlessFired(delay, using: sleep)
                    continue
                }
                for message in messages {
                    let key = message.groupId ?? message.id
                    if await backlog.admit(message, key: key) {
                        group.addTask { await self.drain(key: key, first: message) }
                    }
                }
            }
            await windDown(group: &group)
        }
        logger.info("worker stopped consuming", metadata: ["queue": "\(queue.address)"])
    }

    /// Processes `first`, then the key's later messages in order, until the key has nothing waiting.
    private func drain(key: String, first: ReceivedMessage) async {
        var current: ReceivedMessage? = first
        while let message = current {
            if stop.isFired || Task.isCancelled {
                await handBack(message)
            } else {
                await runner.handle(message)
            }
            current = await backlog.next(after: key)
        }
    }

    /// Stop: hand back what never started, give running jobs `stopTimeout`, then cancel them.
    private func windDown(group: inout DiscardingTaskGroup) async {
        for message in await backlog.takeAllWaiting() { await handBack(message) }
        let running = await backlog.outstanding
        guard running > 0 else { return }
        logger.info(
            "waiting for running jobs before stopping",
            metadata: [
                "running": "\(running)", "stop_timeout_s": "\(settings.stopTimeout.components.seconds)",
            ])
        let drained = await withDeadline(stop.remaining(of: settings.stopTimeout)) { [backlog] in
            await backlog.waitUntilIdle()
            return true
        }
        if drained == nil {
            logger.warning("stop timeout reached; cancelling running jobs (their messages are handed back)")
            group.cancelAll()
        }
    }

    private func handBack(_ message: ReceivedMessage) async {
        await detachedCleanup(settings.cleanupTimeout) { [queue] in
            try await queue.changeVisibility(message, timeout: .zero)
        }
    }

    /// One long poll, left to finish even when a stop arrives meanwhile (see the type's comment).
    private func receive(max: Int) async throws -> [ReceivedMessage] {
        let messages = try await queue.receive(
            maxMessages: max, waitTime: settings.receiveWait, visibilityTimeout: settings.visibilityTimeout)
        guard stop.isFired else { return messages }
        for message in messages { await handBack(message) }
        return []
    }
}
