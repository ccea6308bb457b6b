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

    public static func read(_ queue: any MessageQueue) async throws -> QueueReport {
        let stats = try await queue.stats()
        let deadLetter = try await queue.deadLetterQueue()
        return QueueReport(queue: stats, deadLetter: try await deadLetter?.stats())
    }

    public var text: String {
        var rows = [["queue", String(queue.visible), String(queue.inFlight), String(queue.delayed)]]
        if let deadLetter {
            rows.append(["dead-letter", String(deadLetter.visible), String(deadLetter.inFlight), String(deadLetter.delayed)])
        }
        var text = OperatorFormat.table(header: ["QUEUE", "VISIBLE", "IN FLIGHT", "DELAYED"], rows: rows)
        if deadLetter == nil { text += "(no dead-letter queue: the queue has no redrive policy)\n" }
        return text
    }

    public var json: JSONObject {
        func counts(_ stats: QueueStats) -> JSONValue {
            .object(["visible": .int(stats.visible), "in_flight": .int(stats.inFlight), "delayed": .int(stats.delayed)])
        }
        return ["queue": counts(queue), "dead_letter": deadLetter.map(counts) ?? .null]
    }
}
