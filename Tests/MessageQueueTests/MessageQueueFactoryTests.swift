import Foundation
import MessageQueue
import TestSupport
import Testing

@Suite("Choosing the queue adapter by address", .timeLimit(.minutes(5)))
struct MessageQueueFactoryTests {
    @Test("sqlite:/// opens a SQLite queue with the address's options")
    func sqliteAddress() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("queue-tests-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try MessageQueueFactory.make(
            address: "sqlite://\(directory.path)/q.db?maxReceiveCount=7&visibilityTimeout=45", sqs: nil)
        #expect(queue is SQLiteQueue)
        #expect(try await queue.maxReceiveCount == 7)
        #expect(try await queue.visibilityTimeout == .seconds(45))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("q.db").path))
    }

    @Test("an http(s) URL is an SQS queue and needs an SQS client")
    func sqsAddress() throws {
        let environment = try TestEnvironment.load()
        let sqs = SQSTestQueues.sqs(environment, environment.worker)
        let url = "https://sqs.us-east-1.amazonaws.com/123456789012/bq-test-x.fifo"
        let queue = try #require(try MessageQueueFactory.make(address: url, sqs: sqs) as? SQSQueue)
        #expect(queue.queueURL == url)
        #expect(throws: QueueError.self) { _ = try MessageQueueFactory.make(address: url, sqs: nil) }
    }

    @Test("an unknown form names the forms expected", arguments: ["", "queue.db", "amqp://host/q", "file:///tmp/q.db"])
    func unknownForm(_ address: String) {
        let error = #expect(throws: QueueError.self) { _ = try MessageQueueFactory.make(address: address, sqs: nil) }
        #expect(error?.kind == .invalidAddress)
        #expect(error?.message.contains("sqlite:///") == true)
        #expect(error?.message.contains("https://sqs.") == true)
    }
}
