import Foundation
import MessageQueue

/// Which adapter a parameterised test runs against.
enum QueueAdapter: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case sqs

    var description: String { rawValue }
}

/// A fresh queue (maxReceiveCount 3) with its dead-letter queue, for one test.
struct QueueFixture: Sendable {
    let queue: any MessageQueue
    let cleanup: @Sendable () -> Void

    func remove() { cleanup() }

    static func make(_ adapter: QueueAdapter) async throws -> QueueFixture {
        switch adapter {
        case .sqlite: return try makeSQLite()
        case .sqs: return try await makeSQS()
        }
    }

    static func makeSQLite(maxReceiveCount: Int = 3) throws -> QueueFixture {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("queue-tests-\(UUID().uuidString)", isDirectory: true)
        let address = "sqlite://\(directory.path)/queue.db?maxReceiveCount=\(maxReceiveCount)&visibilityTimeout=30"
        let queue = try SQLiteQueue(address: SQLiteQueueAddress(parsing: address))
        return QueueFixture(queue: queue, cleanup: { try? FileManager.default.removeItem(at: directory) })
    }
}
