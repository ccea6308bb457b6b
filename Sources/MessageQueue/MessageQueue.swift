/// The queue between receiver and worker: SQS FIFO in production, a SQLite file on a laptop
/// (see `MessageQueueFactory`). Both adapters give the semantics the worker relies on: FIFO per group, deduplication
/// within five minutes, visibility timeout with receive count, and dead-lettering after `maxReceiveCount` receives.
public protocol MessageQueue: Sendable {
    /// How an operator names this queue: the SQS queue URL, or `sqlite:///path?queue=NAME`.
    var address: String { get }

    /// Enqueues a message. A duplicate deduplication id within five minutes succeeds but is dropped.
    func send(_ message: OutgoingMessage) async throws

    /// Receives up to `maxMessages`, waiting up to `waitTime` for the first (long poll; SQS caps it at 20 s).
    /// Received messages become invisible for `visibilityTimeout` (nil: the queue's default).
    /// A group with a message in flight delivers nothing else from that group; SQS may still hand out several
    /// messages of one group in one batch (in order), so process a batch's messages of one group sequentially.
    func receive(maxMessages: Int, waitTime: Duration, visibilityTimeout: Duration?) async throws -> [ReceivedMessage]

    /// Removes a message after it was handled.
    func delete(_ message: ReceivedMessage) async throws

    /// Extends (or ends, with `.zero`) the message's invisibility, counted from now.
    func changeVisibility(_ message: ReceivedMessage, timeout: Duration) async throws

    /// Gives up on a message now: sends it to the dead-letter queue with `failure_reason` = `reason`, keeping its
    /// body, group and attributes, then deletes it here.
    func deadLetter(_ message: ReceivedMessage, reason: String) async throws

    /// The queue that dead-lettered messages land in, if this queue has one.
    func deadLetterQueue() async throws -> (any MessageQueue)?

    func stats() async throws -> QueueStats

    /// After this many receives a message that becomes visible again moves to the dead-letter queue; nil: never.
    var maxReceiveCount: Int? { get async throws }

    /// The queue's default visibility timeout.
    var visibilityTimeout: Duration { get async throws }
}
