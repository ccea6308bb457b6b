/// Where a job stands. Stored as text so an operator can read the table with the sqlite3 shell.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    /// Accepted but not yet picked up (reserved for callers that record jobs before work starts).
    case queued
    /// An attempt is open. After a crash the job stays `running` until the next attempt begins.
    case running
    /// Work finished and produced (or confirmed) a package revision.
    case succeeded
    /// Nothing to do (for example an event type the worker ignores); counts as finished.
    case skipped
    /// The last attempt failed; the message may be redelivered and retried.
    case failed
    /// Gave up: the message was moved to the dead-letter queue.
    case deadLettered = "dead_lettered"

    /// Finished jobs are acknowledged on redelivery without doing the work again.
    public var isFinishedSuccessfully: Bool { self == .succeeded || self == .skipped }

    /// Jobs in these states may be pruned; open ones never are.
    public var isTerminal: Bool { self != .queued && self != .running }
}
