import AsyncHTTPClient
import BenchlingSandbox
import Config
import Foundation
import JobLog
import Logging
import Receiver
import ServiceLifecycle
import Worker

/// The whole product in one process on one folder: a Benchling sandbox tenant, the real receiver and the real
/// worker, wired through the embedded adapters (file secret, SQLite queue, SQLite job log, local registry).
///
/// Configuration goes through the production resolver with an explicit environment dictionary (nothing is read
/// from or written to the process environment), so the dev stack exercises the same code path as a deployment.
public final class DevStack: Sendable {
    public let folder: DevFolder
    public let sandbox: SandboxTenant
    public let samples: [SampleEntry]
    /// `http://127.0.0.1:<port>` of the receiver.
    public let receiverURL: URL
    public let sender: WebhookSender
    public let configuration: Configuration
    /// The environment both the receiver and the worker resolved their configuration from.
    public let environment: [String: String]
    public let worker: WorkerApplication
    let httpClient: HTTPClient
    let group: ServiceGroup
    let running: Task<Void, Never>
    let options: DevStackOptions

    private init(
        options: DevStackOptions, sandbox: SandboxTenant, samples: [SampleEntry], receiverURL: URL,
        configuration: Configuration, environment: [String: String], worker: WorkerApplication,
        httpClient: HTTPClient, group: ServiceGroup, running: Task<Void, Never>
    ) {
        self.options = options
        self.folder = options.folder
        self.sandbox = sandbox
        self.samples = samples
        self.receiverURL = receiverURL
        self.sender = WebhookSender(receiverURL: receiverURL, client: httpClient)
        self.configuration = configuration
        self.environment = environment
        self.worker = worker
        self.httpClient = httpClient
        self.group = group
        self.running = running
    }

    /// The job log the worker writes (shared handle: one connection pool per process).
    public var jobLog: JobLog { worker.jobLog }

    /// Starts the sandbox, writes the secret, resolves configuration, starts receiver and worker, and returns once
    /// the receiver reports ready.
    public static func start(_ options: DevStackOptions) async throws -> DevStack {
        let logger = options.logger
        let folder = options.folder
        var sandboxOptions = SandboxOptions()
        sandboxOptions.logger = Logger(label: "dev.sandbox")
        let sandbox = try await SandboxTenant.start(host: options.host, port: 0, options: sandboxOptions)
        let samples = SampleEntry.samples(count: options.sampleCount)
        var worker: WorkerApplication?
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            for sample in samples { await sample.seed(into: sandbox) }
            try DevSecret.write(sandbox: sandbox, folder: folder)
            let environment = Self.environment(folder: folder, sandbox: sandbox)
            let configuration = try await resolve(environment, logger: logger)
            let application = try await WorkerApplication.build(
                configuration: configuration, settings: workerSettings(folder: folder), environment: environment,
                logger: Logger(label: "dev.worker"))
            worker = application

            var receiverSettings = ReceiverSettings(
                environment: environment, host: options.host, port: options.receiverPort,
                queueAddress: folder.queueAddress)
            receiverSettings.retry.baseDelay = .milliseconds(200)
            receiverSettings.retry.maxDelay = .seconds(5)
            // The sender here is `dev` itself, not Benchling with its 3 s limit, and the embedded queue shares its
            // SQLite file with the worker: on a busy laptop (or CI) a write has waited over 2 s for the worker's
            // lock, answered 503 although the message was queued.
            receiverSettings.enqueueTimeout = .seconds(10)
            let receiver = ReceiverLauncher(settings: receiverSettings, logger: Logger(label: "dev.receiver"))
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [
                        .init(service: receiver.service), .init(service: DevWorkerService(application: application)),
                    ],
                    gracefulShutdownSignals: options.handlesSignals ? [.sigterm, .sigint] : [],
                    logger: logger))
            let boundPort = receiver.boundPort
            let running = Task {
                do {
                    try await group.run()
                } catch {
                    logger.error("dev stack stopped with an error", metadata: ["error": "\(error)"])
                }
                boundPort.resolve(nil)
            }
            let port: Int
            do {
                port = try await boundPort.value(timeout: .seconds(20))
            } catch {
                await group.triggerGracefulShutdown()
                await running.value
                throw error
            }
            let stack = DevStack(
                options: options, sandbox: sandbox, samples: samples,
                receiverURL: URL(string: "http://\(options.host):\(port)")!, configuration: configuration,
                environment: environment, worker: application, httpClient: httpClient, group: group,
                running: running)
            do {
                try await stack.waitUntilReceiverReady(limit: .seconds(30))
            } catch {
                // Stop the services here; the outer catch releases the worker, client and sandbox once.
                await group.triggerGracefulShutdown()
                await running.value
                throw error
            }
            return stack
        } catch {
            await worker?.close()
            try? await httpClient.shutdown()
            await sandbox.shutdown()
            throw error
        }
    }

    /// Deployment wiring plus the dev overrides: the sandbox as Benchling (API and JWKS), the file secret, the
    /// SQLite queue. No stack ARN: the local registry makes it optional.
    static func environment(folder: DevFolder, sandbox: SandboxTenant) -> [String: String] {
        [
            "BenchlingSecret": folder.secret.absoluteString,
            "BENCHLING_BASE_URL": sandbox.baseURL.absoluteString,
            "BENCHLING_JWKS_URL": sandbox.jwksURL.absoluteString,
            "QUEUE_URL": folder.queueAddress,
            "JOB_LOG_PATH": folder.jobLog.path,
            "AWS_REGION": "us-east-1",
        ]
    }

    static func resolve(_ environment: [String: String], logger: Logger) async throws -> Configuration {
        do {
            return try await ConfigurationResolver(environment: environment, logger: logger).resolve()
        } catch {
            throw DevStackError(
                "the generated configuration does not resolve: \(error.messages.joined(separator: "; "))")
        }
    }

    /// Production defaults, with short polls so a developer sees results in seconds and Ctrl-C is quick.
    static func workerSettings(folder: DevFolder) -> WorkerSettings {
        var settings = WorkerSettings(queueAddress: folder.queueAddress, jobLogPath: folder.jobLog.path)
        settings.concurrency = 2
        settings.receiveWait = .seconds(1)
        settings.exportPollInterval = .milliseconds(200)
        settings.exportMaxPollInterval = .seconds(1)
        settings.redeliveryBackoff.baseDelay = .seconds(1)
        settings.redeliveryBackoff.maxDelay = .seconds(5)
        settings.stopTimeout = .seconds(5)
        settings.temporaryDirectory = folder.scratch
        return settings
    }

    private func waitUntilReceiverReady(limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        var lastProblem = "no answer"
        while ContinuousClock.now < deadline {
            do {
                if try await sender.status(of: "/health/ready") == 200 { return }
                lastProblem = "not ready"
            } catch {
                lastProblem = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DevStackError("the receiver did not become ready within \(limit): \(lastProblem)")
    }

    /// Returns when the stack stopped (Ctrl-C with `handlesSignals`, or `shutdown()`).
    public func waitUntilStopped() async {
        await running.value
    }

    /// Stops receiver and worker gracefully, then releases the job log, HTTP clients and the sandbox. Idempotent
    /// enough for a signal racing an explicit call.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
        await running.value
        await worker.close()
        try? await httpClient.shutdown()
        await sandbox.shutdown()
    }
}
