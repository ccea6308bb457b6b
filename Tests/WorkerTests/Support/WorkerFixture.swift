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

/// One end-to-end world for the worker: the Benchling sandbox, a fresh SQS FIFO queue with a DLQ and a fresh
/// bucket on moto (created with the admin key by TestSupport's `MotoSeeder`), and the real worker built from a
/// `Configuration` running with the worker's IAM user (the ops template's task-role policy).
final class WorkerFixture: Sendable {
    let environment: TestEnvironment
    let sandbox: BenchlingSandbox
    let queueURL: String
    let deadLetterURL: String
    let bucket: String
    let folder: URL
    let adminSQS: SQS
    let adminAWS: AWSClient
    /// The secret's `PKG_WORKFLOW` (nil: absent).
    let pkgWorkflow: String?

    static let pkgPrefix = "benchling"
    static let catalogHost = "catalog.example.com"

    private init(
        environment: TestEnvironment, sandbox: BenchlingSandbox, queueURL: String, deadLetterURL: String,
        bucket: String, folder: URL, adminAWS: AWSClient, pkgWorkflow: String?
    ) {
        self.environment = environment
        self.sandbox = sandbox
        self.queueURL = queueURL
        self.deadLetterURL = deadLetterURL
        self.bucket = bucket
        self.folder = folder
        self.adminAWS = adminAWS
        self.pkgWorkflow = pkgWorkflow
        self.adminSQS = SQS(client: adminAWS)
    }

    static func make(
        maxReceiveCount: Int = 3, visibilitySeconds: Int = 30, versionedBucket: Bool = false, pkgWorkflow: String? = nil
    ) async throws -> WorkerFixture {
        let environment = try TestEnvironment.load()
        let sandbox = try await BenchlingSandbox.start(options: SandboxOptions())
        let seeder = MotoSeeder(environment)
        let name = environment.uniqueName("wk")
        let queues = try await seeder.createFIFOQueue(
            name: name, maxReceiveCount: maxReceiveCount, visibilityTimeout: visibilitySeconds)
        let bucket = environment.uniqueName("wk")
        try await seeder.createBucket(name: bucket, versioned: versionedBucket)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return WorkerFixture(
            environment: environment, sandbox: sandbox, queueURL: queues.queue, deadLetterURL: queues.deadLetter,
            bucket: bucket, folder: folder, adminAWS: seeder.admin, pkgWorkflow: pkgWorkflow)
    }

    func shutdown() async {
        await sandbox.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: The worker

    var configuration: Configuration {
        Configuration(
            stackARN: nil, catalogHost: Self.catalogHost,
            parameters: SecretParameters(
                clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, tenant: "sandbox",
                appDefinitionId: sandbox.appDefinitionId, logLevel: .debug, pkgPrefix: Self.pkgPrefix,
                pkgKey: "experiment_id", userBucket: .s3(bucket: bucket), pkgWorkflow: pkgWorkflow),
            secretSource: "test", benchlingBaseURLOverride: sandbox.baseURL)
    }

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
    func enqueue(_ message: SandboxMessage, webhookId: String? = nil, queueURL: String? = nil) async throws -> QueuedWebhook {
        let delivery = try await sandbox.signedDelivery(message: message, webhookId: webhookId)
        return try await enqueue(delivery, queueURL: queueURL)
    }

    @discardableResult
    func enqueue(_ delivery: SignedDelivery, queueURL: String? = nil) async throws -> QueuedWebhook {
        let body = String(decoding: delivery.body, as: UTF8.self)
        let json = try JSONValue.parse(body)
        let message = json["message"]
        let group = message?["resourceId"]?.stringValue ?? message?["canvasId"]?.stringValue ?? "none"
        let queued = QueuedWebhook(
            webhookId: delivery.webhookId, webhookTimestamp: String(delivery.timestamp),
            receivedAt: "2024-05-01T12:00:00.000Z", eventType: message?["type"]?.stringValue ?? "",
            groupId: group, body: body)
        try await sendRaw(queued.encodedBody(), groupId: group, deduplicationId: delivery.webhookId, queueURL: queueURL)
        return queued
    }

    func sendRaw(_ body: String, groupId: String, deduplicationId: String, queueURL: String? = nil) async throws {
        _ = try await adminSQS.sendMessage(
            queueURL: queueURL ?? self.queueURL, body: body, groupId: groupId, deduplicationId: deduplicationId)
    }

    // MARK: Observing

    /// Polls the job log until the job of `webhookId` reaches a state `done` accepts (generous bound: a wait, not
    /// a timing assertion).
    func waitForJob(
        _ jobLog: JobLog, webhookId: String, timeout: Duration = .seconds(120),
        until done: @Sendable (Job) -> Bool = { $0.status.isTerminal }
    ) async throws -> JobDetail {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let detail = try await jobLog.job(webhookId: webhookId), done(detail.job) { return detail }
            try await Task.sleep(for: .milliseconds(100))
        }
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
