import Foundation
import GRDB

/// One try at a job: a message delivery the worker started working on.
public struct Attempt: Codable, Sendable, Equatable, Identifiable, FetchableRecord, TableRecord {
    public static let databaseTableName = "attempt"
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }

    public var id: Int64
    public var jobId: Int64
    /// 1 for the first attempt of the job.
    public var number: Int
    public var startedAt: Date
    /// Nil while the attempt is open (or if its process crashed before it was closed).
    public var finishedAt: Date?
    public var outcome: AttemptOutcome?
    public var error: String?
}

extension Attempt {
    /// The `attempt` table's columns, named once for every query (GRDB's convention). The schema's migrations
    /// keep their own literal names: a shipped migration must not change when this type does.
    public enum Columns {
        public static let id = Column("id")
        public static let jobId = Column("job_id")
        public static let number = Column("number")
        public static let startedAt = Column("started_at")
        public static let finishedAt = Column("finished_at")
        public static let outcome = Column("outcome")
        public static let error = Column("error")
    }
}
