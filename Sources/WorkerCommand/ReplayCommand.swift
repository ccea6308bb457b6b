import ArgumentParser
import Foundation
import JobLog
import Operator

/// `worker replay`: send work back to the worker.
public struct ReplayCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-queue work: dead-lettered messages, an entry, or a job's recorded event.",
        discussion: """
            Exactly one of --dlq, --entry, --job.

            --dlq moves dead-lettered messages back to QUEUE_URL, all of them (--all) or those with the given \
            webhook ids (--id, repeatable). Each copy keeps its body and FIFO group and gets a new deduplication \
            id (<webhook id>-replay-<unix ms>) so SQS accepts it; it is deleted from the DLQ only after the send \
            succeeded, so an interrupted replay leaves a duplicate at worst (once the job has succeeded the worker acknowledges \
            it without work), \
            never a lost message. --dry-run lists what would move and changes nothing.

            --entry queues a fresh packaging request for an entry, as if its fields had been edited (the job \
            shows event type manual.replay). --job re-queues the event a job recorded: a job that did not succeed \
            gets another attempt; a succeeded or skipped job is run again under a new webhook id.

            Fix the cause first (the reasons are in `worker dlq list` and `worker jobs show`), or the messages \
            will come back.

            Examples:
              worker replay --dlq --all --dry-run
              worker replay --dlq --id msg_2abc --id msg_2abd
              worker replay --entry etr_1a2b3c
              worker replay --job 42
            """)

    @Flag(help: "Move messages from the dead-letter queue back to the queue.")
    var dlq = false
    @Flag(help: "With --dlq: every dead-lettered message.")
    var all = false
    @Option(
        name: .customLong("id"),
        help: ArgumentHelp("With --dlq: a webhook id to move (repeatable).", valueName: "webhook-id"))
    var ids: [String] = []
    @Flag(name: .customLong("dry-run"), help: "With --dlq: list what would move; change nothing.")
    var dryRun = false
    @Option(
        name: .customLong("entry"),
        help: ArgumentHelp("Queue a packaging request for this entry.", valueName: "entry-id"))
    var entryId: String?
    @Option(
        name: .customLong("job"),
        help: ArgumentHelp("Re-queue this job's event (id, webhook id or LOG:ID).", valueName: "job"))
    var job: String?
    @OptionGroup var jobLog: JobLogOptions

    public init() {}

    public func validate() throws {
        let modes = [dlq, entryId != nil, job != nil].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("choose exactly one of --dlq, --entry, --job") }
        if dlq {
            guard all != !ids.isEmpty else {
                throw ValidationError("--dlq needs --all or at least one --id (not both)")
            }
        } else if all || !ids.isEmpty || dryRun {
            throw ValidationError("--all, --id and --dry-run go with --dlq")
        }
    }

    public func run() async throws {
        let environment = OperatorEnvironment()
        if dlq {
            let selection: DeadLetterReplay.Selection = all ? .all : .webhookIds(Set(ids))
            let moved = try await withOperatorQueue(environment) { queue in
                try await DeadLetterReplay.forQueue(queue).run(selection, dryRun: dryRun)
            }
            OperatorOutput.out(DeadLetterReplay.report(moved, dryRun: dryRun))
            if case .webhookIds(let wanted) = selection {
                let missing = wanted.subtracting(moved.compactMap(\.entry.webhookId))
                if !missing.isEmpty {
                    OperatorOutput.note(
                        "not found in the dead-letter queue: \(missing.sorted().joined(separator: ", "))")
                    throw ExitCode(1)
                }
            }
        } else if let entryId {
            let queued = try await withOperatorQueue(environment) { queue in
                try await ManualEnqueue(queue: queue).enqueueEntry(entryId)
            }
            OperatorOutput.out("queued \(queued.webhookId) for \(entryId)\n")
        } else if let job {
            let logs = try jobLog.open(environment)
            defer { logs.close() }
            let located = try await logs.find(job)
            let queued = try await withOperatorQueue(environment) { queue in
                try await ManualEnqueue(queue: queue).enqueueJob(located.detail.job)
            }
            OperatorOutput.out("queued \(queued.webhookId) (job \(located.detail.job.id), \(queued.eventType))\n")
        }
    }
}
