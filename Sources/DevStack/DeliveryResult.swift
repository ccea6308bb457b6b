import Foundation
import JobLog

/// One webhook the dev stack delivered and what became of it: the receiver's answer and the worker's job.
public struct DeliveryResult: Sendable {
    /// `v2.entry.created`, `v2.canvas.created`, …
    public let eventType: String
    public let sample: SampleEntry
    /// `/event` or `/canvas`.
    public let path: String
    public let webhookId: String
    public let httpStatus: Int
    /// The job as the job log last showed it; nil when the worker never began it within the wait.
    public var job: Job?

    /// Succeeded or skipped (an unchanged export writes no new revision).
    public var finishedSuccessfully: Bool { job?.status.isFinishedSuccessfully ?? false }

    /// Terminal for the dev stack: done, or dead-lettered. A `failed` job is retried by the worker.
    var isSettled: Bool {
        guard let status = job?.status else { return !(200..<300).contains(httpStatus) }
        return status == .succeeded || status == .skipped || status == .deadLettered
    }
}
