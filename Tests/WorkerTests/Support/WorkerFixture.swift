import AWSCore
import AWSServices
import Benchling
import BenchlingSandbox
import Config
import Foundation
import JSONCore
import JobLog
import Logging
import MessageQueue
import TestSupport
import Worker

/// One end-to-end world for the worker: the Benchling sandbox, a fresh SQS FIFO queue with a DLQ, a fresh bucket
/// and a Quilt stack on moto (created with the admin key by TestSupport's `MotoSeeder`), and the real worker built
/// from the `Configuration` that `ConfigurationResolver` resolves from a deployment's environment (a file secret,
/// the stack), running with the worker's IAM user (the ops template's task-role policy).
final class WorkerFixture: Sendable {
    let environment: TestEnvironment
    let sandbox: SandboxTenant
    let queueURL: String
    let deadLetterURL: String
    let bucket: String
    let folder: URL
    let adminSQS: SQS
    let adminAWS: AWSClient
    /// The secret's `PKG_WORKFLOW` (nil: absent).
    let pkgWorkflow: String?
    /// What `ConfigurationResolver` made of the deployment environment (as `worker run` resolves it).
    let configuration: Configuration

    static let pkgPrefix = "benchling"
    static let catalogHost = "catalog.example.com"

    private init(
        environment: TestEnvironment, sandbox: SandboxTenant, queueURL: String, deadLetterURL: String,
        bucket: String, folder: URL, adminAWS: AWSClient, pkgWorkflow: String?, configuration: Configuration
    ) {
        self.environment = environment
        self.sandbox = sandbox
        self.queueURL = queueURL
        self.deadLetterURL = deadLetterURL
        self.bucket = bucket
        self.folder = folder
        self.adminAWS = adminAWS
        self.pkgWorkflow = pkgWorkflow
        self.configuration = configuration
        self.adminSQS = SQS(client: adminAWS)
    }

    static func make(
        maxReceiveCount: Int = 3, visibilitySeconds: Int = 30, versionedBucket: Bool = false, pkgWorkflow: String? = nil
    ) async throws -> WorkerFixture {
        let environment = try TestEnvironment.load()
        let sandbox = try await SandboxTenant.start(options: SandboxOptions())
        let seeder = MotoSeeder(environment)
        let name = environment.uniqueName("wk")
        let queues = try await seeder.createFIFOQueue(
            name: name, maxReceiveCount: maxReceiveCount, visibilityTimeout: visibilitySeconds)
        let bucket = environment.uniqueName("wk")
        try await seeder.createBucket(name: bucket, versioned: versionedBucket)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stackARN = try await seeder.createStack(
            name: environment.uniqueName("wkstack"), outputs: ["QuiltWebHost": catalogHost])
        let deployment = try deploymentEnvironment(
            environment: environment, sandbox: sandbox, folder: folder, userBucket: bucket, stackARN: stackARN,
            label: "fixture", logLevel: "DEBUG", pkgWorkflow: pkgWorkflow)
        let configuration: Configuration
        do {
            configuration = try await ConfigurationResolver(environment: deployment).resolve()
        } catch {
            await sandbox.shutdown()
            throw FixtureError("the fixture's deployment environment did not resolve: \(error)")
        }
        return WorkerFixture(
            environment: environment, sandbox: sandbox, queueURL: queues.queue, deadLetterURL: queues.deadLetter,
            bucket: bucket, folder: folder, adminAWS: seeder.admin, pkgWorkflow: pkgWorkflow,
            configuration: configuration)
    }

    func shutdown() async {
        await sandbox.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: The worker

    var jobLogPath: String { folder.appendingPathComponent("jobs.sqlite").path }

    func settings() -> WorkerSettings {
        var settings = WorkerSettings(queueAddress: queueURL, jobLogPath: jobLogPath)
        settings.concurrency = 4
        settings.receiveWait = .seconds(1)
        settings.exportPollInterval = .milliseconds(50)
        settings.exportMaxPollInterval = .milliseconds(200)
        settings.redeliveryBackoff.baseDelay = .seconds(1)
        settings.redeliveryBackoff.maxDelay = .seconds(2)
        settings.stopTimeout = .seconds(5)
        let scratch = folder.appendingPathComponent("tmp")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        settings.temporaryDirectory = scratch
        return settings
    }

    /// AWS wiring of the worker process: moto, the worker's IAM user.
    var workerEnvironment: [String: String] {
        environment.awsProcessEnvironment(environment.worker)
    }

    /// `sleep` paces Benchling retries, heartbeats and receive back-off (a scaled-down sleep keeps retry tests short).
    func buildWorker(
        settings: WorkerSettings? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) async throws -> WorkerApplication {
        var logger = Logger(label: "worker-test")
        logger.logLevel = .info
        return try await WorkerApplication.build(
            configuration: configuration, settings: settings ?? self.settings(), environment: workerEnvironment,
            logger: logger, sleep: sleep)
    }

    /// Starts a worker in a task; stop it with `stop()` (graceful) or by cancelling the task.
    func startWorker(
        settings: WorkerSettings? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) async throws -> RunningWorker {
        let app = try await buildWorker(settings: settings, sleep: sleep)
        return RunningWorker(app: app, task: Task { await app.run() })
    }

    // MARK: Enqueueing like the receiver

    /// Signs `message` with the sandbox and enqueues it as the receiver would.
    /// `queueURL` nil: the fixture's queue.
    @discardableResult
    func enqueue(
        _ message: SandboxMessage, webhookId: String? = nil, queueURL: String? = nil
    ) async throws -> QueuedWebhook {
        let delivery = try await sandbox.signedDelivery(message: message, webhookId: webhookId)
        return try await enqueue(delivery, queueURL: queueURL)
    }

    /// Enqueues `delivery` as the receiver does once it has accepted it: Benchling's own parse of the envelope, its
    /// `messageGroupId` as the group (no rule of the test's own), the receiver's `QueuedWebhook` around the raw
    /// body, the webhook id as deduplication id, sent through the receiver's queue adapter (`MessageQueueFactory`).
    /// A delivery the receiver would not enqueue is refused here too.
    @discardableResult
    func enqueue(_ delivery: SignedDelivery, queueURL: String? = nil) async throws -> QueuedWebhook {
        let message = try WebhookEnvelope.parse(delivery.body).message
        guard message.needsWorker, let groupId = message.messageGroupId else {
            throw FixtureError("the receiver would not enqueue a \(message.type) delivery naming no entry or canvas")
        }
        let queued = QueuedWebhook(
            webhookId: delivery.webhookId, webhookTimestamp: String(delivery.timestamp), receivedAt: Date(),
            eventType: message.type, groupId: groupId, body: String(decoding: delivery.body, as: UTF8.self))
        let queue = try MessageQueueFactory.make(address: queueURL ?? self.queueURL, sqs: adminSQS)
        try await queue.send(queued.outgoingMessage(groupId: groupId))
        return queued
    }

    func sendRaw(_ body: String, groupId: String, deduplicationId: String, queueURL: String? = nil) async throws {
        _ = try await adminSQS.sendMessage(
            queueURL: queueURL ?? self.queueURL, body: body, groupId: groupId, deduplicationId: deduplicationId)
    }

    // MARK: Observing

    /// Polls the job log until the job of `webhookId` reaches a state `done` accepts (generous bound: a wait, not
    /// a timing assertion; the whole suite on a busy 2-core machine has kept a 20 s job running past 120 s).
    func waitForJob(
        _ jobLog: JobLog, webhookId: String, timeout: Duration = .seconds(300),
        until done: @Sendable (Job) -> Bool = { $0.status.isTerminal }
    ) async throws -> JobDetail {
        var reached: JobDetail?
        _ = try await eventually(timeout: timeout) {
            guard let detail = try await jobLog.job(webhookId: webhookId), done(detail.job) else { return false }
            reached = detail
            return true
        }
        if let reached { return reached }
        let last = try await jobLog.job(webhookId: webhookId)
        throw FixtureError("job \(webhookId) did not reach the expected state; last: \(String(describing: last?.job))")
    }

    /// Messages now in the dead-letter queue (received with a short visibility so they stay there).
    func deadLetters() async throws -> [SQSMessage] {
        var found: [SQSMessage] = []
        for _ in 0..<3 {
            let batch = try await adminSQS.receiveMessages(
                queueURL: deadLetterURL, maxNumber: 10, waitTimeSeconds: 1, visibilityTimeout: 1)
            found += batch
            if !found.isEmpty { break }
        }
        return found
    }

    /// The revision pointers of a package (`.quilt/named_packages/{pkg}/{unix seconds}`, `latest` excluded), listed
    /// with the admin key. The whole bucket is listed and filtered here: moto rejects the signature of a
    /// ListObjects call whose `prefix` contains `/` (botocore's and ours alike), so quilt3's own
    /// `list_package_versions` is not usable against it either.
    func revisions(of package: String) async throws -> [String] {
        let prefix = ".quilt/named_packages/\(package)/"
        let objects = try await S3(client: adminAWS).listAllObjects(bucket: bucket).collect()
        return objects.filter { $0.key.hasPrefix(prefix) }.map { String($0.key.dropFirst(prefix.count)) }
            .filter { $0 != "latest" }
    }

    /// quilt3's report on the package (browse at `topHash`, re-hash every entry, list versions).
    func judgePackage(_ name: String, topHash: String) throws -> JSONValue {
        let request: JSONValue = [
            "registry": .string("s3://\(bucket)"),
            "packages": [["name": .string(name), "top_hash": .string(topHash), "verify_dir": .null]],
        ]
        let result = try PythonJudge(environment).run(
            "quilt_verify.py", input: request.compactData(),
            env: environment.pythonEnvironment(credentials: environment.admin))
        guard result.status == 0, let report = try JSONValue.parse(result.stdout)["packages"]?[0] else {
            throw FixtureError("quilt_verify.py failed (\(result.status)): \(result.stderr)")
        }
        return report
    }
}

/// A worker running in a task.
struct RunningWorker: Sendable {
    let app: WorkerApplication
    let task: Task<Void, Never>

    /// Graceful stop (as on SIGTERM), then release the clients.
    func stop() async {
        app.requestStop()
        await task.value
        await app.close()
    }

    /// Hard stop: cancel the run task (as if the process were torn down mid-job), then release the clients.
    func cancel() async {
        task.cancel()
        await task.value
        await app.close()
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with a fresh `WorkerFixture` and awaits its shutdown afterwards, also when `body` throws.
func withWorkerFixture<Result>(
    maxReceiveCount: Int = 3, visibilitySeconds: Int = 30, versionedBucket: Bool = false, pkgWorkflow: String? = nil,
    _ body: (WorkerFixture) async throws -> Result
) async throws -> Result {
    let fixture = try await WorkerFixture.make(
        maxReceiveCount: maxReceiveCount, visibilitySeconds: visibilitySeconds, versionedBucket: versionedBucket,
        pkgWorkflow: pkgWorkflow)
    return try await withShutdown(of: fixture, by: { await $0.shutdown() }, body)
}
