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
            throw OperatorError("QUEUE_URL is not set: export the queue the worker drains (an SQS queue URL or sqlite:///path/queue.db)")
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

    /// The AWS client for queue work: region from `AWS_REGION`/`AWS_DEFAULT_REGION`, else from an SQS queue
    /// URL's host (`sqs.<region>.amazonaws.com`), else us-east-1; credentials and endpoint as in the worker.
    public func awsClient(queueAddress: String) -> AWSClient {
        let region = AWSRegion.fromEnvironment(variables)
            ?? Self.region(ofQueueURL: queueAddress).map { AWSRegion($0) } ?? AWSRegion("us-east-1")
        return AWSClient(
            region: region, credentialProvider: CredentialProviderChain(environment: variables),
            endpoints: .fromEnvironment(variables),
            timeouts: AWSClient.Timeouts(connect: .seconds(5), read: .seconds(40), request: .seconds(60)))
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

    static func region(ofQueueURL address: String) -> String? {
        guard let host = URL(string: address)?.host else { return nil }
        let labels = host.split(separator: ".")
        guard labels.count >= 4, labels[0] == "sqs" else { return nil }
        return String(labels[1])
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
