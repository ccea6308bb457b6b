import AWSCore
import AWSServices
import Foundation
import MessageQueue

/// The queue named by `QUEUE_URL` and what to close when the receiver stops.
struct QueueConnection: Sendable {
    let queue: any MessageQueue
    let release: @Sendable () async -> Void

    /// SQS calls are bounded tightly: the receiver must answer Benchling within 3 s, and the enqueue deadline
    /// (2 s by default) cuts the call off in any case.
    static let sqsTimeouts = AWSClient.Timeouts(connect: .seconds(2), read: .seconds(5), request: .seconds(2))

    /// - Parameters:
    ///   - environment: credentials chain, `AWS_ENDPOINT_URL`, `AWS_REGION` (as the AWS SDKs read them).
    ///   - region: fallback region (the stack's) when the environment names none.
    static func open(address: String, environment: [String: String], region: String?) throws -> QueueConnection {
        guard address.lowercased().hasPrefix("http") else {
            return QueueConnection(queue: try MessageQueueFactory.make(address: address, sqs: nil), release: {})
        }
        let fallback: AWSRegion? = region.map { AWSRegion($0) }
        guard let region = AWSRegion.fromEnvironment(environment) ?? fallback ?? Self.regionFromQueueURL(address)
        else {
            throw QueueAddressError(description: "no AWS region: set AWS_REGION")
        }
        let client = AWSClient(
            region: region, credentialProvider: CredentialProviderChain(environment: environment),
            endpoints: .fromEnvironment(environment), timeouts: sqsTimeouts,
            connectionsPerHost: sqsConnectionsPerHost)
        do {
            let queue = try MessageQueueFactory.make(address: address, sqs: SQS(client: client))
            return QueueConnection(queue: queue, release: { try? await client.shutdown() })
        } catch {
            Task { try? await client.shutdown() }
            throw error
        }
    }

    /// Connections to SQS kept open per host. HTTP/1.1 carries one call per connection, so this bounds the
    /// sends in flight: AsyncHTTPClient's default of 8 would cap a receiver at 8 / SQS latency (≈ 400–800 sends/s
    /// at 10–20 ms) and queue the rest inside the client, where they eat into the enqueue deadline.
    static let sqsConnectionsPerHost = 64

    /// `https://sqs.REGION.amazonaws.com/…` → REGION.
    static func regionFromQueueURL(_ address: String) -> AWSRegion? {
        guard let host = URL(string: address)?.host else { return nil }
        let labels = host.split(separator: ".")
        guard labels.count >= 4, labels[0] == "sqs" else { return nil }
        return AWSRegion(String(labels[1]))
    }
}

struct QueueAddressError: Error, CustomStringConvertible {
    let description: String
}
