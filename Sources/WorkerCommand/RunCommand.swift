import ArgumentParser
import Config
import Foundation
import Logging
import Observability
import Prometheus
import ServiceLifecycle
import Worker

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
            logger.critical(
                "worker environment is not usable",
                metadata: [
                    "problems": .array(error.problems.map { .string($0.description) })
                ])
            throw ExitCode(2)
        }
        // Prometheus for /metrics; CloudWatch Embedded Metric Format lines on stdout when METRICS_NAMESPACE is set.
        let cloudWatch = EmbeddedMetrics.fromEnvironment(environment, service: "worker")
        let metrics = WorkerMetrics(cloudWatch: cloudWatch)
        let publisher = EmbeddedMetrics.bootstrap(
            local: PrometheusMetricsFactory(registry: metrics.registry), cloudWatch: cloudWatch)
        let service = WorkerService(settings: settings, environment: environment, metrics: metrics, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            publisher?.cancel()
            await publisher?.value
            throw error
        }
        publisher?.cancel()
        await publisher?.value  // the last flush
    }
}
