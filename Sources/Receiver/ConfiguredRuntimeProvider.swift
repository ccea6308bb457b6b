import AsyncHTTPClient
import Benchling
import Config
import Foundation
import Logging
import MessageQueue

/// The production way to a `ReceiverRuntime`: run the shared configuration resolver on the settings'
/// environment, open the queue named by `QUEUE_URL`, and (unless the secret turns verification off) build the
/// signature verifier with a pre-warmed JWKS cache.
public struct ConfiguredRuntimeProvider: ReceiverRuntimeProvider {
    public let settings: ReceiverSettings
    public let logger: Logger

    public init(settings: ReceiverSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public func makeRuntime() async throws(StartupProblem) -> ReceiverRuntime {
        let resolver = ConfigurationResolver(environment: settings.environment, logger: logger)
        let configuration: Configuration
        do {
            configuration = try await resolver.resolve()
        } catch {
            throw StartupProblem(
                reason: error.summary,
                action: error.problems.first?.fix ?? "check the QuiltStackARN and BenchlingSecret inputs")
        }
        guard let address = settings.queueAddress else {
            throw StartupProblem(
                reason: "QUEUE_URL is not set",
                action: "set QUEUE_URL to the SQS FIFO queue URL (or sqlite:///path/queue.db) and restart")
        }
        let queue: QueueConnection
        do {
            queue = try QueueConnection.open(address: address, environment: settings.environment,
                                             region: configuration.stackRegion)
        } catch {
            throw StartupProblem(
                reason: "QUEUE_URL cannot be used: \(error)",
                action: "set QUEUE_URL to the SQS FIFO queue URL (or sqlite:///path/queue.db) and restart")
        }

        guard configuration.enableWebhookVerification else {
            logger.warning(
                "WEBHOOK SIGNATURE VERIFICATION IS DISABLED (ENABLE_WEBHOOK_VERIFICATION=false in the secret): any caller passing the allowlist can enqueue work. Enable it in production.")
            return ReceiverRuntime(
                configuration: configuration, verifier: nil, queue: queue.queue, release: queue.release)
        }
        let httpClient = BenchlingHTTP.makeHTTPClient(connectTimeout: .seconds(2), readTimeout: .seconds(5))
        // The cache paces its fetches and ages its keys by wall-clock time, never by `settings.now`: that clock
        // judges signature timestamps and may be pinned (tests), and a pinned clock would turn one failed fetch
        // into "no keys, do not retry yet" forever.
        let cache = JWKSCache(
            url: configuration.jwksURL.absoluteString, httpClient: httpClient, settings: settings.jwks,
            now: { Date() }, logger: logger)
        if await !cache.prewarm() {
            // Not fatal: the cache retries on demand, and deliveries are answered 503 (Benchling retries).
            logger.warning("could not pre-warm the JWKS; will fetch on the first webhook",
                           metadata: ["url": "\(configuration.jwksURL)"])
        }
        let releaseQueue = queue.release
        return ReceiverRuntime(
            configuration: configuration, verifier: SignatureVerifier(keys: cache, now: settings.now),
            queue: queue.queue,
            release: {
                try? await httpClient.shutdown()
                await releaseQueue()
            })
    }
}
