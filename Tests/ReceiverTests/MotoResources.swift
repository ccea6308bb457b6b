import AWSCore
import AWSServices
import Foundation
import JSONCore
import MessageQueue
import TestSupport

/// AWS resources in moto for one test, created with the admin credentials: a FIFO queue with its DLQ, a secret
/// (written on demand) and the process-wide Quilt stack with a `QuiltWebHost` output.
struct MotoResources: Sendable {
    let environment: TestEnvironment
    let bucket: String
    let stackARN: String
    let secretName: String
    let queueURL: String
    let adminQueue: any MessageQueue
    private let admin: AWSClient
    private let secretExists: SecretFlag

    /// - Parameter queueOutsidePolicy: name the queue outside `bq-test-*`, so the receiver's IAM policy
    ///   does not cover it (SendMessage is denied).
    static func create(queueOutsidePolicy: Bool = false) async throws -> MotoResources {
        let environment = try TestEnvironment.load()
        let admin = try sharedAdmin.get()
        let stack = try await SharedStack.shared.get(admin: admin, environment: environment)
        let unique = environment.uniqueName("rcv")
        let name = queueOutsidePolicy ? "denied-" + unique.dropFirst("bq-test-".count) : unique
        let dlqURL = try await createQueue(admin, name: name + "-dlq.fifo", attributes: [:])
        let dlqArn = try await SQS(client: admin).getQueueAttributes(queueURL: dlqURL, names: ["QueueArn"])["QueueArn"]
            ?? ""
        let redrive: JSONValue = ["deadLetterTargetArn": .string(dlqArn), "maxReceiveCount": "5"]
        let queueURL = try await createQueue(
            admin, name: name + ".fifo", attributes: ["RedrivePolicy": redrive.compactString()])
        return MotoResources(
            environment: environment, bucket: stack.bucket, stackARN: stack.arn, secretName: unique + "-secret",
            queueURL: queueURL, adminQueue: SQSQueue(sqs: SQS(client: admin), queueURL: queueURL), admin: admin,
            secretExists: SecretFlag())
    }

    /// What the receiver process would have in its environment, with the chosen IAM user's keys.
    func receiverEnvironment(_ credentials: Backend.Credentials) -> [String: String] {
        let keys = credentials == .receiver ? environment.receiver : environment.restricted
        return [
            "AWS_ENDPOINT_URL": environment.awsEndpoint, "AWS_REGION": environment.region,
            "AWS_ACCESS_KEY_ID": keys.accessKeyId, "AWS_SECRET_ACCESS_KEY": keys.secretAccessKey,
            "QuiltStackARN": stackARN, "BenchlingSecret": secretName,
        ]
    }

    /// Creates the secret the first time, then stores new versions.
    func putSecret(_ text: String) async throws {
        if await secretExists.claim() {
            _ = try await admin.jsonRequest(
                service: "secretsmanager", target: "secretsmanager.CreateSecret",
                body: ["Name": .string(secretName), "SecretString": .string(text)])
        } else {
            _ = try await admin.jsonRequest(
                service: "secretsmanager", target: "secretsmanager.PutSecretValue",
                body: ["SecretId": .string(secretName), "SecretString": .string(text)])
        }
    }

    static func client(_ environment: TestEnvironment, _ credentials: TestEnvironment.Credentials) -> AWSClient {
        AWSClient(
            region: AWSRegion(environment.region),
            credentialProvider: StaticCredentialProvider(
                accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey),
            endpoints: AWSEndpointResolver(customEndpoint: URL(string: environment.awsEndpoint)))
    }

    private static func createQueue(_ admin: AWSClient, name: String, attributes: [String: String]) async throws
        -> String
    {
        var all: JSONObject = ["FifoQueue": "true", "ContentBasedDeduplication": "false"]
        for (key, value) in attributes { all[key] = .string(value) }
        let answer = try await admin.jsonRequest(
            service: "sqs", target: "AmazonSQS.CreateQueue", body: ["QueueName": .string(name), "Attributes": .object(all)])
        guard let url = answer["QueueUrl"]?.stringValue else { throw HarnessError("CreateQueue: no QueueUrl") }
        return url
    }
}

/// One admin client for the process: an AWSClient must be shut down before it is released, and a process-wide
/// one never is.
private let sharedAdmin = Result<AWSClient, any Error> {
    let environment = try TestEnvironment.load()
    return MotoResources.client(environment, environment.admin)
}

/// Whether the test's secret was created yet.
private actor SecretFlag {
    private var created = false
    /// True exactly once: the caller must create the secret.
    func claim() -> Bool {
        defer { created = true }
        return !created
    }
}

/// One Quilt stack for the whole test process (stacks are slow-ish in moto and read-only for the receiver).
private actor SharedStack {
    static let shared = SharedStack()
    private var stack: (arn: String, bucket: String)?

    func get(admin: AWSClient, environment: TestEnvironment) async throws -> (arn: String, bucket: String) {
        if let stack { return stack }
        let name = environment.uniqueName("rcvstack")
        let bucket = name
        let template: JSONValue = [
            "Resources": ["Bucket": ["Type": "AWS::S3::Bucket", "Properties": ["BucketName": .string(bucket)]]],
            "Outputs": [
                "QuiltWebHost": ["Value": "catalog.bq-test.example.com"],
                "UserAthenaDatabaseName": ["Value": "bq_test_db"],
            ],
        ]
        let answer = try await admin.queryRequest(
            service: "cloudformation", action: "CreateStack", version: CloudFormation.apiVersion,
            params: ["StackName": name, "TemplateBody": template.compactString()])
        guard let arn = answer.first(named: "StackId")?.text else { throw HarnessError("CreateStack: no StackId") }
        stack = (arn, bucket)
        return (arn, bucket)
    }
}
