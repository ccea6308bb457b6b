import Foundation
import JobLog
import Operator
import TestSupport
import Testing
import Worker

/// `jobs prune` keeps dead-lettered jobs whose message is still in the dead-letter queue (moto, worker's user).
@Suite(.timeLimit(.minutes(3)))
struct OperatorPruneTests {
    @Test func deadLetteredJobsStayWhileTheirMessageIsInTheDLQ() async throws {
        let queues = try await OperatorQueues.make()
        try await queues.deadLetter(webhookId: "wh_in_dlq", entryId: "etr_p1", reason: "export failed")
        var variables = queues.environment.awsProcessEnvironment(queues.environment.worker)
        variables["QUEUE_URL"] = queues.queueURL
        let stillDeadLettered = await JobPruning.deadLetteredWebhookIds(OperatorEnvironment(variables))
        #expect(stillDeadLettered == ["wh_in_dlq"])
        #expect(await JobPruning.deadLetteredWebhookIds(OperatorEnvironment([:])) == nil, "no queue: keep them all")

        let scratch = try OperatorScratch()
        defer { scratch.remove() }
        let clock = TestClock(Date(timeIntervalSince1970: 1_714_564_800))
        let log = try JobLog(path: scratch.path("worker-a.db"), clock: { clock.now })
        for webhookId in ["wh_in_dlq", "wh_replayed"] {
            guard
                case .started(_, let attempt) = try await log.begin(
                    webhookId: webhookId, entryId: "etr_p1", eventType: "v2.entry.created", canvasId: nil,
                    messageBody: "{}")
            else { throw InjectedFailure() }
            try await log.finish(attempt: attempt, status: .deadLettered, error: "export failed")
        }
        try log.close()

        let logs = try JobLogCollection(location: .directory(scratch.directory.path), writable: true)
        defer { logs.close() }
        let results = try await logs.prune(
            olderThan: clock.now.addingTimeInterval(86_400), keepingDeadLettered: stillDeadLettered)
        #expect(results.map(\.deleted) == [1])
        let left = try await logs.list(status: nil, entryId: nil, since: nil, limit: 10)
        #expect(left.map(\.job.webhookId) == ["wh_in_dlq"])
    }

    /// The same through the `worker` executable, as an operator runs it: the command itself must read the DLQ of
    /// QUEUE_URL and hand what it found to the prune (the test above proves the two halves, this their wiring).
    @Test func theCommandKeepsDeadLetteredJobsWhoseMessageIsInTheDLQ() async throws {
        let queues = try await OperatorQueues.make()
        try await queues.deadLetter(webhookId: "wh_cmd_in_dlq", entryId: "etr_p2", reason: "export failed")
        let scratch = try OperatorScratch()
        defer { scratch.remove() }
        let threeDaysAgo = Date().addingTimeInterval(-3 * 86_400)
        let log = try JobLog(path: scratch.path("worker-b.db"), clock: { threeDaysAgo })
        for webhookId in ["wh_cmd_in_dlq", "wh_cmd_replayed"] {
            guard
                case .started(_, let attempt) = try await log.begin(
                    webhookId: webhookId, entryId: "etr_p2", eventType: "v2.entry.created", canvasId: nil,
                    messageBody: "{}")
            else { throw InjectedFailure() }
            try await log.finish(attempt: attempt, status: .deadLettered, error: "export failed")
        }
        try log.close()

        var variables = queues.environment.awsProcessEnvironment(queues.environment.worker)
        variables["QUEUE_URL"] = queues.queueURL
        variables["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        let pruned = try await BuiltExecutable.run(
            "worker", ["jobs", "prune", "--older-than", "1d", "--job-log", scratch.directory.path],
            environment: variables)
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(pruned.stdoutText.hasPrefix("deleted 1 finished job(s)"), "\(pruned.stdoutText)")

        let logs = try JobLogCollection(location: .directory(scratch.directory.path))
        defer { logs.close() }
        let left = try await logs.list(status: nil, entryId: nil, since: nil, limit: 10)
        #expect(left.map(\.job.webhookId) == ["wh_cmd_in_dlq"])
    }
}
