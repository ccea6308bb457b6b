import Config
import Foundation
import Logging
import ServiceLifecycle

/// The worker under ServiceLifecycle: resolve configuration (waiting with back-off while it is unusable), build
/// the application, drain the queue; on SIGTERM stop receiving and wind down within the stop timeout.
public struct WorkerService: Service {
    public let loader: ConfigurationLoader
    public let settings: WorkerSettings
    public let environment: [String: String]
    public let metrics: WorkerMetrics
    public let logger: Logger

    public init(
        loader: ConfigurationLoader, settings: WorkerSettings, environment: [String: String],
        metrics: WorkerMetrics = WorkerMetrics(), logger: Logger
    ) {
        self.loader = loader
        self.settings = settings
        self.environment = environment
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        let configuration: Configuration
        do {
            configuration = try await cancelWhenGracefulShutdown { try await loader.load() }
        } catch is CancellationError {
            logger.info("stopped while waiting for a usable configuration")
            return
        }
        let application = try await WorkerApplication.build(
            configuration: configuration, settings: settings, environment: environment, metrics: metrics,
            logger: logger)
        await withGracefulShutdownHandler {
            await application.run()
        } onGracefulShutdown: {
            logger.info("shutdown requested; stopping")
            application.requestStop()
        }
        await application.close()
    }
}
