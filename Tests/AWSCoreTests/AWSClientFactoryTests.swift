import Foundation
import Testing

@testable import AWSCore

/// The one factory every AWS client of the project comes from: its region rule and its named profiles.
@Suite(.timeLimit(.minutes(1))) struct AWSClientFactoryTests {
    let stack: AWSRegion = "ap-south-1"
    let queueURL = "https://sqs.eu-central-1.amazonaws.com/123456789012/benchling.fifo"

    @Test func theResourcesOwnRegionComesFirst() {
        let factory = AWSClientFactory(environment: ["AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "us-east-2"])
        #expect(factory.region(resource: AWSRegion.fromSQSQueueURL(queueURL), stack: stack) == "eu-central-1")
        #expect(factory.regionOrDefault(resource: "ca-central-1") == "ca-central-1")
    }

    @Test func thenTheEnvironmentInTheSDKsOrderThenTheStack() {
        let both = AWSClientFactory(environment: ["AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "us-east-2"])
        #expect(both.region(resource: nil, stack: stack) == "us-west-2")
        let onlyDefault = AWSClientFactory(environment: ["AWS_REGION": " ", "AWS_DEFAULT_REGION": "us-east-2"])
        #expect(onlyDefault.region(stack: stack) == "us-east-2")
        let none = AWSClientFactory(environment: [:])
        #expect(none.region(stack: stack) == "ap-south-1")
        // An address that names no region (an emulator's queue) leaves the rule to the next step.
        #expect(
            none.region(resource: AWSRegion.fromSQSQueueURL("http://127.0.0.1:5000/123456789012/q"), stack: stack)
                == "ap-south-1")
    }

    @Test func nothingKnownIsNilOrTheDocumentedDefault() {
        let none = AWSClientFactory(environment: ["HOME": "/root"])
        #expect(none.region() == nil)
        #expect(none.regionOrDefault() == "us-east-1")
        #expect(AWSClientFactory.defaultRegion == "us-east-1")
    }

    @Test func sqsQueueURLsNameTheirRegion() {
        #expect(AWSRegion.fromSQSQueueURL(queueURL) == "eu-central-1")
        #expect(AWSRegion.fromSQSQueueURL("https://sqs.cn-north-1.amazonaws.com.cn/1/q") == "cn-north-1")
        #expect(AWSRegion.fromSQSQueueURL("https://vpce-1a.sqs.us-east-1.vpce.amazonaws.com/1/q") == nil)
        #expect(AWSRegion.fromSQSQueueURL("https://sqs.amazonaws.com/1/q") == nil)
        #expect(AWSRegion.fromSQSQueueURL("sqlite:///tmp/queue.db") == nil)
        #expect(AWSRegion.fromSQSQueueURL("") == nil)
    }

    @Test func profilesCarryTheirBounds() {
        let enqueue = AWSClientProfile.webhookEnqueue
        #expect(enqueue.timeouts == AWSClient.Timeouts(connect: .seconds(2), read: .seconds(5), request: .seconds(2)))
        #expect(enqueue.connectionsPerHost == 64)
        #expect(enqueue.retryPolicy == .default)

        let resolution = AWSClientProfile.configurationResolution
        #expect(
            resolution.timeouts == AWSClient.Timeouts(connect: .seconds(3), read: .seconds(15), request: .seconds(20)))
        #expect(resolution.retryPolicy.maxAttempts == 3)
        #expect(resolution.retryPolicy.backoff.baseDelay == .milliseconds(200))
        #expect(resolution.retryPolicy.backoff.maxDelay == .seconds(2))
        #expect(resolution.connectionsPerHost == nil)

        #expect(
            AWSClientProfile.worker.timeouts
                == AWSClient.Timeouts(connect: .seconds(5), read: .seconds(40), request: .seconds(120)))
        #expect(
            AWSClientProfile.operator.timeouts
                == AWSClient.Timeouts(connect: .seconds(5), read: .seconds(40), request: .seconds(60)))
        // Every read bound outlasts an SQS long poll (20 s) except the receiver's, which never long-polls.
        for profile in [AWSClientProfile.worker, .operator] { #expect(profile.timeouts.read > .seconds(20)) }
        // The enqueue must give up inside Benchling's 3 s.
        #expect(enqueue.timeouts.request < .seconds(3))
    }

    @Test func clientsGetTheProfileRegionAndEndpointOfTheEnvironment() async throws {
        let factory = AWSClientFactory(environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000/"])
        let client = factory.client(.operator, region: "eu-west-1")
        defer { Task { try? await client.shutdown() } }
        #expect(client.region == "eu-west-1")
        #expect(client.timeouts == AWSClientProfile.operator.timeouts)
        #expect(client.retryPolicy == AWSClientProfile.operator.retryPolicy)
        #expect(client.endpoints.baseURL(service: "sqs", region: client.region) == "http://127.0.0.1:5000")

        let resolver = factory.client(.configurationResolution, region: "us-east-2")
        defer { Task { try? await resolver.shutdown() } }
        #expect(resolver.retryPolicy.maxAttempts == 3)
        #expect(resolver.timeouts.connect == .seconds(3))
    }
}
