/// What `JobLog.begin` decided for a delivery.
public enum BeginOutcome: Sendable, Equatable {
    /// The job already finished successfully (succeeded or skipped): acknowledge the message, do no work.
    case alreadySucceeded(Job)
    /// A new attempt is open; the worker does the work and then calls `finish`.
    case started(Job, Attempt)
}
