import Config
import Foundation
import Logging
import ServiceLifecycle

/// The worker under ServiceLifecycle: resolve configuration (waiting with back-off while it is unusable), build
/// the application, drain the queue; on SIGTERM stop receiving and wind down within the stop timeout.
///
/// ServiceLifecycle names a service in its log lines (and in errors) by `"\(service)"`. The process environment,
/// which holds `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, is therefore never a stored property: it is
/// captured by the closure that builds the application, and `description` names only the type.
public struct WorkerService: Service, CustomStringConvertible {
    public let loader: ConfigurationLoader
    public let settings: WorkerSettings
    public let logger: Logger
    private let makeApplication: @Sendable (Configuration) async throws -> WorkerApplication

    public init(loader: ConfigurationLoader, settings: WorkerSettings, environment: [String: String], logger: Logger) {
        self.loader = loader
        self.settings = settings
        self.logger = logger
        makeApplication = { configuration in
            try await WorkerApplication.build(
                configuration: configuration, settings: settings, environment: environment, logger: logger)
        }
    }

    public var description: String { "WorkerService" }

    public func run() async throws {
        let configuration: Configuration
        do {
            configuration = try await cancelWhenGracefulShutdown { try await loader.load() }
        } catch is CancellationError {
            logger.info("stopped while waiting for a usable configuration")
            return
        }
        let application = try await makeApplication(configuration)
        await withGracefulShutdownHandler {
            await application.run()
        } onGracefulShutdown: {
            logger.info("shutdown requested; stopping")
            application.requestStop()
        }
        await application.close()
    }
}
