import AWSServices
import ArgumentParser
import Benchling
import Config
import Foundation
import Logging
import MessageQueue
import Operator

/// `worker config verify`: the configuration resolves, and each outside system it names answers.
public struct VerifyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Resolve the configuration, then try it live: Benchling token, bucket, queue.",
        discussion: """
            `worker config check` proves the configuration is well formed; verify proves it works, with the \
            credentials of the process running it (run it as a one-off task with the worker's task role):

              benchling token   a client-credentials token request to the tenant
              bucket            USER_BUCKET exists and may be listed (s3:ListBucket)
              bucket write      a small object written and deleted under PKG_PREFIX/.config-check/
              queue             QUEUE_URL's attributes and its dead-letter queue (skipped without QUEUE_URL)

            Each line says PASS or FAIL; a failure names the fix. Exit status 1 when anything failed.

            Example:
              QuiltStackARN=arn:aws:cloudformation:… BenchlingSecret=benchling QUEUE_URL=https://sqs… worker config verify
            """)

    public init() {}

    public func run() async throws {
        let environment = OperatorEnvironment()
        var logger = Logger(label: "worker.config")
        logger.logLevel = .critical
        let configuration: Configuration
        do {
            configuration = try await ConfigurationResolver(environment: environment.variables, logger: logger)
                .resolve()
        } catch {
            OperatorOutput.out(renderCheck(.failure(error)).text)
            throw ExitCode(1)
        }
        let address = environment.text("QUEUE_URL")
        let aws = environment.awsClient(queueAddress: address ?? "")
        let http = BenchlingHTTP.makeHTTPClient()
        var settings = BenchlingClient.Settings()
        settings.retry = .none
        let benchling = BenchlingClient(
            baseURL: configuration.benchlingBaseURL.absoluteString, clientId: configuration.clientId,
            clientSecret: configuration.clientSecret, httpClient: http, settings: settings)
        let checks: [LiveCheck]
        do {
            let queue = try address.map { try MessageQueueFactory.make(address: $0, sqs: SQS(client: aws)) }
            checks = await LiveConfigurationCheck(
                configuration: configuration, benchling: benchling, s3: S3(client: aws), queue: queue
            ).run()
        } catch {
            checks = [.fail("queue", error, fix: "QUEUE_URL must be an SQS queue URL or sqlite:///path")]
        }
        try? await http.shutdown()
        try? await aws.shutdown()
        OperatorOutput.out(LiveConfigurationCheck.render(checks))
        if address == nil { OperatorOutput.note("QUEUE_URL not set: queue not checked") }
        if checks.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
