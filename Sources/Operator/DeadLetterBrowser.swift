import Foundation
import MessageQueue

/// Walks a queue without consuming it: each message is received with a short visibility timeout, held while the
/// walk goes on (so the next receive returns the next message), and made visible again at the end with
/// `changeVisibility(0)`.
///
/// Holding every message until the end is what makes the walk terminate: releasing each at once would hand the
/// same message back on the next receive. A FIFO queue delivers nothing more of a group while one of its messages
/// is held, so a group with more than one batch of messages shows only its first batch (SQS hands out up to 10).
public struct DeadLetterBrowser: Sendable {
    public let queue: any MessageQueue
    /// How long each received message stays invisible; the walk must finish (or release) within it.
    public var holdFor: Duration = .seconds(60)
    /// Long-poll wait of each receive: an empty answer after it ends the walk.
    public var receiveWait: Duration = .seconds(1)
    /// Safety bound on how many messages one walk holds.
    public var limit: Int = 1_000

    public init(queue: any MessageQueue) {
        self.queue = queue
    }

    /// Receives batches until the queue has nothing more to hand out (or `limit`), calling `visit` for each new
    /// message. `visit` returns true when it settled the message itself (deleted it); every other message is
    /// released at the end — also when `visit` or a receive throws, so an interrupted walk loses nothing.
    public func walk(_ visit: (ReceivedMessage) async throws -> Bool) async throws {
        var held: [ReceivedMessage] = []
        var seen = Set<String>()
        do {
            while seen.count < limit {
                let batch = try await queue.receive(
                    maxMessages: min(10, limit - seen.count), waitTime: receiveWait, visibilityTimeout: holdFor)
                let fresh = batch.filter { seen.insert($0.id).inserted }
                if fresh.isEmpty {
                    // A message seen before came back (the walk outlasted holdFor): release it too and stop.
                    held += batch
                    break
                }
                held += batch.filter { !fresh.contains($0) }
                for message in fresh {
                    held.append(message)
                    if try await visit(message) { held.removeLast() }
                }
            }
        } catch {
            await release(held)
            throw error
        }
        await release(held)
    }

    /// Every message currently receivable, left in the queue.
    public func peek() async throws -> [DeadLetterEntry] {
        var entries: [DeadLetterEntry] = []
        try await walk { message in
            entries.append(DeadLetterEntry(message))
            return false
        }
        return entries.sorted { ($0.message.sentAt ?? .distantPast) < ($1.message.sentAt ?? .distantPast) }
    }

    /// Makes held messages visible again now rather than after `holdFor`. Best effort: a message whose release
    /// fails reappears when its visibility timeout ends anyway.
    func release(_ messages: [ReceivedMessage]) async {
        for message in messages {
            try? await queue.changeVisibility(message, timeout: .zero)
        }
    }
}
