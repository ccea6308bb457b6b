import Foundation
import JobLog

/// Polls the job log until every delivery's job settled (done or dead-lettered), or the limit passes.
///
/// Polling the job log is what an operator would do too (`worker jobs`); the worker offers no completion
/// callback, and none is needed.
struct JobWaiter: Sendable {
    let jobLog: JobLog
    let limit: Duration
    let interval: Duration = .milliseconds(200)

    func wait(for deliveries: [DeliveryResult]) async throws -> [DeliveryResult] {
        var results = deliveries
        let deadline = ContinuousClock.now + limit
        while true {
            for index in results.indices where !results[index].isSettled {
                results[index].job = try await jobLog.job(webhookId: results[index].webhookId)?.job
            }
            if results.allSatisfy(\.isSettled) || ContinuousClock.now >= deadline { return results }
            try await Task.sleep(for: interval)
        }
    }
}
