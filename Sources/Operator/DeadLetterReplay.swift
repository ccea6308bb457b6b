import Foundation
import MessageQueue

/// Moves dead-lettered messages back to the queue they came from.
///
/// Order matters: a message is sent to the source queue first and deleted from the dead-letter queue only after
/// the send succeeded, so an interruption between the two leaves it in both places (a duplicate the job log
/// absorbs, since the webhook id is the job key) and never in neither. The copy keeps the body and the FIFO group
/// but gets a new deduplication id — SQS would silently drop a resend under the original id within five minutes.
public struct DeadLetterReplay: Sendable {
    /// Which dead-lettered messages to move.
    public enum Selection: Sendable, Equatable {
        case all
        case webhookIds(Set<String>)

        func matches(_ entry: DeadLetterEntry) -> Bool {
            switch self {
            case .all: return true
            case .webhookIds(let ids): return entry.webhookId.map(ids.contains) ?? false
            }
        }
    }

    /// What happened (or, in a dry run, would happen) to one message.
    public struct Moved: Sendable, Equatable {
        public let entry: DeadLetterEntry
        /// The deduplication id of the copy sent to the source queue (nil in a dry run).
        public let deduplicationId: String?
    }

    public let source: any MessageQueue
    public let deadLetters: any MessageQueue
    public var browser: DeadLetterBrowser
    public var now: @Sendable () -> Date = { Date() }
    /// Runs between the send and the delete. Only tests set it, to interrupt a replay at its most fragile point.
    public var afterSend: @Sendable (ReceivedMessage) async throws -> Void = { _ in }

    public init(source: any MessageQueue, deadLetters: any MessageQueue) {
        self.source = source
        self.deadLetters = deadLetters
        self.browser = DeadLetterBrowser(queue: deadLetters)
    }

    /// The dead-letter queue of `source`, or an error saying the queue has no redrive policy.
    public static func forQueue(_ source: any MessageQueue) async throws -> DeadLetterReplay {
        guard let deadLetters = try await source.deadLetterQueue() else {
            throw OperatorError("the queue has no dead-letter queue (no redrive policy): nothing to replay")
        }
        return DeadLetterReplay(source: source, deadLetters: deadLetters)
    }

    /// Moves the selected messages (or with `dryRun` only lists them, leaving both queues unchanged).
    public func run(_ selection: Selection, dryRun: Bool) async throws -> [Moved] {
        var moved: [Moved] = []
        try await browser.walk { message in
            let entry = DeadLetterEntry(message)
            guard selection.matches(entry) else { return false }
            guard !dryRun else {
                moved.append(Moved(entry: entry, deduplicationId: nil))
                return false
            }
            let deduplicationId = Self.replayDeduplicationId(for: entry, at: now())
            var attributes = message.attributes
            attributes[ReceivedMessage.failureReasonAttribute] = nil
            try await source.send(
                OutgoingMessage(
                    body: message.body, groupId: entry.groupId ?? entry.webhookId ?? message.id,
                    deduplicationId: deduplicationId, attributes: attributes))
            try await afterSend(message)
            try await deadLetters.delete(message)
            moved.append(Moved(entry: entry, deduplicationId: deduplicationId))
            return true
        }
        return moved
    }

    /// `<webhookId>-replay-<unix ms>`, within SQS's 128 characters of `[A-Za-z0-9!-/:-@[-`{-~]`.
    public static func replayDeduplicationId(for entry: DeadLetterEntry, at date: Date) -> String {
        replayDeduplicationId(base: entry.webhookId ?? entry.message.id, at: date)
    }

    static func replayDeduplicationId(base: String, at date: Date) -> String {
        let suffix = "-replay-\(Int64((date.timeIntervalSince1970 * 1000).rounded()))"
        let allowed = base.unicodeScalars.filter { $0.isASCII && $0.value > 32 && $0.value < 127 }
        return String(String.UnicodeScalarView(allowed).prefix(128 - suffix.count)) + suffix
    }

    /// One line per message: what moved (or would), with the new deduplication id.
    public static func report(_ moved: [Moved], dryRun: Bool) -> String {
        guard !moved.isEmpty else { return dryRun ? "nothing would move\n" : "nothing moved\n" }
        var text: String = moved.map { item -> String in
            let name = item.entry.webhookId ?? item.entry.message.id
            let group = item.entry.groupId ?? "-"
            if dryRun { return "would move \(name) (group \(group), \(item.entry.eventType ?? "undecodable"))" }
            return "moved \(name) (group \(group)) with deduplication id \(item.deduplicationId ?? "-")"
        }.joined(separator: "\n")
        text += "\n\(moved.count) message(s) \(dryRun ? "would move" : "moved") back to the source queue\n"
        return text
    }
}
