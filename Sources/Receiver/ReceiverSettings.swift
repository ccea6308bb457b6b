import Benchling
import Config
import Foundation
import Timing

/// Deployment wiring and tunables of the receiver: everything that is not the resolved `Configuration`.
///
/// Production reads it from the environment (`fromEnvironment`); tests build it directly to inject a clock,
/// short back-off and a port of 0.
public struct ReceiverSettings: Sendable {
    /// The environment the configuration resolver reads (`QuiltStackARN`, `BenchlingSecret`, AWS variables…).
    public var environment: [String: String]
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    /// `QUEUE_URL`: an SQS queue URL or `sqlite:///…`. Nil leaves the receiver degraded with that reason.
    public var queueAddress: String?
    /// Back-off between configuration attempts while degraded.
    public var retry: Backoff
    /// `CONFIG_REFRESH_SECONDS`: how often the configuration is re-resolved once in use.
    public var refreshInterval: Duration
    /// Longest wait for the queue to accept a message before answering 503 (Benchling gives us 3 s in all).
    public var enqueueTimeout: Duration
    /// Longest request body accepted; larger ones get 413.
    public var maxBodyBytes: Int
    /// `TRUSTED_PROXIES`: the socket peers whose `X-Forwarded-For` is believed (none by default).
    public var trustedProxies: TrustedProxies
    /// What the receiver holds of hostile or stalled connections (body bytes, connections, timeouts).
    public var limits: ConnectionLimits
    /// The clock that judges signature timestamps (tests pin it to a vector's `now`); the JWKS cache keeps wall time.
    public var now: @Sendable () -> Date
    /// JWKS cache policy (max age, refetch rate limit, fetch timeout).
    public var jwks: JWKSCache.Settings
    public var serviceName: String
    public var version: String

    public init(
        environment: [String: String] = [:], host: String = "0.0.0.0", port: Int = 8080,
        queueAddress: String? = nil, retry: Backoff = ReceiverSettings.defaultRetry,
        refreshInterval: Duration = ConfigurationLoop.defaultRefreshInterval,
        enqueueTimeout: Duration = .seconds(2), maxBodyBytes: Int = 1 << 20,
        trustedProxies: TrustedProxies = .none, limits: ConnectionLimits = ConnectionLimits(),
        now: @escaping @Sendable () -> Date = { Date() }, jwks: JWKSCache.Settings = JWKSCache.Settings(),
        serviceName: String = "benchling-quilt-receiver", version: String = ReceiverSettings.defaultVersion
    ) {
        self.environment = environment
        self.host = host
        self.port = port
        self.queueAddress = queueAddress
        self.retry = retry
        self.refreshInterval = refreshInterval
        self.enqueueTimeout = enqueueTimeout
        self.maxBodyBytes = maxBodyBytes
        self.trustedProxies = trustedProxies
        self.limits = limits
        self.now = now
        self.jwks = jwks
        self.serviceName = serviceName
        self.version = version
    }

    public static let defaultVersion = "0.1.0"

    /// 1 s doubling to 3 min (with jitter) while degraded.
    public static let defaultRetry = Backoff(baseDelay: .seconds(1), maxDelay: .seconds(180))

    /// `PORT` (default 8080), `QUEUE_URL`, `TRUSTED_PROXIES`, `CONFIG_REFRESH_SECONDS`, optional `RECEIVER_RETRY_INITIAL_SECONDS` /
    /// `RECEIVER_RETRY_MAX_SECONDS`; the whole environment is passed on to the configuration resolver.
    public static func fromEnvironment(
        _ environment: [String: String]
    ) throws(ReceiverSettingsError) -> ReceiverSettings {
        var settings = ReceiverSettings(environment: environment)
        if let text = environment["PORT"], !text.isEmpty {
            guard let port = Int(text), (0...65535).contains(port) else {
                throw ReceiverSettingsError("PORT must be a port number 0-65535, got \"\(text.prefix(20))\"")
            }
            settings.port = port
        }
        if let queue = environment["QUEUE_URL"], !queue.isEmpty { settings.queueAddress = queue }
        if let text = environment["TRUSTED_PROXIES"] {
            do {
                settings.trustedProxies = try TrustedProxies.parse(text)
            } catch {
                throw ReceiverSettingsError("TRUSTED_PROXIES: \(error.description)")
            }
        }
        if let text = environment["RECEIVER_RETRY_INITIAL_SECONDS"], let seconds = Double(text), seconds > 0 {
            settings.retry.baseDelay = .milliseconds(Int(seconds * 1000))
        }
        if let text = environment["RECEIVER_RETRY_MAX_SECONDS"], let seconds = Double(text), seconds > 0 {
            settings.retry.maxDelay = .milliseconds(Int(seconds * 1000))
        }
        switch ConfigurationLoop.refreshInterval(environment: environment) {
        case .success(let interval): settings.refreshInterval = interval
        case .failure(let problem): throw ReceiverSettingsError(problem.description)
        }
        return settings
    }
}

/// A setting that cannot be used; the command prints it and exits (this is deployment wiring, not the
/// secret, so failing fast is right).
public struct ReceiverSettingsError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
