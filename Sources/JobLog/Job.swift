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
