import Foundation
import MessageQueue

/// What `worker jobs prune` decides before deleting anything: which dead-lettered jobs must stay because their
/// message is still in the dead-letter queue (a replay would need the job's recorded event), and how the result
/// reads.
public enum JobPruning {
    /// The webhook ids of every message in the dead-letter queue, or nil (keep every dead-lettered job) when
    /// there is no queue, no DLQ, or the walk could not see every message (a FIFO queue hands out only the first
    /// batch of each group while it is held).
    public static func deadLetteredWebhookIds(_ environment: OperatorEnvironment) async -> Set<String>? {
        guard environment.text("QUEUE_URL") != nil else {
            OperatorOutput.note(
                "QUEUE_URL not set: the dead-letter queue cannot be read, so dead-lettered jobs are kept")
            return nil
        }
        do {
            return try await withOperatorQueue(environment) { queue -> Set<String>? in
                guard let deadLetters = try await queue.deadLetterQueue() else { return [] }
                let stats = try await deadLetters.stats()
                let entries = try await DeadLetterBrowser(queue: deadLetters).peek()
                guard entries.count >= stats.visible + stats.inFlight else {
                    OperatorOutput.note(
                        "the dead-letter queue could not be read whole (\(entries.count) of about \(stats.visible + stats.inFlight) messages): dead-lettered jobs are kept"
                    )
                    return nil
                }
                return Set(entries.compactMap(\.webhookId))
            }
        } catch {
            OperatorOutput.note("the dead-letter queue could not be read (\(error)): dead-lettered jobs are kept")
            return nil
        }
    }

    /// What `jobs prune` prints: the total, and per file when several were pruned.
    public static func report(_ results: [(log: String, deleted: Int)]) -> String {
        let total = results.reduce(0) { $0 + $1.deleted }
        var text = "deleted \(total) finished job(s)\n"
        if results.count > 1 { text += results.map { "  \($0.log): \($0.deleted)\n" }.joined() }
        return text
    }
}
