import ArgumentParser
import Foundation
import Operator

/// `worker dlq`: what is in the dead-letter queue, and why.
public struct DeadLetterCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Inspect the dead-letter queue.",
        discussion: """
            The dead-letter queue (DLQ) holds deliveries the worker gave up on: a permanent failure (the entry is \
            gone, the export failed, the message is malformed) or a transient one that outlasted the queue's \
            retries. The DLQ is found from QUEUE_URL's redrive policy. Move messages back with `worker replay --dlq`.
            """,
        subcommands: [List.self])

    public init() {}

    public struct List: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "List dead-lettered messages with the reason each was dead-lettered.",
            discussion: """
                For each message: webhook id, FIFO group (the entry id, or the canvas id), event type, receive \
                count, when the receiver first saw the delivery, when it was dead-lettered, and the failure \
                reason the worker recorded (messages moved by the queue's own redrive carry none: the job log \
                has the last error, see `worker jobs show WEBHOOK_ID`).

                Reading does not consume: each message is received with a short visibility timeout, held while \
                the listing goes on, then made visible again at once with a visibility change to 0. Receiving \
                raises each message's receive count by one. A FIFO group with more than 10 dead-lettered \
                messages shows only its first 10.

                --json prints one JSON object per line: message_id, webhook_id, group_id, event_type, \
                receive_count, first_seen, last_seen, failure_reason.

                Examples:
                  worker dlq list
                  worker dlq list --json | jq -r .webhook_id
                """)

        @Flag(help: "JSON Lines instead of a table.")
        var json = false

        public init() {}

        public func run() async throws {
            let entries = try await withOperatorQueue(OperatorEnvironment()) { queue in
                guard let deadLetters = try await queue.deadLetterQueue() else {
                    throw OperatorError("the queue has no dead-letter queue (no redrive policy)")
                }
                return try await DeadLetterBrowser(queue: deadLetters).peek()
            }
            OperatorOutput.out(json ? DeadLetterEntry.jsonLines(entries) : DeadLetterEntry.table(entries))
        }
    }
}
