import AWSCore
import AWSServices
import AsyncHTTPClient
import Benchling
import Config
import Foundation
import MessageQueue
import Operator
import Testing
import Worker

/// `worker config verify` against the sandbox tenant and moto, with the worker's IAM user.
@Suite(.timeLimit(.minutes(10))) struct OperatorLiveCheckTests {
    static func check(
        _ fixture: WorkerFixture, configuration: Configuration, queue: (any MessageQueue)?
    ) -> LiveConfigurationCheck {
        var settings = BenchlingClient.Settings()
        settings.retry = .none
        let benchling = BenchlingClient(
            baseURL: configuration.benchlingBaseURL.absoluteString, clientId: configuration.clientId,
            clientSecret: configuration.clientSecret, settings: settings)
        let s3 = S3(client: OperatorQueues.sqs(fixture.environment, fixture.environment.worker).client)
        return LiveConfigurationCheck(configuration: configuration, benchling: benchling, s3: s3, queue: queue)
    }

    @Test func everyCheckPassesOnAWorkingDeployment() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sqs = OperatorQueues.sqs(fixture.environment, fixture.environment.worker)
            let queue = try MessageQueueFactory.make(address: fixture.queueURL, sqs: sqs)
            let checks = await Self.check(fixture, configuration: fixture.configuration, queue: queue).run()
            #expect(checks.map(\.name) == ["benchling token", "bucket", "bucket write", "queue"])
            #expect(checks.map(\.passed) == [true, true, true, true], "\(LiveConfigurationCheck.render(checks))")
            #expect(checks[2].detail.hasPrefix("wrote and deleted s3://\(fixture.bucket)/benchling/.config-check/"))
            #expect(
                checks[3].detail
                    == "visibility timeout 30 s, 0 visible, 0 in flight; dead-letter queue after 3 receives holds 0")
            // The test object is gone.
            let admin = S3(client: fixture.adminAWS)
            let left = try await admin.listObjectsV2(
                bucket: fixture.bucket, prefix: "benchling/.config-check/", delimiter: nil, continuationToken: nil,
                maxKeys: 10)
            #expect(left.objects.isEmpty)
            #expect(LiveConfigurationCheck.render(checks).split(separator: "\n").allSatisfy { $0.hasPrefix("PASS ") })
        }
    }

    @Test func failuresNameTheFix() async throws {
        try await withWorkerFixture { (fixture) async throws in
            var configuration = fixture.configuration
            configuration.parameters.clientSecret = "wrong-secret"
            configuration.parameters.userBucket = .s3(bucket: fixture.environment.uniqueName("missing"))
            let restricted = OperatorQueues.sqs(fixture.environment, fixture.environment.restricted)
            let queue = try MessageQueueFactory.make(address: fixture.queueURL, sqs: restricted)
            let checks = await Self.check(fixture, configuration: configuration, queue: queue).run()
            #expect(checks.map(\.name) == ["benchling token", "bucket", "queue"])
            #expect(checks.map(\.passed) == [false, false, false])
            #expect(checks[0].fix?.contains("CLIENT_SECRET") == true)
            #expect(checks[1].fix?.contains("USER_BUCKET") == true)
            #expect(checks[2].fix?.contains("sqs:GetQueueAttributes") == true)
            let text = LiveConfigurationCheck.render(checks)
            #expect(!text.contains("wrong-secret"))
            #expect(text.split(separator: "\n").filter { $0.hasPrefix("     fix: ") }.count == 3)
        }
    }
}
