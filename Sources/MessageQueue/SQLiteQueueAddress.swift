import Foundation

/// A parsed `sqlite:///abs/path/queue.db[?queue=main&visibilityTimeout=300&maxReceiveCount=5]` address.
///
/// The options live in the address (not in the file) so receiver and worker, configured with the same `QUEUE_URL`,
/// agree without a side channel; only the worker receives, so only its options take effect.
public struct SQLiteQueueAddress: Sendable, Equatable {
    public var path: String
    /// Several queues can share one file; the dead-letter queue is `<queue>-dlq` in the same file.
    public var queue: String
    public var visibilityTimeout: Duration
    public var maxReceiveCount: Int

    public static let scheme = "sqlite"
    public static let defaultQueue = "main"
    /// maxReceiveCount 3 matches the ops template's RedrivePolicy.
    /// Long enough for a typical export; the worker extends it while a slow job runs.
    public static let defaultVisibilityTimeout: Duration = .seconds(300)
    public static let defaultMaxReceiveCount = 3

    public init(
        path: String, queue: String = Self.defaultQueue,
        visibilityTimeout: Duration = Self.defaultVisibilityTimeout, maxReceiveCount: Int = Self.defaultMaxReceiveCount
    ) {
        self.path = path
        self.queue = queue
        self.visibilityTimeout = visibilityTimeout
        self.maxReceiveCount = maxReceiveCount
    }

    /// Parses an address; throws `QueueError.invalidAddress` saying what was expected.
    public init(parsing address: String) throws {
        let expected =
            "expected sqlite:///absolute/path/queue.db (options: ?queue=NAME&visibilityTimeout=SECONDS"
            + "&maxReceiveCount=N)"
        guard let components = URLComponents(string: address), components.scheme?.lowercased() == Self.scheme else {
            throw QueueError(.invalidAddress, "\(address.prefix(200)): \(expected)")
        }
        guard components.host == nil || components.host == "", components.path.hasPrefix("/"),
            components.path.count > 1
        else {
            throw QueueError(.invalidAddress, "\(address.prefix(200)): the path must be absolute; \(expected)")
        }
        self.init(path: components.path)
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "queue":
                guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
                else { throw QueueError(.invalidAddress, "queue=\(value): letters, digits, - and _ only") }
                queue = value
            case "visibilityTimeout":
                guard let seconds = Int(value), seconds >= 0, seconds <= 43_200 else {
                    throw QueueError(.invalidAddress, "visibilityTimeout=\(value): whole seconds 0…43200")
                }
                visibilityTimeout = .seconds(seconds)
            case "maxReceiveCount":
                guard let count = Int(value), count >= 1, count <= 1000 else {
                    throw QueueError(.invalidAddress, "maxReceiveCount=\(value): a whole number 1…1000")
                }
                maxReceiveCount = count
            default:
                throw QueueError(.invalidAddress, "unknown option \(item.name); \(expected)")
            }
        }
    }

    /// The dead-letter queue's name in the same file.
    public var deadLetterQueue: String { queue + "-dlq" }
}
