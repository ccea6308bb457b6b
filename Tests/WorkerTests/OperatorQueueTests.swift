import Foundation
import JSONCore
import JobLog
import MessageQueue
import Operator
import Testing
import Worker
import WorkerCommand

/// `dlq list`, `replay`, `queue stats` against SQS FIFO queues on moto, with the worker's IAM user.
@Suite(.timeLimit(.minutes(5))) struct OperatorQueueTests {
    @Test func deadLetteredMessageIsListedWithItsReasonAndNotConsumed() async throws {
        let queues = try await OperatorQueues.make()
        let queued = try await queues.deadLetter(
            webhookId: "msg_dl1", entryId: "etr_dl1", reason: "export failed: FAILED task")
        let deadLetters = try #require(try await queues.queue.deadLetterQueue())
        let browser = DeadLetterBrowser(queue: deadLetters)

        let entries = try await browser.peek()
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.webhookId == "msg_dl1")
        #expect(entry.groupId == "etr_dl1")
        #expect(entry.eventType == "v2.entry.created")
        #expect(entry.firstSeen == "2024-05-01T12:00:01.000Z")
        #expect(entry.lastSeen != nil)
        #expect(entry.failureReason == "export failed: FAILED task")
        #expect(try QueuedWebhook.decode(entry.message.body) == queued)

        let json = try JSONValue.parse(DeadLetterEntry.jsonLines(entries).trimmingCharacters(in: .newlines))
        #expect(
            json.objectValue?.keys == [
                "message_id", "webhook_id", "group_id", "event_type", "receive_count", "first_seen", "last_seen",
                "failure_reason",
            ])
        #expect(json["webhook_id"]?.stringValue == "msg_dl1")
        #expect(json["group_id"]?.stringValue == "etr_dl1")
        #expect(json["receive_count"]?.intValue == entry.message.receiveCount)
        #expect(json["failure_reason"]?.stringValue == "export failed: FAILED task")
        let row = DeadLetterEntry.table(entries).split(separator: "\n")[1]
        #expect(row.hasPrefix("msg_dl1 "))
        #expect(row.hasSuffix("export failed: FAILED task"))

        // Looking did not consume: a second look sees it again, and the counts agree.
        let again = try await browser.peek()
        #expect(again.map(\.webhookId) == ["msg_dl1"])
        #expect(again[0].message.receiveCount == entry.message.receiveCount + 1)
        let report = try await QueueReport.read(queues.queue)
        #expect(report.queue == QueueStats(visible: 0, inFlight: 0, delayed: 0))
        #expect(report.deadLetter == QueueStats(visible: 1, inFlight: 0, delayed: 0))
        let deadLetterAddress = try #require(try await queues.queue.deadLetterQueue()?.address)
        #expect(report.queueAddress == queues.queue.address)
        #expect(report.deadLetterAddress == deadLetterAddress)
        #expect(
            report.json.compactString()
                == #"{"queue":{"address":"\#(queues.queue.address)","visible":0,"in_flight":0,"delayed":0},"#
                + #""dead_letter":{"address":"\#(deadLetterAddress)","visible":1,"in_flight":0,"delayed":0}}"#)
        let rows = report.text.split(separator: "\n")
        #expect(rows[1].hasPrefix("queue ") && rows[1].hasSuffix(" \(queues.queue.address)"), "\(report.text)")
        #expect(rows[2].hasPrefix("dead-letter ") && rows[2].hasSuffix(" \(deadLetterAddress)"), "\(report.text)")
    }

    @Test func dryRunChangesNothingAndReplayAllMovesBack() async throws {
        let queues = try await OperatorQueues.make()
        try await queues.deadLetter(webhookId: "msg_r1", entryId: "etr_r1", reason: "boom 1")
        try await queues.deadLetter(webhookId: "msg_r2", entryId: "etr_r2", reason: "boom 2")
        var replay = try await DeadLetterReplay.forQueue(queues.queue)
        let fixed = Date(timeIntervalSince1970: 1_714_564_800.123)
        replay.now = { fixed }

        let planned = try await replay.run(.all, dryRun: true)
        #expect(Set(planned.compactMap(\.entry.webhookId)) == ["msg_r1", "msg_r2"])
        #expect(planned.allSatisfy { $0.deduplicationId == nil })
        #expect(
            DeadLetterReplay.report(planned, dryRun: true).hasSuffix(
                "2 message(s) would move back to the source queue\n"))
        #expect(try await queues.drainSource().isEmpty)
        #expect(Set(try await replay.browser.peek().compactMap(\.webhookId)) == ["msg_r1", "msg_r2"])

        let moved = try await replay.run(.all, dryRun: false)
        #expect(
            Set(moved.compactMap(\.deduplicationId)) == ["msg_r1-replay-1714564800123", "msg_r2-replay-1714564800123"])
        #expect(try await replay.browser.peek().isEmpty)
        let back = try await queues.drainSource().sorted { $0.groupId ?? "" < $1.groupId ?? "" }
        #expect(back.map(\.groupId) == ["etr_r1", "etr_r2"])
        #expect(back.map(\.deduplicationId) == ["msg_r1-replay-1714564800123", "msg_r2-replay-1714564800123"])
        #expect(try back.map { try QueuedWebhook.decode($0.body).webhookId } == ["msg_r1", "msg_r2"])
        #expect(back.allSatisfy { $0.failureReason == nil })
    }

    @Test func replayByIdMovesOnlyThoseAndKeepsTheRest() async throws {
        let queues = try await OperatorQueues.make()
        try await queues.deadLetter(webhookId: "msg_keep", entryId: "etr_k", reason: "no")
        try await queues.deadLetter(webhookId: "msg_move", entryId: "etr_m", reason: "yes")
        let replay = try await DeadLetterReplay.forQueue(queues.queue)
        let moved = try await replay.run(.webhookIds(["msg_move", "msg_absent"]), dryRun: false)
        #expect(moved.map(\.entry.webhookId) == ["msg_move"])
        #expect(try await replay.browser.peek().map(\.webhookId) == ["msg_keep"])
        let back = try await queues.drainSource()
        #expect(back.map(\.groupId) == ["etr_m"])
    }

    @Test func replayInterruptedAfterSendLosesNothing() async throws {
        let queues = try await OperatorQueues.make()
        try await queues.deadLetter(webhookId: "msg_cut", entryId: "etr_cut", reason: "first failure")
        var replay = try await DeadLetterReplay.forQueue(queues.queue)
        replay.afterSend = { _ in throw InjectedFailure() }
        await #expect(throws: InjectedFailure.self) { try await replay.run(.all, dryRun: false) }

        // The copy reached the source queue, and the original is still in the DLQ (visible again at once).
        let back = try await queues.drainSource()
        #expect(back.map(\.groupId) == ["etr_cut"])
        #expect(try back.map { try QueuedWebhook.decode($0.body).webhookId } == ["msg_cut"])
        let left = try await replay.browser.peek()
        #expect(left.map(\.webhookId) == ["msg_cut"])
        #expect(left.first?.failureReason == "first failure")

        // A later, uninterrupted replay finishes the move: a duplicate at worst.
        replay.afterSend = { _ in }
        #expect(try await replay.run(.all, dryRun: false).count == 1)
        #expect(try await replay.browser.peek().isEmpty)
    }

    @Test func replayEntrySynthesizesAWebhookThePipelineAccepts() async throws {
        let queues = try await OperatorQueues.make()
        var enqueue = ManualEnqueue(queue: queues.queue)
        enqueue.now = { Date(timeIntervalSince1970: 1_714_564_800.5) }
        let sent = try await enqueue.enqueueEntry("etr_abc")
        await #expect(throws: OperatorError.self) { try await enqueue.enqueueEntry("EXP-1") }

        let received = try await queues.drainSource()
        #expect(received.count == 1)
        let message = try #require(received.first)
        #expect(message.groupId == "etr_abc")
        #expect(message.deduplicationId == sent.webhookId)
        let queued = try QueuedWebhook.decode(message.body)
        #expect(queued == sent)
        #expect(queued.webhookId.hasPrefix("manual_1714564800500_"))
        #expect(queued.eventType == "manual.replay")
        #expect(queued.groupId == "etr_abc")
        #expect(queued.receivedAt == "2024-05-01T12:00:00.500Z")
        #expect(queued.webhookTimestamp == "1714564800")
        // The worker's own decoding accepts it as entry work for that entry.
        let event = try JobEvent(queued: queued)
        #expect(event.entryId == "etr_abc")
        #expect(event.eventType == "v2.entry.updated.fields")
        #expect(event.eventTime == "2024-05-01T12:00:00.500Z")
        #expect(event.canvasId == nil)
    }

    @Test func replayJobRequeuesTheRecordedEvent() async throws {
        let queues = try await OperatorQueues.make()
        let scratch = try OperatorScratch()
        defer { scratch.remove() }
        let log = try JobLog(path: scratch.path("jobs.db"))
        defer { try? log.close() }
        let body = QueuedWebhook(webhookId: "msg_j", eventType: "v2.entry.created", groupId: "etr_j", body: "{}")
            .encodedBody()
        guard
            case .started(_, let attempt) = try await log.begin(
                webhookId: "msg_j", entryId: "etr_j", eventType: "v2.entry.created", canvasId: nil, messageBody: body)
        else { throw InjectedFailure() }
        let failed = try await log.finish(attempt: attempt, status: .failed, error: "boom")

        var enqueue = ManualEnqueue(queue: queues.queue)
        enqueue.now = { Date(timeIntervalSince1970: 1_714_564_800) }
        try await enqueue.enqueueJob(failed)
        var received = try await queues.drainSource()
        #expect(received.map(\.body) == [body])  // same webhook id: the same job gets another attempt
        #expect(received.map(\.groupId) == ["etr_j"])
        #expect(received.map(\.deduplicationId) == ["msg_j-replay-1714564800000"])

        guard
            case .started(_, let second) = try await log.begin(
                webhookId: "msg_j", entryId: "etr_j", eventType: "v2.entry.created", canvasId: nil, messageBody: body)
        else { throw InjectedFailure() }
        let succeeded = try await log.finish(
            attempt: second, status: .succeeded, package: "benchling/EXP-9", topHash: "00")
        enqueue.now = { Date(timeIntervalSince1970: 1_714_564_801) }
        try await enqueue.enqueueJob(succeeded)
        received = try await queues.drainSource()
        let again = try QueuedWebhook.decode(try #require(received.first).body)
        #expect(again.webhookId == "msg_j-replay-1714564801000")  // a finished job runs again under a new id
        #expect(again.body == "{}")
        #expect(again.groupId == "etr_j")
    }
}

@Suite(.timeLimit(.minutes(5))) struct OperatorManifestTests {
    @Test func manifestNamesTheFeatureAndSubscriptions() {
        let yaml = AppManifest(webhookURL: "https://hooks.example.com/prod").yaml
        #expect(
            yaml == """
                manifestVersion: 1
                info:
                  name: "Quilt Packages"
                  description: "Packages notebook entries into versioned Quilt data packages in S3."
                  version: "1.0.0"
                settings:
                  webhookUrl: "https://hooks.example.com/prod"
                features:
                  - id: quilt_entry
                    name: "Quilt Package"
                    type: CANVAS
                subscriptions:
                  deliveryMethod: WEBHOOK
                  messages:
                    - type: v2.canvas.userInteracted
                    - type: v2.canvas.created
                    - type: v2.entry.created
                    - type: v2.entry.updated.fields
                    - type: v2.entry.updated.reviewRecord

                """)
        #expect(!AppManifest().yaml.contains("settings:"))
        #expect(AppManifest(name: #"a "b"\"#).yaml.contains(#"name: "a \"b\"\\""#))
    }

    @Test func replayFlagsAreChecked() throws {
        #expect(throws: (any Error).self) { try ReplayCommand.parse(["--dlq"]) }
        #expect(throws: (any Error).self) { try ReplayCommand.parse(["--dlq", "--all", "--id", "x"]) }
        #expect(throws: (any Error).self) { try ReplayCommand.parse(["--entry", "etr_1", "--dry-run"]) }
        #expect(throws: (any Error).self) { try ReplayCommand.parse(["--entry", "etr_1", "--job", "3"]) }
        _ = try ReplayCommand.parse(["--dlq", "--all", "--dry-run"])
        _ = try ReplayCommand.parse(["--dlq", "--id", "a", "--id", "b"])
        _ = try ReplayCommand.parse(["--job", "worker-a:3"])
        #expect(throws: (any Error).self) { try ManifestCommand.parse(["--url", "http://insecure.example.com"]) }
    }
}
