import Foundation
import GRDB

/// The embedded queue: a SQLite file (WAL) that receiver and worker processes on one machine share, with the SQS
/// FIFO semantics the worker relies on. Every receive runs in an IMMEDIATE transaction, so two consumers (threads
/// or processes) never hand out the same message.
///
/// Differences from SQS, all on the safe side: a receive hands out at most one message per group (the group's
/// oldest), and long polling is a short sleep loop (about five queries a second while idle).
public final class SQLiteQueue: MessageQueue {
    let pool: DatabasePool
    /// This queue's name inside the file.
    public let name: String
    let deadLetterName: String?
    let defaultVisibility: Duration
    let redriveAfter: Int?
    /// Copies the WAL back into the file in the background (shared with the dead-letter queue, which uses the
    /// same pool); nil for queues built on a pool opened elsewhere.
    let checkpointer: SQLiteCheckpointer?
    /// How often an idle long poll looks again.
    static let pollInterval: Duration = .milliseconds(200)
    /// SQS's deduplication window.
    static let deduplicationWindow: Double = 300

    /// Opens (creating if needed) the queue file named by `address`.
    public var address: String { "\(SQLiteQueueAddress.scheme)://\(pool.path)?queue=\(name)" }

    public convenience init(address: SQLiteQueueAddress) throws {
        let pool = try Self.openPool(path: address.path)
        let checkpointer: SQLiteCheckpointer
        do {
            checkpointer = try SQLiteCheckpointer(path: address.path)
        } catch {
            throw Self.queueError(error, doing: "open \(address.path)")
        }
        self.init(
            pool: pool, name: address.queue, deadLetterName: address.deadLetterQueue,
            visibilityTimeout: address.visibilityTimeout, maxReceiveCount: address.maxReceiveCount,
            checkpointer: checkpointer)
    }

    init(
        pool: DatabasePool, name: String, deadLetterName: String?, visibilityTimeout: Duration, maxReceiveCount: Int?,
        checkpointer: SQLiteCheckpointer? = nil
    ) {
        self.pool = pool
        self.checkpointer = checkpointer
        self.name = name
        self.deadLetterName = deadLetterName
        self.defaultVisibility = visibilityTimeout
        self.redriveAfter = deadLetterName == nil ? nil : maxReceiveCount
    }

    static func openPool(path: String) throws -> DatabasePool {
        do {
            var configuration = Configuration()
            // Receiver and worker write the same file; wait for the lock instead of failing.
            configuration.busyMode = .timeout(10)
            // Checkpoints run in the background (`SQLiteCheckpointer`); the automatic one only as a backstop.
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(SQLiteCheckpointer.backstopPages)")
            }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let pool = try DatabasePool(path: path, configuration: configuration)
            try SQLiteQueueSchema.migrator.migrate(pool)
            return pool
        } catch {
            throw Self.queueError(error, doing: "open \(path)")
        }
    }

    public var maxReceiveCount: Int? { redriveAfter }

    public var visibilityTimeout: Duration { defaultVisibility }

    public func deadLetterQueue() async throws -> (any MessageQueue)? {
        guard let deadLetterName else { return nil }
        return SQLiteQueue(
            pool: pool, name: deadLetterName, deadLetterName: nil, visibilityTimeout: defaultVisibility,
            maxReceiveCount: nil, checkpointer: checkpointer)
    }

    public func send(_ message: OutgoingMessage) async throws {
        let name = self.name
        let attributes = try Self.encode(message.attributes)
        try await writeImmediately("send") { db in
            let now = Self.now()
            try db.execute(
                sql: "DELETE FROM deduplication WHERE queue = ? AND expires_at <= ?", arguments: [name, now])
            try db.execute(
                sql: "INSERT OR IGNORE INTO deduplication (queue, deduplication_id, expires_at) VALUES (?, ?, ?)",
                arguments: [name, message.deduplicationId, now + Self.deduplicationWindow])
            // Already seen within the window: accepted and dropped, as SQS does.
            guard db.changesCount == 1 else { return }
            try db.execute(
                sql: """
                    INSERT INTO message (queue, message_id, body, group_id, deduplication_id, attributes, sent_at,
                                         visible_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    name, UUID().uuidString.lowercased(), message.body, message.groupId,
                    message.deduplicationId, attributes, now, now,
                ])
        }
    }

    public func delete(_ message: ReceivedMessage) async throws {
        let name = self.name
        // A handle that no longer matches (the message was re-received or already deleted) is ignored, as SQS does.
        try await writeImmediately("delete") { db in
            try db.execute(
                sql: "DELETE FROM message WHERE queue = ? AND receipt_handle = ?",
                arguments: [name, message.receiptHandle])
        }
    }

    public func changeVisibility(_ message: ReceivedMessage, timeout: Duration) async throws {
        let name = self.name
        try await writeImmediately("change visibility") { db in
            let now = Self.now()
            try db.execute(
                sql: "UPDATE message SET visible_at = ? WHERE queue = ? AND receipt_handle = ? AND visible_at > ?",
                arguments: [now + timeout.seconds, name, message.receiptHandle, now])
            if db.changesCount == 0 {
                throw QueueError(.messageNotInFlight, "message \(message.id) is not in flight in \(name)")
            }
        }
    }

    public func deadLetter(_ message: ReceivedMessage, reason: String) async throws {
        guard let deadLetterName else {
            throw QueueError(.invalidRequest, "queue \(name) has no dead-letter queue")
        }
        let name = self.name
        try await writeImmediately("dead-letter") { db in
            guard
                let seq = try Int64.fetchOne(
                    db, sql: "SELECT seq FROM message WHERE queue = ? AND receipt_handle = ?",
                    arguments: [name, message.receiptHandle])
            else { throw QueueError(.messageNotInFlight, "message \(message.id) is not in flight in \(name)") }
            try Self.move(seq: seq, to: deadLetterName, reason: reason, db)
        }
    }

    public func stats() async throws -> QueueStats {
        let name = self.name
        do {
            return try await pool.read { db in
                let now = Self.now()
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT count(CASE WHEN visible_at <= ?2 THEN 1 END) AS visible,
                               count(CASE WHEN visible_at > ?2 AND receipt_handle IS NOT NULL THEN 1 END) AS in_flight,
                               count(CASE WHEN visible_at > ?2 AND receipt_handle IS NULL THEN 1 END) AS delayed
                        FROM message WHERE queue = ?1
                        """,
                    arguments: [name, now])
                return QueueStats(
                    visible: row?["visible"] ?? 0, inFlight: row?["in_flight"] ?? 0, delayed: row?["delayed"] ?? 0)
            }
        } catch {
            throw Self.queueError(error, doing: "stats")
        }
    }

    /// Moves one message into `queue` as a fresh, visible message carrying `failure_reason`.
    static func move(seq: Int64, to queue: String, reason: String, _ db: Database) throws {
        let stored = try String.fetchOne(db, sql: "SELECT attributes FROM message WHERE seq = ?", arguments: [seq])
        var attributes = try decode(stored ?? "{}")
        attributes[ReceivedMessage.failureReasonAttribute] = reason
        try db.execute(
            sql: """
                UPDATE message SET queue = ?, attributes = ?, visible_at = ?, receive_count = 0,
                                   first_received_at = NULL, receipt_handle = NULL
                WHERE seq = ?
                """,
            arguments: [queue, try encode(attributes), now(), seq])
    }

    static func now() -> Double { Date().timeIntervalSince1970 }
}
