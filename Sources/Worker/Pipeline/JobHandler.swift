import JobLog

/// What one successful job produced.
public struct JobResult: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// A new revision was written.
        case published
        /// The package already had this content: nothing was written (job `skipped`).
        case unchanged
    }

    public var outcome: Outcome
    public var package: String
    public var topHash: String
    /// Bytes of the files in the package.
    public var bytes: Int64
    public var entryId: String
    public var displayId: String

    public init(outcome: Outcome, package: String, topHash: String, bytes: Int64, entryId: String, displayId: String) {
        self.outcome = outcome
        self.package = package
        self.topHash = topHash
        self.bytes = bytes
        self.entryId = entryId
        self.displayId = displayId
    }
}

/// Where an attempt stands with respect to the queue's retry budget, so a failure can be phrased honestly on
/// the canvas ("will retry" vs "gave up").
public struct AttemptContext: Sendable {
    public var job: Job
    public var steps: StepRecorder
    /// True when a transient failure now will not be retried (the receive count reached maxReceiveCount).
    public var isFinalAttempt: Bool
}

/// The work done for one decoded event. `PackagingPipeline` is the product's; the boundary lets the consumer's
/// scheduling be exercised on its own.
public protocol JobHandler: Sendable {
    /// Does the job. On failure it has already shown the failure on the canvas (when there is one) and rethrows.
    func run(_ event: JobEvent, context: AttemptContext) async throws -> JobResult
}
