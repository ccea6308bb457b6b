import Foundation
import Logging
import MessageQueue
import TestSupport
import Testing

@testable import Worker

/// The heartbeat's cadence when renewals are slow: a renewal that has not returned must not hold up the next one
/// (that let a message lapse on a starved machine), and no more than two are ever in flight.
@Suite("Visibility heartbeat", .timeLimit(.minutes(2)))
struct VisibilityHeartbeatTests {
    /// The real SQLite queue, with renewals that wait at a gate the test opens: a slow SQS, which moto cannot be
    /// made into on demand.
    final class GatedRenewals: MessageQueue, @unchecked Sendable {
        let base: SQLiteQueue
        private let lock = NSLock()
        private var started = 0
        private var finished = 0
        private var maxInFlight = 0
        private var open = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        init(base: SQLiteQueue) { self.base = base }

        var counts: (started: Int, finished: Int, maxInFlight: Int) {
            lock.withLock { (started, finished, maxInFlight) }
        }

        func openGate() {
            let resumed = lock.withLock {
                open = true
                defer { waiting.removeAll() }
                return waiting
            }
            for continuation in resumed { continuation.resume() }
        }

        func changeVisibility(_ message: ReceivedMessage, timeout: Duration) async throws {
            lock.withLock {
                started += 1
                maxInFlight = max(maxInFlight, started - finished)
            }
            await withCheckedContinuation { continuation in
                let passNow = lock.withLock {
                    if open { return true }
                    waiting.append(continuation)
                    return false
                }
                if passNow { continuation.resume() }
            }
            try await base.changeVisibility(message, timeout: timeout)
            lock.withLock { finished += 1 }
        }

        var address: String { base.address }
        func send(_ message: OutgoingMessage) async throws { try await base.send(message) }
        func receive(
            maxMessages: Int, waitTime: Duration, visibilityTimeout: Duration?
        ) async throws -> [ReceivedMessage] {
            try await base.receive(maxMessages: maxMessages, waitTime: waitTime, visibilityTimeout: visibilityTimeout)
        }
        func delete(_ message: ReceivedMessage) async throws { try await base.delete(message) }
        func deadLetter(_ message: ReceivedMessage, reason: String) async throws {
            try await base.deadLetter(message, reason: reason)
        }
        func deadLetterQueue() async throws -> (any MessageQueue)? { try await base.deadLetterQueue() }
        func stats() async throws -> QueueStats { try await base.stats() }
        var maxReceiveCount: Int? { get async throws { try await base.maxReceiveCount } }
        var visibilityTimeout: Duration { get async throws { try await base.visibilityTimeout } }
    }

    @Test("renewals keep their cadence while earlier ones hang, at most two in flight, and resume when they return")
    func slowRenewalsDoNotDelayTheNext() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heartbeat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try SQLiteQueue(address: SQLiteQueueAddress(path: folder.appendingPathComponent("q.db").path))
        try await base.send(OutgoingMessage(body: "{}", groupId: "g", deduplicationId: "d"))
        let message = try #require(
            try await base.receive(maxMessages: 1, waitTime: .seconds(1), visibilityTimeout: .seconds(30)).first)
        let queue = GatedRenewals(base: base)

        // Each tick of the cadence is one call of the injected sleep; ticks are counted, not timed.
        let ticks = Counter()
        let heartbeat = VisibilityHeartbeat(queue: queue, visibilityTimeout: .seconds(30)) { _ in
            await ticks.increment()
            try await Task.sleep(for: .milliseconds(20))
        }
        let running = Task { await heartbeat.run(message, logger: Logger(label: "heartbeat-test")) }

        // With the first renewal stuck, the next tick still renews: the cadence does not wait for it.
        #expect(try await eventually(timeout: .seconds(30)) { queue.counts.started >= 2 })
        // Many more ticks pass with both stuck: no third renewal joins them.
        let seen = await ticks.value
        #expect(try await eventually(timeout: .seconds(30)) { await ticks.value >= seen + 5 })
        #expect(queue.counts.started == 2 && queue.counts.finished == 0, "\(queue.counts)")

        queue.openGate()
        #expect(try await eventually(timeout: .seconds(30)) { queue.counts.finished >= 3 }, "\(queue.counts)")
        running.cancel()
        await running.value
        #expect(queue.counts.maxInFlight <= 2, "\(queue.counts)")
    }

    actor Counter {
        var value = 0
        func increment() { value += 1 }
    }
}
