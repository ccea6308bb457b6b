import AWSCore
import Logging

/// The AWS clients one resolution needs (one per region), created on demand from the injected environment
/// and shut down when resolution ends, so a resolver leaves no connection pools behind.
actor AWSClients {
    private let environment: [String: String]
    private let logger: Logger
    private var clients: [String: AWSClient] = [:]

    /// Resolution runs at start-up and on health re-checks: fail fast rather than hang a start (the caller
    /// retries the whole resolution while the failure is transient). AsyncHTTPClient keeps retrying a refused
    /// connection until the connect timeout, so that bounds each attempt when AWS is unreachable.
    static let timeouts = AWSClient.Timeouts(connect: .seconds(3), read: .seconds(15), request: .seconds(20))
    static let retryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(200), maxDelay: .seconds(2))

    init(environment: [String: String], logger: Logger) {
        self.environment = environment
        self.logger = logger
    }

    func client(_ region: String) -> AWSClient {
        if let client = clients[region] { return client }
        let client = AWSClient(
            region: AWSRegion(region), credentialProvider: CredentialProviderChain(environment: environment),
            endpoints: .fromEnvironment(environment), retryPolicy: Self.retryPolicy, timeouts: Self.timeouts,
            logger: logger)
        clients[region] = client
        return client
    }

    func shutdown() async {
        let all = Array(clients.values)
        clients = [:]
        for client in all {
            do {
                try await client.shutdown()
            } catch {
                logger.debug("AWS client shutdown failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
