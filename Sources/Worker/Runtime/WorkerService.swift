import Config
import Foundation
import Logging
import ServiceLifecycle

/// The worker under ServiceLifecycle: the shared `ConfigurationLoop` resolves the configuration (waiting with
/// back-off while it is unusable) and the application is built from the first one; the queue is drained while the
/// loop keeps the configuration current (every `CONFIG_REFRESH_SECONDS`, and at once when Benchling refuses the
/// credentials); on SIGTERM receiving stops and running jobs wind down within the stop timeout.
///
/// ServiceLifecycle names a service in its log lines (and in errors) by `"\(service)"`. The process environment,
/// which holds `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, is therefore never a stored property: it is
/// captured by the closure that builds the application, and `description` names only the type.
public struct WorkerService: Service, CustomStringConvertible {
    public let loop: ConfigurationLoop
    public let settings: WorkerSettings
    public let metrics: WorkerMetrics
    public let logger: Logger
    private let makeApplication: @Sendable (Configuration) async throws -> WorkerApplication

    public init(
        settings: WorkerSettings, environment: [String: String], metrics: WorkerMetrics = WorkerMetrics(),
        logger: Logger
    ) {
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        var configLogger = logger
        configLogger[metadataKey: "component"] = "config"
        let loop = ConfigurationLoop(
            resolver: ConfigurationResolver(environment: environment, logger: configLogger),
            refreshInterval: settings.configurationRefresh, retry: settings.configurationRetry, logger: configLogger,
            onChange: { [metrics] in metrics.recordConfiguration($0) })
        self.loop = loop
        makeApplication = { configuration in
            try await WorkerApplication.build(
                configuration: configuration, settings: settings, environment: environment,
                metrics: metrics, logger: logger, refresher: loop)
        }
    }

    public var description: String { "WorkerService" }

    public func run() async throws {
        let built = BuiltApplication()
        let (started, announce) = AsyncStream.makeStream(
            of: WorkerApplication.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [loop] in
                try? await loop.run { (configuration, _) throws(ConfigurationError) in
                    if let application = built.application {
                        do {
                            try await application.apply(configuration)
                        } catch {
                            throw Self.unusable(error, doing: "apply the new configuration")
                        }
                        return
                    }
                    let application: WorkerApplication
                    do {
                        application = try await makeApplication(configuration)
                    } catch {
                        throw Self.unusable(error, doing: "start")
                    }
                    built.application = application
                    announce.yield(application)
                    announce.finish()
                }
                announce.finish()
            }
            let application = await cancelWhenGracefulShutdown { () async -> WorkerApplication? in
                for await application in started { return application }
                return nil
            }
            if let application {
                await withGracefulShutdownHandler {
                    await application.run()
                } onGracefulShutdown: {
                    logger.info("shutdown requested; stopping")
                    application.requestStop()
                }
            } else {
                logger.info("stopped while waiting for a usable configuration")
            }
            group.cancelAll()
        }
        await built.application?.close()
    }

    /// A failure of the worker's own set-up (queue, job log, bucket), in the loop's terms: retried while nothing runs
    /// yet, and a stale configuration afterwards.
    static func unusable(_ error: any Error, doing what: String) -> ConfigurationError {
        ConfigurationError(problems: [
            ConfigurationProblem(
                key: "worker", kind: .unavailable, what: "could not \(what): \(error)",
                fix: "check QUEUE_URL, JOB_LOG_PATH / JOB_LOG_DIR, USER_BUCKET and the task role's permissions")
        ])
    }
}

/// The application once the first configuration built it (the loop's task sets it, the service reads it).
private final class BuiltApplication: @unchecked Sendable {
    private let lock = NSLock()
    private var value: WorkerApplication?

    var application: WorkerApplication? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
