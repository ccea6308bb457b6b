import Foundation
import JSONCore
import JobLog
import MessageQueue
import Worker

/// Enqueues work an operator asks for: a fresh packaging request for an entry, or the recorded event of a job.
///
/// Both produce the queue message format the receiver writes, so the worker handles them on its one code path.
public struct ManualEnqueue: Sendable {
    /// The `eventType` of a queued message an operator asked for; the job log shows it in `jobs list`.
    public static let manualEventType = "manual.replay"
    /// The Benchling event the synthesized webhook carries: the pipeline packages an entry for it exactly as for
    /// an edit of the entry's fields.
    public static let carriedEventType = "v2.entry.updated.fields"

    public let queue: any MessageQueue
    public var now: @Sendable () -> Date = { Date() }

    public init(queue: any MessageQueue) {
        self.queue = queue
    }

    /// Queues a packaging request for `entryId` and returns what was sent.
    ///
    /// The body is a Benchling-shaped envelope whose message is a `v2.entry.updated.fields` event naming the entry
    /// (`resourceId`), with a `manual_` webhook id and event id and `createdAt` = now; the queue message's
    /// `eventType` is `manual.replay` so the job is recognisable. It is not signed: the worker trusts the queue.
    @discardableResult
    public func enqueueEntry(_ entryId: String) async throws -> QueuedWebhook {
        guard entryId.hasPrefix("etr_") else {
            throw OperatorError("\(entryId) is not an entry id (expected etr_…; `worker jobs list` shows entry ids)")
        }
        let date = now()
        let stamp = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let message: JSONObject = [
            "type": .string(Self.carriedEventType),
            "id": .string("evt_manual_\(token)"),
            "resourceId": .string(entryId),
            "createdAt": .string(OperatorFormat.iso(date)),
            "deprecated": false,
            "updates": [],
        ]
        let envelope: JSONObject = ["version": "0", "channel": "events", "message": .object(message)]
        let queued = QueuedWebhook(
            webhookId: "manual_\(stamp)_\(token)", webhookTimestamp: String(stamp / 1000),
            receivedAt: OperatorFormat.iso(date), eventType: Self.manualEventType, groupId: entryId,
            body: envelope.compactString())
        try await queue.send(
            OutgoingMessage(
                body: queued.encodedBody(), groupId: entryId, deduplicationId: queued.webhookId))
        return queued
    }

    /// Re-queues the event recorded for `job`.
    ///
    /// A job that did not finish successfully keeps its webhook id, so the worker continues the same job with
    /// another attempt. A succeeded or skipped job gets a new webhook id (`<id>-replay-<ms>`): under the old one
    /// the worker would acknowledge the message without work.
    @discardableResult
    public func enqueueJob(_ job: Job) async throws -> QueuedWebhook {
        // A package event's job recorded Quilt's envelope, which QUEUE_URL's worker cannot read: refreshing the
        // canvas again is an Update Package press, or `replay --entry`.
        guard job.eventType != PackageEventRunner.eventType else {
            throw QueueError(
                .invalidRequest,
                "job \(job.id) refreshed a canvas for a Quilt package event; "
                    + "replay its entry instead (worker replay --entry \(job.entryId ?? "ENTRY_ID"))")
        }
        var queued = try QueuedWebhook.decode(job.messageBody)
        let deduplicationId = DeadLetterReplay.replayDeduplicationId(base: queued.webhookId, at: now())
        if job.status.isFinishedSuccessfully { queued.webhookId = deduplicationId }
        let body = job.status.isFinishedSuccessfully ? queued.encodedBody() : job.messageBody
        let group = queued.groupId ?? job.entryId ?? job.canvasId ?? queued.webhookId
        try await queue.send(OutgoingMessage(body: body, groupId: group, deduplicationId: deduplicationId))
        return queued
    }
}
