import Foundation
import JSONCore
import MessageQueue

/// `queue stats`: approximate counts for the queue and its dead-letter queue.
///
/// SQS counts are approximate (eventually consistent, seconds behind); they say whether work is piling up, not
/// exactly how much.
public struct QueueReport: Sendable, Equatable {
    public let queue: QueueStats
    /// Nil when the queue has no redrive policy.
    public let deadLetter: QueueStats?
    /// Which queues these are (SQS queue URLs, or sqlite addresses), so the counts can be told apart.
    public let queueAddress: String
    public let deadLetterAddress: String?

    public static func read(_ queue: any MessageQueue) async throws -> QueueReport {
        let stats = try await queue.stats()
        let deadLetter = try await queue.deadLetterQueue()
        return QueueReport(
            queue: stats, deadLetter: try await deadLetter?.stats(), queueAddress: queue.address,
            deadLetterAddress: deadLetter?.address)
    }

    public var text: String {
        func row(_ role: String, _ stats: QueueStats, _ address: String) -> [String] {
            [role, String(stats.visible), String(stats.inFlight), String(stats.delayed), address]
        }
        var rows = [row("queue", queue, queueAddress)]
        if let deadLetter { rows.append(row("dead-letter", deadLetter, deadLetterAddress ?? "")) }
        var text = OperatorFormat.table(header: ["QUEUE", "VISIBLE", "IN FLIGHT", "DELAYED", "ADDRESS"], rows: rows)
        if deadLetter == nil { text += "(no dead-letter queue: the queue has no redrive policy)\n" }
        return text
    }

    public var json: JSONObject {
        func counts(_ stats: QueueStats, _ address: String?) -> JSONValue {
            .object([
                "address": .string(address ?? ""), "visible": .int(stats.visible), "in_flight": .int(stats.inFlight),
                "delayed": .int(stats.delayed),
            ])
        }
        return [
            "queue": counts(queue, queueAddress),
            "dead_letter": deadLetter.map { counts($0, deadLetterAddress) } ?? .null,
        ]
    }
}
