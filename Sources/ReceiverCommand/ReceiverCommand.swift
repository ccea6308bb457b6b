import Foundation
import Logging
import Observability
import Prometheus
import Receiver

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `receiver`: the HTTP front door for Benchling webhooks. Everything testable lives in the Receiver library;
/// this only sets up logging and metrics for the process and runs the application until SIGTERM/SIGINT.
@main
struct ReceiverCommand {
    static func main() async {
        // Tasks run on Swift's global pool, as in every build. NIO's installer for its event loops as the global
        // executor was called here, but it finds the runtime's hook with dlsym, which the static-stdlib release
        // binary does not export: it worked only in dynamically linked (test and dev) builds. Made to work, it cut
        // context switches at 100 deliveries/s by four fifths but cost a quarter of the throughput, the two loops
        // unevenly loaded (README, "Receiver beside the Python service").
        let environment = ProcessInfo.processInfo.environment
        // Until the secret's LOG_LEVEL is known: the environment's, else info.
        let initialLevel = environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        let level = SharedLogLevel(initialLevel)
        let jsonLines = isatty(STDOUT_FILENO) == 0
        LoggingSystem.bootstrap { label in
            if jsonLines { return JSONLogHandler(label: label, level: level) }
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level.level
            return handler
        }
        // Prometheus for /metrics; CloudWatch Embedded Metric Format lines on stdout when METRICS_NAMESPACE is set.
        let cloudWatch = EmbeddedMetrics.fromEnvironment(environment, service: "receiver")
        let metrics = ReceiverMetrics(cloudWatch: cloudWatch)
        let publisher = EmbeddedMetrics.bootstrap(
            local: PrometheusMetricsFactory(registry: metrics.registry), cloudWatch: cloudWatch)
        let logger = Logger(label: "receiver")

        let parsed = Result { () throws(ReceiverSettingsError) in try ReceiverSettings.fromEnvironment(environment) }
        guard case .success(let settings) = parsed else {
            if case .failure(let error) = parsed {
                logger.critical("cannot start", metadata: ["reason": "\(error.description)"])
            }
            exit(2)
        }
        // The secret's LOG_LEVEL, whenever a configuration is put in use (at start and after each change).
        let receiver = buildApplication(
            settings: settings, metrics: metrics, logger: logger,
            onApply: { runtime in
                level.level = runtime.configuration.logLevel.loggerLevel
            })
        logger.info(
            "receiver starting",
            metadata: [
                "port": "\(settings.port)", "queue": "\(settings.queueAddress ?? "unset")",
                "version": "\(settings.version)",
                "config_refresh_s": "\(settings.refreshInterval.components.seconds)",
            ])
        do {
            try await receiver.application.runService()
        } catch {
            logger.critical("receiver stopped with an error", metadata: ["error": "\(error)"])
            await stop(publisher)
            exit(1)
        }
        await stop(publisher)
    }

    /// Ends the metrics publisher after its last flush.
    static func stop(_ publisher: Task<Void, Never>?) async {
        publisher?.cancel()
        await publisher?.value
    }
}
