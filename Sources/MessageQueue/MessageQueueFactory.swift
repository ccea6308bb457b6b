import AWSServices

/// Chooses the queue adapter from the address's form, so one setting (`QUEUE_URL`) selects production SQS or the
/// embedded SQLite file.
public enum MessageQueueFactory {
    static let expectedForms =
        "expected an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME.fifo, or "
        + "http(s)://… with AWS_ENDPOINT_URL) or sqlite:///absolute/path/queue.db"

    /// - `sqlite:///…` → `SQLiteQueue` (options in the query, see `SQLiteQueueAddress`);
    /// - `https://…` / `http://…` → `SQSQueue` over `sqs`, which is then required.
    public static func make(address: String, sqs: SQS?) throws -> any MessageQueue {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        let scheme = trimmed.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        switch scheme {
        case SQLiteQueueAddress.scheme:
            return try SQLiteQueue(address: SQLiteQueueAddress(parsing: trimmed))
        case "https", "http":
            guard let sqs else {
                throw QueueError(.invalidRequest, "\(trimmed) is an SQS queue URL, but no SQS client was given")
            }
            guard trimmed.split(separator: "/").count >= 4 else {
                throw QueueError(.invalidAddress, "\(trimmed): no queue path; \(expectedForms)")
            }
            return SQSQueue(sqs: sqs, queueURL: trimmed)
        default:
            throw QueueError(
                .invalidAddress,
                "\(trimmed.isEmpty ? "(empty)" : String(trimmed.prefix(200))): "
                    + expectedForms)
        }
    }
}
