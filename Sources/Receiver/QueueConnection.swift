import AWSCore
import AWSServices
import Foundation
import MessageQueue

/// The queue named by `QUEUE_URL` and what to close when the receiver stops.
struct QueueConnection: Sendable {
    let queue: any MessageQueue
    let release: @Sendable () async -> Void

    /// - Parameters:
    ///   - environment: credentials chain, `AWS_ENDPOINT_URL`, `AWS_REGION` (as the AWS SDKs read them).
    ///   - region: the stack's region, for the region rule (`AWSClientFactory.region`) when neither the queue URL
    ///     nor the environment names one.
    static func open(address: String, environment: [String: String], region: String?) throws -> QueueConnection {
        guard address.lowercased().hasPrefix("http") else {
            return QueueConnection(queue: try MessageQueueFactory.make(address: address, sqs: nil), release: {})
        }
        let factory = AWSClientFactory(environment: environment)
        guard
            let region = factory.region(
                resource: AWSRegion.fromSQSQueueURL(address), stack: region.map { AWSRegion($0) })
        else {
            throw QueueAddressError(description: "no AWS region: set AWS_REGION")
        }
        let client = factory.client(.webhookEnqueue, region: region)
        do {
            let queue = try MessageQueueFactory.make(address: address, sqs: SQS(client: client))
            return QueueConnection(queue: queue, release: { try? await client.shutdown() })
        } catch {
            Task { try? await client.shutdown() }
            throw error
        }
    }
}

struct QueueAddressError: Error, CustomStringConvertible {
    let description: String
}
