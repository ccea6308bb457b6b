import Foundation
import GRDB

extension SQLiteQueue {
    public func receive(
        maxMessages: Int, waitTime: Duration, visibilityTimeout: Duration?
    ) async throws -> [ReceivedMessage] {
        let limit = max(1, min(maxMessages, 10))
        let visibility = (visibilityTimeout ?? defaultVisibility).seconds
        let deadline = ContinuousClock.now + waitTime
        while true {
            let messages = try await receiveOnce(limit: limit, visibility: visibility)
            if !messages.isEmpty { return messages }
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return [] }
            try await Task.sleep(for: min(remaining, Self.pollInterval))
        }
    }

    /// One receive, atomically: first moves exhausted messages to the dead-letter queue (as SQS does on receive),
    /// then hands out the oldest visible message of each group that has nothing older still queued or in flight.
    func receiveOnce(limit: Int, visibility: Double) async throws -> [ReceivedMessage] {
        let name = self.name
        let deadLetterName = self.deadLetterName
        let redriveAfter = self.redriveAfter
        return try await writeImmediately("receive") { db in
            let now = Self.now()
            if let deadLetterName, let redriveAfter {
                let exhausted = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT seq, receive_count FROM message
                        WHERE queue = ? AND visible_at <= ? AND receive_count >= ?
                        """,
                    arguments: [name, now, redriveAfter])
                for row in exhausted {
                    let count: Int = row["receive_count"]
                    try Self.move(
                        seq: row["seq"], to: deadLetterName,
                        reason: "received \(count) times (maxReceiveCount \(redriveAfter))", db)
                }
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM message AS m
                    WHERE m.queue = ?1 AND m.visible_at <= ?2
                      AND NOT EXISTS (SELECT 1 FROM message AS older
                                      WHERE older.queue = m.queue AND older.group_id = m.group_id
                                        AND older.seq < m.seq)
                    ORDER BY m.seq LIMIT ?3
                    """,
                arguments: [name, now, limit])
            var received: [ReceivedMessage] = []
            for row in rows {
                let handle = UUID().uuidString.lowercased()
                let seq: Int64 = row["seq"]
                try db.execute(
                    sql: """
                        UPDATE message SET receipt_handle = ?, receive_count = receive_count + 1,
                                           first_received_at = coalesce(first_received_at, ?), visible_at = ?
                        WHERE seq = ?
                        """,
                    arguments: [handle, now, now + visibility, seq])
                let firstReceived: Double? = row["first_received_at"]
                let sentAt: Double = row["sent_at"]
                received.append(
                    ReceivedMessage(
                        id: row["message_id"], receiptHandle: handle, body: row["body"], groupId: row["group_id"],
                        receiveCount: (row["receive_count"] as Int) + 1,
                        sentAt: Date(timeIntervalSince1970: sentAt),
                        firstReceivedAt: Date(timeIntervalSince1970: firstReceived ?? now),
                        attributes: try Self.decode(row["attributes"]),
                        deduplicationId: row["deduplication_id"]))
            }
            return received
        }
    }
}
