import Foundation
import GRDB

/// One webhook delivery and everything the worker did about it.
///
/// The primary key is an auto-incremented integer rather than a UUID: it is compact in every index, it orders like
/// insertion (so "newest first" is cheap), and an operator can type `show 42`. The webhook id is the natural key
/// and is kept unique in its own column.
public struct Job: Codable, Sendable, Equatable, Identifiable, FetchableRecord, TableRecord {
    public static let databaseTableName = "job"
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }

    public var id: Int64
    /// Benchling's `webhook-id` header: the idempotency key of the delivery.
    public var webhookId: String
    public var entryId: String?
    /// The entry's display id (e.g. `EXP-42`), known once the entry was fetched.
    public var displayId: String?
    public var eventType: String
    public var canvasId: String?
    public var status: JobStatus
    /// Number of attempts begun so far.
    public var attempts: Int
    /// Package name written, e.g. `benchling/EXP-42`.
    public var package: String?
    public var topHash: String?
    /// Error of the last failed attempt, for operators.
    public var error: String?
    /// The raw queue message, kept so a failed job can be replayed as it arrived.
    public var messageBody: String
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
}

extension Job {
    /// The `job` table's columns, named once for every query (GRDB's convention). The schema's migrations
    /// keep their own literal names: a shipped migration must not change when this type does.
    public enum Columns {
        public static let id = Column("id")
        public static let webhookId = Column("webhook_id")
        public static let entryId = Column("entry_id")
        public static let displayId = Column("display_id")
        public static let eventType = Column("event_type")
        public static let canvasId = Column("canvas_id")
        public static let status = Column("status")
        public static let attempts = Column("attempts")
        public static let package = Column("package")
        public static let topHash = Column("top_hash")
        public static let error = Column("error")
        public static let messageBody = Column("message_body")
        public static let createdAt = Column("created_at")
        public static let updatedAt = Column("updated_at")
        public static let finishedAt = Column("finished_at")
    }
}
