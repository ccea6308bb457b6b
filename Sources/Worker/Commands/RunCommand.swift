import ArgumentParser
import Config
import Foundation
import Logging
import ServiceLifecycle

/// `worker run`: drain `QUEUE_URL` until SIGTERM/SIGINT.
public struct RunCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Drain the queue (default).")

    public init() {}

    public func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = Logger(label: "worker")
        let settings: WorkerSettings
        do {
            settings = try WorkerSettings.fromEnvironment(environment)
        } catch {
            logger.critical("worker environment is not usable", metadata: [
                "problems": .array(error.problems.map { .string($0.description) }),
            ])
            throw ExitCode(2)
        }
        let service = WorkerService(settings: settings, environment: environment, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
