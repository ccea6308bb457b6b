import AWSServices
import JSONCore
import MessageQueue
import TestSupport

/// AWS resources in moto for one test, created with the admin credentials (TestSupport's `MotoSeeder`): a FIFO
/// queue with its DLQ, a secret (written on demand) and the process-wide Quilt stack with a `QuiltWebHost` output.
struct MotoResources: Sendable {
    let environment: TestEnvironment
    let bucket: String
    let stackARN: String
    let secretName: String
    let queueURL: String
    let adminQueue: any MessageQueue
    private let seeder: MotoSeeder
    private let secretExists: SecretFlag

    /// - Parameter queueOutsidePolicy: name the queue outside `bq-test-*`, so the receiver's IAM policy
    ///   does not cover it (SendMessage is denied).
    static func create(queueOutsidePolicy: Bool = false) async throws -> MotoResources {
        let environment = try TestEnvironment.load()
        let seeder = MotoSeeder(environment)
        let stack = try await SharedStack.shared.get(seeder)
        let unique = environment.uniqueName("rcv")
        let name = queueOutsidePolicy ? "denied-" + unique.dropFirst("bq-test-".count) : unique
        let queues = try await seeder.createFIFOQueue(name: name, maxReceiveCount: 5)
        return MotoResources(
            environment: environment, bucket: stack.bucket, stackARN: stack.arn, secretName: unique + "-secret",
            queueURL: queues.queue, adminQueue: SQSQueue(sqs: SQS(client: seeder.admin), queueURL: queues.queue),
            seeder: seeder, secretExists: SecretFlag())
    }

    /// What the receiver process would have in its environment, with the chosen IAM user's keys.
    func receiverEnvironment(_ credentials: Backend.Credentials) -> [String: String] {
        var env = environment.awsProcessEnvironment(
            credentials == .receiver ? environment.receiver : environment.restricted)
        env["QuiltStackARN"] = stackARN
        env["BenchlingSecret"] = secretName
        return env
    }

    /// Creates the secret the first time, then stores new versions.
    func putSecret(_ text: String) async throws {
        if await secretExists.claim() {
            try await seeder.createSecret(text, name: secretName)
        } else {
            try await seeder.putSecretValue(text, secretId: secretName)
        }
    }
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

    func get(_ seeder: MotoSeeder) async throws -> (arn: String, bucket: String) {
        if let stack { return stack }
        let name = seeder.environment.uniqueName("rcvstack")
        let bucket = name
        let arn = try await seeder.createStack(
            name: name,
            outputs: ["QuiltWebHost": "catalog.bq-test.example.com", "UserAthenaDatabaseName": "bq_test_db"],
            extraResources: ["Bucket": ["Type": "AWS::S3::Bucket", "Properties": ["BucketName": .string(bucket)]]])
        stack = (arn, bucket)
        return (arn, bucket)
    }
}
