import ArgumentParser
import Foundation
import Operator

/// `worker queue`: how much work is waiting.
public struct QueueCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Inspect the queue.", subcommands: [Stats.self])

    public init() {}

    public struct Stats: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Approximate visible, in-flight and delayed messages of the queue and its dead-letter queue.",
            discussion: """
                VISIBLE: waiting for a worker. IN FLIGHT: received and being worked on (or waiting out a retry \
                back-off). DELAYED: sent with a delay. SQS reports approximations that lag by seconds. A growing \
                VISIBLE count means the workers do not keep up; anything in the dead-letter queue needs a look \
                (`worker dlq list`).

                Example:
                  QUEUE_URL=https://sqs.us-east-1.amazonaws.com/123456789012/benchling.fifo worker queue stats
                """)

        @Flag(help: "One JSON object: {queue: {address, visible, in_flight, delayed}, dead_letter: {…} or null}.")
        var json = false

        public init() {}

        public func run() async throws {
            let report = try await withOperatorQueue(OperatorEnvironment()) { try await QueueReport.read($0) }
            OperatorOutput.out(json ? report.json.compactString() + "\n" : report.text)
        }
    }
}
