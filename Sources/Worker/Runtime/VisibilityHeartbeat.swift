import Foundation
import Logging
import MessageQueue

/// Keeps a running message invisible: renews its visibility timeout on a fixed cadence, a third of the timeout,
/// counted from when the message was received (it may have waited behind its group before its job began).
///
/// Why a cadence and not "sleep, renew, repeat": on a starved machine, or with a slow SQS, one round trip can take
/// longer than the margin left, and renewing only after the previous renewal returned let the message lapse and be
/// handed out twice. Here a slow renewal does not delay the next; up to two may be in flight at once (a third tick is
/// skipped), and the message lapses only if no renewal at all lands within a whole timeout.
struct VisibilityHeartbeat: Sendable {
    let queue: any MessageQueue
    let visibilityTimeout: Duration
    let sleep: @Sendable (Duration) async throws -> Void

    /// Renewals in flight, and whether SQS said the message is no longer ours.
    private actor Renewals {
        var inFlight = 0
        var lost = false

        func begin() -> Bool {
            guard inFlight < 2 else { return false }
            inFlight += 1
            return true
        }

        func end(lost: Bool) {
            inFlight -= 1
            if lost { self.lost = true }
        }
    }

    /// Renews until cancelled, or until the message is no longer in flight (another worker may take it then).
    func run(_ message: ReceivedMessage, logger: Logger) async {
        let interval = visibilityTimeout / 3
        let renewals = Renewals()
        await withDiscardingTaskGroup { group in
            var wait = interval - (ContinuousClock.now - message.receivedAt)
            while !Task.isCancelled {
                if wait > .zero {
                    do { try await sleep(wait) } catch { break }
                }
                wait = interval
                if await renewals.lost {
                    logger.error("message no longer in flight; another worker may pick it up")
                    break
                }
                guard await renewals.begin() else {
                    logger.warning("two visibility renewals still in flight; skipping one")
                    continue
                }
                group.addTask { [queue, visibilityTimeout] in
                    var lost = false
                    do {
                        try await queue.changeVisibility(message, timeout: visibilityTimeout)
                        logger.debug(
                            "visibility extended", metadata: ["seconds": "\(visibilityTimeout.components.seconds)"])
                    } catch let error as QueueError where error.kind == .messageNotInFlight {
                        lost = true
                    } catch is CancellationError {
                    } catch {
                        if !Task.isCancelled {
                            logger.warning("visibility extension failed", metadata: ["error": "\(error)"])
                        }
                    }
                    await renewals.end(lost: lost)
                }
            }
            group.cancelAll()
        }
    }
}
