import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The receiver as a runnable Hummingbird application, plus the parts tests and the command look at.
public struct ReceiverApplication: Sendable {
    public let application: Application<RouterResponder<ReceiverRequestContext>>
    public let supervisor: ReceiverSupervisor
    public let metrics: ReceiverMetrics
    /// Returns freed memory to the operating system after a burst of connections.
    public let heapRelease: HeapRelease
}

/// Builds the receiver: routes, health state machine, metrics. Nothing is resolved here; configuration is
/// resolved (retried, then refreshed every `settings.refreshInterval`) by the supervisor service once the
/// application runs, so a bad secret never stops the process from starting and answering health checks.
///
/// - Parameters:
///   - settings: wiring and tunables (`ReceiverSettings.fromEnvironment` in production).
///   - metrics: the Prometheus registry to record into (the command shares it with swift-metrics).
///   - logger: the application logger; request loggers derive from it with a request id.
///   - onApply: called with every configuration put in use (the command applies the secret's `LOG_LEVEL` here).
///   - onServerRunning: called once the listener is bound, with its channel: `channel.localAddress?.port` is
///     the port actually bound, the only way to learn it when `settings.port` is 0.
public func buildApplication(
    settings: ReceiverSettings, metrics: ReceiverMetrics = ReceiverMetrics(), logger: Logger,
    onApply: @escaping @Sendable (ReceiverRuntime) -> Void = { _ in },
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> ReceiverApplication {
    let supervisor = ReceiverSupervisor(
        settings: settings, logger: logger, onApply: onApply,
        onChange: { metrics.recordConfiguration($0) })
    let router = ReceiverRouter.make(settings: settings, supervisor: supervisor, metrics: metrics)
    let heapRelease = HeapRelease(
        burstConnections: settings.limits.burstConnections, settle: settings.limits.burstSettle)
    let connections = CountedConnections(
        cap: MaximumAvailableConnections(settings.limits.maxConnections, logger: logger), heap: heapRelease)
    let application = Application(
        router: router,
        server: settings.limits.serverBuilder(),
        configuration: .init(
            address: .hostname(settings.host, port: settings.port), serverName: nil,
            availableConnectionsDelegate: connections),
        services: [supervisor],
        onServerRunning: onServerRunning,
        logger: logger)
    return ReceiverApplication(
        application: application, supervisor: supervisor, metrics: metrics, heapRelease: heapRelease)
}
