import AWSCore
import AWSServices
import AsyncHTTPClient
import Foundation
import JSONCore
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

/// Creating queues on moto for tests (what the ops template does in AWS).
enum SQSTestQueues {
    /// An SQS client on the test environment's moto server, signing as `credentials`.
    static func sqs(_ environment: TestEnvironment, _ credentials: TestEnvironment.Credentials) -> SQS {
        let client = AWSClient(
            region: AWSRegion(environment.region),
            credentialProvider: StaticCredentialProvider(
                accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey),
            endpoints: AWSEndpointResolver(customEndpoint: URL(string: environment.awsEndpoint)),
            httpClient: HTTPClient.shared)
        return SQS(client: client)
    }

    /// Creates `bq-test-mq-….fifo` and its `…-dlq.fifo`; returns both URLs.
    static func create(
        _ environment: TestEnvironment, maxReceiveCount: Int
    ) async throws -> (queue: String, deadLetter: String) {
        let admin = sqs(environment, environment.admin)
        let name = environment.uniqueName("mq")
        let fifo: JSONObject = ["FifoQueue": "true", "ContentBasedDeduplication": "false"]
        let deadLetter = try await createQueue(admin, name: name + "-dlq.fifo", attributes: fifo)
        let arn = try await admin.getQueueAttributes(queueURL: deadLetter, names: ["QueueArn"])["QueueArn"] ?? ""
        var attributes = fifo
        attributes["VisibilityTimeout"] = "30"
        attributes["RedrivePolicy"] = .string(
            #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":\#(maxReceiveCount)}"#)
        let queue = try await createQueue(admin, name: name + ".fifo", attributes: attributes)
        return (queue, deadLetter)
    }

    static func createQueue(_ sqs: SQS, name: String, attributes: JSONObject) async throws -> String {
        let response = try await sqs.client.jsonRequest(
            service: "sqs", target: "AmazonSQS.CreateQueue",
            body: ["QueueName": .string(name), "Attributes": .object(attributes)])
        guard let url = response["QueueUrl"]?.stringValue else { throw QueueError(.unexpectedResponse, "no QueueUrl") }
        return url
    }
}
