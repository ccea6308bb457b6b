import AWSCore
import Logging

/// The AWS clients one resolution needs (one per region, profile `.configurationResolution`), created on demand
/// from the injected environment and shut down when resolution ends, so a resolver leaves no connection pools
/// behind.
actor AWSClients {
    private let factory: AWSClientFactory
    private let logger: Logger
    private var clients: [String: AWSClient] = [:]

    init(environment: [String: String], logger: Logger) {
        factory = AWSClientFactory(environment: environment)
        self.logger = logger
    }

    func client(_ region: String) -> AWSClient {
        if let client = clients[region] { return client }
        let client = factory.client(.configurationResolution, region: AWSRegion(region), logger: logger)
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
