import AsyncHTTPClient
import Benchling
import Config
import Foundation
import Logging
import MessageQueue

/// What the receiver keeps across configuration changes: the queue (`QUEUE_URL` is deployment wiring, not
/// configuration) and the HTTP client the JWKS caches fetch with. Opened with the first configuration, closed at
/// shutdown; each configuration only gets a new `ReceiverRuntime` around them.
final class ReceiverConnections: Sendable {
    let queue: QueueConnection
    let jwksHTTP: HTTPClient

    private init(queue: QueueConnection, jwksHTTP: HTTPClient) {
        self.queue = queue
        self.jwksHTTP = jwksHTTP
    }

    /// Opens the queue named by `QUEUE_URL` (an SQS client in the stack's region unless the environment names one).
    static func open(
        settings: ReceiverSettings, configuration: Configuration
    ) throws(ConfigurationError)
        -> ReceiverConnections
    {
        let fix = "set QUEUE_URL to the SQS FIFO queue URL (or sqlite:///path/queue.db) and restart"
        guard let address = settings.queueAddress else {
            throw ConfigurationError(problems: [
                ConfigurationProblem(key: "QUEUE_URL", kind: .missingInput, what: "not set", fix: fix)
            ])
        }
        let queue: QueueConnection
        do {
            queue = try QueueConnection.open(
                address: address, environment: settings.environment, region: configuration.stackRegion)
        } catch {
            throw ConfigurationError(problems: [
                ConfigurationProblem(
                    key: "QUEUE_URL", kind: .malformedInput, what: "cannot be used: \(error)", fix: fix)
            ])
        }
        return ReceiverConnections(
            queue: queue, jwksHTTP: BenchlingHTTP.makeHTTPClient(connectTimeout: .seconds(2), readTimeout: .seconds(5)))
    }

    /// The runtime for `configuration`. The signature verifier of `previous` is kept (with its warm key cache)
    /// while the JWKS address is the same; a new app definition gets a new cache, pre-warmed.
    func runtime(
        for configuration: Configuration, previous: ReceiverRuntime?, settings: ReceiverSettings, logger: Logger
    ) async -> ReceiverRuntime {
        guard configuration.enableWebhookVerification else {
            logger.warning(
                "WEBHOOK SIGNATURE VERIFICATION IS DISABLED (ENABLE_WEBHOOK_VERIFICATION=false in the secret): any caller passing the allowlist can enqueue work. Enable it in production."
            )
            return ReceiverRuntime(configuration: configuration, verifier: nil, queue: queue.queue)
        }
        if let previous, let verifier = previous.verifier, previous.configuration.jwksURL == configuration.jwksURL {
            return ReceiverRuntime(configuration: configuration, verifier: verifier, queue: queue.queue)
        }
        // The cache paces its fetches and ages its keys by wall-clock time, never by `settings.now`: that clock
        // judges signature timestamps and may be pinned (tests), and a pinned clock would turn one failed fetch
        // into "no keys, do not retry yet" forever.
        let cache = JWKSCache(
            url: configuration.jwksURL.absoluteString, httpClient: jwksHTTP, settings: settings.jwks,
            now: { Date() }, logger: logger)
        if await !cache.prewarm() {
            // Not fatal: the cache retries on demand, and deliveries are answered 503 (Benchling retries).
            logger.warning(
                "could not pre-warm the JWKS; will fetch on the first webhook",
                metadata: ["url": "\(configuration.jwksURL)"])
        }
        return ReceiverRuntime(
            configuration: configuration, verifier: SignatureVerifier(keys: cache, now: settings.now),
            queue: queue.queue)
    }

    func close() async {
        try? await jwksHTTP.shutdown()
        await queue.release()
    }
}
