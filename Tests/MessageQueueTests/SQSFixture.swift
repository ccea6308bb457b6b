import AWSServices
import AsyncHTTPClient
import MessageQueue
import TestSupport

extension QueueFixture {
    /// A fresh SQS FIFO queue with a FIFO DLQ (RedrivePolicy maxReceiveCount 3) on moto, created with the admin
    /// user and used with the worker's (the ops template's task-role policy).
    static func makeSQS() async throws -> QueueFixture {
        let environment = try TestEnvironment.load()
        let urls = try await SQSTestQueues.create(environment, maxReceiveCount: 3)
        let worker = SQSTestQueues.sqs(environment, environment.worker)
        return QueueFixture(queue: SQSQueue(sqs: worker, queueURL: urls.queue), cleanup: {})
    }
}

/// Queues on moto for tests (what the ops template does in AWS), via TestSupport's `MotoSeeder`.
enum SQSTestQueues {
    /// An SQS client on the test environment's moto server, signing as `credentials`.
    static func sqs(_ environment: TestEnvironment, _ credentials: TestEnvironment.Credentials) -> SQS {
        SQS(client: environment.awsClient(credentials, httpClient: HTTPClient.shared))
    }

    /// Creates `bq-test-mq-….fifo` (visibility 30 s) and its `…-dlq.fifo`; returns both URLs.
    static func create(
        _ environment: TestEnvironment, maxReceiveCount: Int
    ) async throws -> (queue: String, deadLetter: String) {
        try await MotoSeeder(environment).createFIFOQueue(
            name: environment.uniqueName("mq"), maxReceiveCount: maxReceiveCount, visibilityTimeout: 30)
    }
}
