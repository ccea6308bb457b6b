import AWSCore
import AWSServices
import Foundation
import MessageQueue
import Worker

/// The process environment the operator commands read, and the few clients they build from it.
///
/// Operator commands run as one-off tasks next to the worker (same image, same task role, same variables), so they
/// read `QUEUE_URL`, `JOB_LOG_PATH` / `JOB_LOG_DIR` and the standard AWS variables exactly as `worker run` does,
/// and build the queue through the same `MessageQueueFactory`. They do not need the Benchling secret or the Quilt
/// stack unless a command says so.
public struct OperatorEnvironment: Sendable {
    public let variables: [String: String]

    public init(_ variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.variables = variables
    }

    public func text(_ name: String) -> String? {
        guard let value = variables[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// `QUEUE_URL`, or the error an operator can act on.
    public func queueAddress() throws -> String {
        guard let address = text("QUEUE_URL") else {
            throw OperatorError(
                "QUEUE_URL is not set: export the queue the worker drains (an SQS queue URL or sqlite:///path/queue.db)"
            )
        }
        return address
    }

    /// Where the job logs are: `JOB_LOG_PATH` (one file) or `JOB_LOG_DIR` (every `*.db` file there), else the
    /// worker's default file.
    public func jobLogLocation(override: String? = nil) -> JobLogLocation {
        if let override { return JobLogLocation(argument: override) }
        if let path = text("JOB_LOG_PATH") { return .file(path) }
        if let directory = text("JOB_LOG_DIR") { return .directory(directory) }
        return .file(WorkerSettings(queueAddress: "", jobLogPath: "worker-jobs.sqlite").jobLogPath)
    }

    /// The AWS client for queue work (profile `.operator`), in the queue URL's region by the one region rule
    /// (`AWSClientFactory.region`), else us-east-1; credentials and endpoint as in the worker.
    public func awsClient(queueAddress: String) -> AWSClient {
        let factory = AWSClientFactory(environment: variables)
        return factory.client(
            .operator, region: factory.regionOrDefault(resource: AWSRegion.fromSQSQueueURL(queueAddress)))
    }

    /// The queue the worker drains, through the worker's own factory, with the client that must be shut down.
    public func openQueue() throws -> (queue: any MessageQueue, client: AWSClient) {
        let address = try queueAddress()
        let client = awsClient(queueAddress: address)
        do {
            return (try MessageQueueFactory.make(address: address, sqs: SQS(client: client)), client)
        } catch {
            Task { try? await client.shutdown() }
            throw error
        }
    }
}

/// A failure an operator can act on; the message says what to do.
public struct OperatorError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs `body` with the environment's queue, shutting the AWS client down afterwards whatever happens.
public func withOperatorQueue<T: Sendable>(
    _ environment: OperatorEnvironment, _ body: (any MessageQueue) async throws -> T
) async throws -> T {
    let (queue, client) = try environment.openQueue()
    do {
        let result = try await body(queue)
        try? await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
