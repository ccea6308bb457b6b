import Foundation
import Synchronization
import Testing

@testable import MessageQueue

@Suite("SQLite queue: addresses and multi-consumer safety", .timeLimit(.minutes(2)))
struct SQLiteQueueTests {
    @Test("an address carries the path and options; defaults otherwise")
    func parsesAddress() throws {
        let plain = try SQLiteQueueAddress(parsing: "sqlite:///var/lib/bq/queue.db")
        #expect(plain == SQLiteQueueAddress(path: "/var/lib/bq/queue.db"))
        #expect(plain.deadLetterQueue == "main-dlq")

        let tuned = try SQLiteQueueAddress(
            parsing: "sqlite:///tmp/q%20dir/queue.db?queue=events&visibilityTimeout=60&maxReceiveCount=2")
        #expect(tuned.path == "/tmp/q dir/queue.db")
        #expect(tuned.queue == "events")
        #expect(tuned.visibilityTimeout == .seconds(60))
        #expect(tuned.maxReceiveCount == 2)
    }

    @Test(
        "bad addresses are refused with what was expected",
        arguments: [
            "sqlite://relative/queue.db", "sqlite:queue.db", "sqlite:///", "sqlite:///q.db?maxReceiveCount=0",
            "sqlite:///q.db?visibilityTimeout=abc", "sqlite:///q.db?color=blue", "sqlite:///q.db?queue=a/b",
            "file:///q.db",
        ])
    func refusesBadAddress(_ address: String) {
        #expect {
            _ = try SQLiteQueueAddress(parsing: address)
        } throws: { error in
            (error as? QueueError)?.kind == .invalidAddress
        }
    }

    @Test("a stale receipt handle can neither extend nor delete a redelivered message")
    func staleHandle() async throws {
        let fixture = try QueueFixture.makeSQLite()
        defer { fixture.remove() }
        let queue = fixture.queue
        try await queue.send(OutgoingMessage(body: "m", groupId: "g", deduplicationId: "d"))
        let first = try #require(
            try await queue.receive(maxMessages: 1, waitTime: .zero, visibilityTimeout: .zero).first)
        let second = try #require(
            try await queue.receive(maxMessages: 1, waitTime: .zero, visibilityTimeout: .seconds(60)).first)
        #expect(second.receiveCount == 2)

        await #expect(throws: QueueError(.messageNotInFlight, "message \(first.id) is not in flight in main")) {
            try await queue.changeVisibility(first, timeout: .seconds(30))
        }
        try await queue.delete(first)
        #expect(try await queue.stats().inFlight == 1)
        try await queue.delete(second)
        #expect(try await queue.stats() == QueueStats(visible: 0, inFlight: 0, delayed: 0))
    }

    @Test("consumers on separate connections (as separate processes) get each message once, groups in order")
    func concurrentConsumers() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("queue-tests-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let address = try SQLiteQueueAddress(parsing: "sqlite://\(directory.path)/queue.db")
        let producer = try SQLiteQueue(address: address)
        for group in 0..<8 {
            for n in 0..<6 {
                try await producer.send(
                    OutgoingMessage(body: "\(group):\(n)", groupId: "g\(group)", deduplicationId: "\(group)-\(n)"))
            }
        }
        let consumers = try (0..<2).map { _ in try SQLiteQueue(address: address) }
        let seen = DeliveryLog()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for worker in 0..<4 {
                let queue = consumers[worker % 2]
                tasks.addTask {
                    while true {
                        let batch = try await queue.receive(
                            maxMessages: 3, waitTime: .milliseconds(300), visibilityTimeout: .seconds(60))
                        if batch.isEmpty { return }
                        for message in batch {
                            seen.append(message.body)
                            try await queue.delete(message)
                        }
                    }
                }
            }
            try await tasks.waitForAll()
        }
        let bodies = seen.bodies
        #expect(bodies.count == 48)
        #expect(Set(bodies).count == 48)
        for group in 0..<8 {
            let order = bodies.filter { $0.hasPrefix("\(group):") }
            #expect(order == (0..<6).map { "\(group):\($0)" })
        }
    }
}

/// Bodies in the order consumers took them, shared by concurrent consumer tasks.
final class DeliveryLog: Sendable {
    private let storage = Mutex<[String]>([])

    func append(_ body: String) { storage.withLock { $0.append(body) } }

    var bodies: [String] { storage.withLock { $0 } }
}
