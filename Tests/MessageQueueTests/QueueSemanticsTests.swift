import Foundation
import MessageQueue
import Testing

/// The semantics the worker relies on, checked against both adapters with the same code.
/// Waits are upper bounds for long polls, never timing assertions.
@Suite("Queue semantics (SQLite and SQS on moto)", .serialized, .timeLimit(.minutes(5)))
struct QueueSemanticsTests {
    @Test("send, receive, delete", arguments: QueueAdapter.allCases)
    func sendReceiveDelete(_ adapter: QueueAdapter) async throws {
        let fixture = try await QueueFixture.make(adapter)
        defer { fixture.remove() }
        try await fixture.queue.send(
            OutgoingMessage(
                body: #"{"n":1}"#, groupId: "etr_1", deduplicationId: "wh_1", attributes: ["kind": "entry"]))

        let received = try await fixture.queue.receive(maxMessages: 10, waitTime: .seconds(5), visibilityTimeout: nil)
        let message = try #require(received.first)
        #expect(received.count == 1)
        #expect(message.body == #"{"n":1}"#)
        #expect(message.groupId == "etr_1")
        #expect(message.attributes["kind"] == "entry")
        #expect(message.receiveCount == 1)
        #expect(message.sentAt != nil)
        #expect(message.firstReceivedAt != nil)

        try await fixture.queue.delete(message)
        #expect(try await fixture.queue.receive(maxMessages: 10, waitTime: .zero, visibilityTimeout: nil).isEmpty)
        #expect(try await fixture.queue.stats() == QueueStats(visible: 0, inFlight: 0, delayed: 0))
    }

    @Test(
        "a repeated deduplication id is dropped; the same body with a new id is not", arguments: QueueAdapter.allCases)
    func deduplication(_ adapter: QueueAdapter) async throws {
        let fixture = try await QueueFixture.make(adapter)
        defer { fixture.remove() }
        let queue = fixture.queue
        try await queue.send(OutgoingMessage(body: "click", groupId: "g", deduplicationId: "wh_a"))
        try await queue.send(OutgoingMessage(body: "retry of wh_a", groupId: "g", deduplicationId: "wh_a"))
        try await queue.send(OutgoingMessage(body: "click", groupId: "g", deduplicationId: "wh_b"))

        let bodies = try await drainInOrder(queue)
        #expect(bodies == ["click", "click"])
    }

    @Test("messages of one group arrive in send order", arguments: QueueAdapter.allCases)
    func fifoWithinGroup(_ adapter: QueueAdapter) async throws {
        let fixture = try await QueueFixture.make(adapter)
        defer { fixture.remove() }
        for n in 1...5 {
            try await fixture.queue.send(OutgoingMessage(body: "a\(n)", groupId: "A", deduplicationId: "a\(n)"))
        }
        #expect(try await drainInOrder(fixture.queue) == ["a1", "a2", "a3", "a4", "a5"])
    }

    @Test("a group with a message in flight delivers nothing else from that group", arguments: QueueAdapter.allCases)
    func groupBlocking(_ adapter: QueueAdapter) async throws {
        let fixture = try await QueueFixture.make(adapter)
        defer { fixture.remove() }
        let queue = fixture.queue
        try await queue.send(OutgoingMessage(body: "a1", groupId: "A", deduplicationId: "a1"))
        try await queue.send(OutgoingMessage(body: "a2", groupId: "A", deduplicationId: "a2"))
        try await queue.send(OutgoingMessage(body: "b1", groupId: "B", deduplicationId: "b1"))

        let first = try await queue.receive(maxMessages: 1, waitTime: .seconds(5), visibilityTimeout: .seconds(60))
        #expect(first.map(\.body) == ["a1"])
        let second = try await queue.receive(maxMessages: 10, waitTime: .seconds(2), visibilityTimeout: .seconds(60))
        #expect(second.map(\.body) == ["b1"])
        #expect(try await queue.receive(maxMessages: 10, waitTime: .zero, visibilityTimeout: nil).isEmpty)

        try await queue.delete(try #require(first.first))
        let third = try await queue.receive(maxMessages: 10, waitTime: .seconds(5), visibilityTimeout: .seconds(60))
        #expect(third.map(\.body) == ["a2"])
    }

    @Test(
        "an expired visibility timeout redelivers the message with receiveCount + 1", arguments: QueueAdapter.allCases)
    func visibilityExpiry(_ adapter: QueueAdapter) async throws {
        let fixture = try await QueueFixture.make(adapter)
        defer { fixture.remove() }
        let queue = fixture.queue
        try await queue.send(OutgoingMessage(body: "slow", groupId: "g", deduplicationId: "d"))
        let first = try #require(
            try await queue.receive(maxMessages: 1, waitTime: .seconds(5), visibilityTimeout: .seconds(1)).first)
        #expect(first.receiveCount == 1)

        // The long poll returns once the timeout has run out (within the wait); the worker that held it is gone.
        let again = try #require(
            try await queue.receive(maxMessages: 1, waitTime: .seconds(10), visibilityTimeout: .seconds(60)).first)
        #expect(again.id == first.id)
        #expect(again.receiveCount == 2)
        #expect(again.receiptHandle != first.receiptHandle)
        try await queue.delete(again)
    }

    @Test("changeVisibility(0) makes a message visible at once", arguments: QueueAdapter.allCases)
    func changeVisibilityToZero(_ adapter: QueueAdapter) async throws {
        let fixture = try await QueueFixture.make(adapter)
        defer { fixture.remove() }
        let queue = fixture.queue
        try await queue.send(OutgoingMessage(body: "m", groupId: "g", deduplicationId: "d"))
        let first = try #require(
            try await queue.receive(maxMessages: 1, waitTime: .seconds(5), visibilityTimeout: .seconds(600)).first)
        try await queue.changeVisibility(first, timeout: .seconds(900))
        #expect(try await queue.stats().inFlight == 1)
        try await queue.changeVisibility(first, timeout: .zero)

        let again = try #require(
            try await queue.receive(maxMessages: 1, waitTime: .seconds(5), visibilityTimeout: .seconds(600)).first)
        #expect(again.id == first.id)
        #expect(again.receiveCount == 2)
    }

    @Test("after maxReceiveCount receives the message lands in the dead-letter queue", arguments: QueueAdapter.allCases)
    func redriveToDeadLetterQueue(_ adapter: QueueAdapter) async throws {
        let fixture = try await QueueFixture.make(adapter)
        defer { fixture.remove() }
        let queue = fixture.queue
        #expect(try await queue.maxReceiveCount == 3)
        try await queue.send(
            OutgoingMessage(
                body: "poison", groupId: "etr_p", deduplicationId: "d", attributes: ["origin": "test"]))
        for expected in 1...3 {
            let message = try #require(
                try await queue.receive(maxMessages: 1, waitTime: .seconds(5), visibilityTimeout: .seconds(600)).first)
            #expect(message.receiveCount == expected)
            try await queue.changeVisibility(message, timeout: .zero)
        }
        #expect(try await queue.receive(maxMessages: 10, waitTime: .seconds(1), visibilityTimeout: nil).isEmpty)

        let dlq = try #require(try await queue.deadLetterQueue())
        let dead = try #require(
            try await dlq.receive(maxMessages: 1, waitTime: .seconds(5), visibilityTimeout: nil).first)
        #expect(dead.body == "poison")
        #expect(dead.groupId == "etr_p")
        #expect(dead.attributes["origin"] == "test")
    }

    @Test("deadLetter moves a message with its reason, group and attributes", arguments: QueueAdapter.allCases)
    func explicitDeadLetter(_ adapter: QueueAdapter) async throws {
        let fixture = try await QueueFixture.make(adapter)
        defer { fixture.remove() }
        let queue = fixture.queue
        try await queue.send(
            OutgoingMessage(
                body: #"{"webhookId":"wh_9"}"#, groupId: "etr_9", deduplicationId: "wh_9",
                attributes: ["origin": "test"]))
        let message = try #require(
            try await queue.receive(maxMessages: 1, waitTime: .seconds(5), visibilityTimeout: nil).first)
        try await queue.deadLetter(message, reason: "export failed: HTTP 403 (permanent)")

        #expect(try await queue.receive(maxMessages: 10, waitTime: .zero, visibilityTimeout: nil).isEmpty)
        let dlq = try #require(try await queue.deadLetterQueue())
        let dead = try #require(
            try await dlq.receive(maxMessages: 1, waitTime: .seconds(5), visibilityTimeout: nil).first)
        #expect(dead.body == #"{"webhookId":"wh_9"}"#)
        #expect(dead.groupId == "etr_9")
        #expect(dead.failureReason == "export failed: HTTP 403 (permanent)")
        #expect(dead.attributes["origin"] == "test")
        #expect(try await dlq.deadLetterQueue() == nil)
    }

    @Test("stats count visible and in-flight messages", arguments: QueueAdapter.allCases)
    func stats(_ adapter: QueueAdapter) async throws {
        let fixture = try await QueueFixture.make(adapter)
        defer { fixture.remove() }
        let queue = fixture.queue
        for group in ["A", "B", "C"] {
            try await queue.send(OutgoingMessage(body: group, groupId: group, deduplicationId: group))
        }
        #expect(try await queue.stats() == QueueStats(visible: 3, inFlight: 0, delayed: 0))
        _ = try await queue.receive(maxMessages: 1, waitTime: .seconds(5), visibilityTimeout: .seconds(600))
        #expect(try await queue.stats() == QueueStats(visible: 2, inFlight: 1, delayed: 0))
    }

    /// Receives one message at a time, deleting each, until the queue is empty; returns the bodies in order.
    func drainInOrder(_ queue: any MessageQueue) async throws -> [String] {
        var bodies: [String] = []
        while let message = try await queue.receive(
            maxMessages: 1, waitTime: .seconds(bodies.isEmpty ? 5 : 1), visibilityTimeout: .seconds(60)
        ).first {
            bodies.append(message.body)
            try await queue.delete(message)
            if bodies.count > 50 { break }
        }
        return bodies
    }
}
