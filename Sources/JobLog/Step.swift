import Foundation
import GRDB

/// One pipeline step inside an attempt (export, download, package, upload, canvas, …).
public struct Step: Codable, Sendable, Equatable, Identifiable, FetchableRecord, TableRecord {
    public static let databaseTableName = "step"
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }

    public var id: Int64
    public var attemptId: Int64
    public var name: String
    public var startedAt: Date
    /// Nil while the step runs, or if the process died during it.
    public var finishedAt: Date?
    public var outcome: StepOutcome?
    /// Free text for operators: an export task id, a byte count, an error message.
    public var detail: String?
}

extension Step {
    /// The `step` table's columns, named once for every query (GRDB's convention). The schema's migrations
    /// keep their own literal names: a shipped migration must not change when this type does.
    public enum Columns {
        public static let id = Column("id")
        public static let attemptId = Column("attempt_id")
        public static let name = Column("name")
        public static let startedAt = Column("started_at")
        public static let finishedAt = Column("finished_at")
        public static let outcome = Column("outcome")
        public static let detail = Column("detail")
    }
}
